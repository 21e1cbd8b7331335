package dev.seatgate.licenses;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProrationTest {

    private static final LicenseType OUTBOUND = LicenseCatalog.DEFAULT.find("outbound").orElseThrow();
    private static final ZoneId UTC = ZoneId.of("UTC");

    @ParameterizedTest(name = "{0} in {1}: {3}/{4} days, {5}")
    @CsvSource({
            // purchasedAt,           zone,              count, daysRemaining, daysInMonth, amount
            "2026-11-16T12:00:00Z,    UTC,               5,     15,            30,          375.00", // API.md's example
            "2026-11-01T00:00:00Z,    UTC,               1,     30,            30,          150.00", // the 1st: a full month
            "2026-11-30T23:59:59Z,    UTC,               1,     1,             30,          5.00",   // the last day counts
            "2026-12-31T10:00:00Z,    UTC,               3,     1,             31,          14.52",  // 450/31 = 14.516…
            "2026-12-01T00:00:00Z,    UTC,               1,     31,            31,          150.00",
            "2027-02-01T00:00:00Z,    UTC,               1,     28,            28,          150.00", // February
            "2027-02-15T00:00:00Z,    UTC,               2,     14,            28,          150.00",
            "2028-02-15T00:00:00Z,    UTC,               2,     15,            29,          155.17", // leap year: 4500/29
            "2028-02-29T08:00:00Z,    UTC,               1,     1,             29,          5.17",
            // Time zones: the day is the tenant's, not UTC's
            "2026-11-30T23:30:00Z,    Asia/Tokyo,        1,     31,            31,          150.00", // already Dec 1st there
            "2026-12-01T03:00:00Z,    America/New_York,  1,     1,             30,          5.00",   // still Nov 30th there
            "2027-03-14T12:00:00Z,    America/New_York,  1,     18,            31,          87.10",  // DST change day
            "2026-11-30T10:30:00Z,    Pacific/Kiritimati, 1,    31,            31,          150.00", // UTC+14: Dec 1st
            "2026-12-01T09:59:00Z,    Pacific/Pago_Pago, 1,     1,             30,          5.00",   // UTC-11: Nov 30th
    })
    void chargesTheDaysLeftInTheTenantsMonth(String purchasedAt, String zone, int count, int daysRemaining,
                                             int daysInMonth, String amount) {
        Charge charge = Proration.charge(OUTBOUND, count, Instant.parse(purchasedAt), ZoneId.of(zone));

        assertThat(charge.daysRemaining()).isEqualTo(daysRemaining);
        assertThat(charge.daysInMonth()).isEqualTo(daysInMonth);
        assertThat(charge.amount()).isEqualByComparingTo(amount);
        assertThat(charge.amount().scale()).isEqualTo(2);
        assertThat(charge.unitMonthlyPrice()).isEqualByComparingTo("150.00");
        assertThat(charge.currency()).isEqualTo("USD");
    }

    @Test
    void roundsHalfUpToCents() {
        // 1.05 × 1 × 15 / 30 = 0.525 exactly: HALF_UP gives 0.53 (HALF_EVEN would give 0.52).
        var cheap = new LicenseType("cheap", List.of("inbound"), new BigDecimal("1.05"), "USD");

        Charge charge = Proration.charge(cheap, 1, Instant.parse("2026-11-16T00:00:00Z"), UTC);

        assertThat(charge.amount()).isEqualTo(new BigDecimal("0.53"));
    }

    @Test
    void largePurchasesStayExact() {
        Charge charge = Proration.charge(OUTBOUND, 10_000, Instant.parse("2026-12-02T00:00:00Z"), UTC);

        // 150 × 10000 × 30 / 31 = 1451612.903…
        assertThat(charge.amount()).isEqualTo(new BigDecimal("1451612.90"));
    }
}
