package dev.seatgate.licenses;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * Prices a mid-month purchase: seats are charged at once for the days left in the month, counting the day
 * of purchase, in the tenant's time zone (a purchase at 23:30 UTC on the 31st is a purchase on the 1st in
 * Tokyo). The monthly cycle then bills every seat in full on the 1st.
 */
public final class Proration {

    private Proration() {
    }

    public static Charge charge(LicenseType type, int count, Instant purchasedAt, ZoneId zone) {
        LocalDate day = purchasedAt.atZone(zone).toLocalDate();
        int daysInMonth = day.lengthOfMonth();
        int daysRemaining = daysInMonth - day.getDayOfMonth() + 1;
        BigDecimal amount = type.unitMonthlyPrice()
                .multiply(BigDecimal.valueOf(count))
                .multiply(BigDecimal.valueOf(daysRemaining))
                .divide(BigDecimal.valueOf(daysInMonth), 2, RoundingMode.HALF_UP);
        return new Charge(amount, type.currency(), type.unitMonthlyPrice(), daysRemaining, daysInMonth);
    }
}
