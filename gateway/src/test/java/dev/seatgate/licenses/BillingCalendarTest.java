package dev.seatgate.licenses;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BillingCalendarTest {

    @ParameterizedTest(name = "{1}: {0} -> {2}")
    @CsvSource({
            // at,                         zone,               next cycle starts at,     month
            "2026-11-27T17:00:00Z,         UTC,                2026-12-01T00:00:00Z,     2026-12",
            "2026-11-30T23:59:59.999Z,     UTC,                2026-12-01T00:00:00Z,     2026-12",
            "2026-12-01T00:00:00Z,         UTC,                2027-01-01T00:00:00Z,     2027-01", // at the boundary: next month
            "2026-12-31T12:00:00Z,         UTC,                2027-01-01T00:00:00Z,     2027-01", // across the year
            // New York: midnight of Nov 1st is still EDT (-4); DST ends at 02:00 that day, so Dec 1st is EST (-5)
            "2026-10-20T12:00:00Z,         America/New_York,   2026-11-01T04:00:00Z,     2026-11",
            "2026-11-01T03:59:59Z,         America/New_York,   2026-11-01T04:00:00Z,     2026-11", // Oct 31st 23:59:59 EDT
            "2026-11-01T04:00:00Z,         America/New_York,   2026-12-01T05:00:00Z,     2026-12",
            "2026-12-01T04:30:00Z,         America/New_York,   2026-12-01T05:00:00Z,     2026-12", // Nov 30th 23:30 EST
            "2027-03-20T12:00:00Z,         America/New_York,   2027-04-01T04:00:00Z,     2027-04", // after spring forward
            // Kiritimati is UTC+14: its December starts while UTC is still on November 30th
            "2026-11-30T09:59:59Z,         Pacific/Kiritimati, 2026-11-30T10:00:00Z,     2026-12",
            "2026-11-30T10:00:00Z,         Pacific/Kiritimati, 2026-12-31T10:00:00Z,     2027-01",
            // Leap year: February 2028 has 29 days
            "2028-02-28T23:00:00Z,         UTC,                2028-03-01T00:00:00Z,     2028-03",
            "2028-02-29T23:59:59Z,         UTC,                2028-03-01T00:00:00Z,     2028-03",
            "2027-02-28T23:59:59Z,         UTC,                2027-03-01T00:00:00Z,     2027-03",
    })
    void nextCycleStartsOnTheNextFirstAtMidnightInTheTenantsZone(String at, String zone, String startsAt,
                                                                 String month) {
        var next = BillingCalendar.nextCycleStart(Instant.parse(at), ZoneId.of(zone));

        assertThat(next.startsAt()).isEqualTo(Instant.parse(startsAt));
        assertThat(next.label()).isEqualTo(month);
    }

    @Test
    void aFirstWhoseMidnightDoesNotExistStartsAtItsFirstMoment() {
        // Paraguay sprang forward at 00:00 on 2017-10-01: that day began at 01:00 (-03:00).
        var next = BillingCalendar.nextCycleStart(Instant.parse("2017-09-20T12:00:00Z"), ZoneId.of("America/Asuncion"));

        assertThat(next.startsAt()).isEqualTo(Instant.parse("2017-10-01T04:00:00Z"));
        assertThat(next.label()).isEqualTo("2017-10");
    }

    @Test
    void upcomingListsConsecutiveMonths() {
        var starts = BillingCalendar.upcoming(Instant.parse("2026-11-15T00:00:00Z"), ZoneId.of("UTC"), 3);

        assertThat(starts).extracting(BillingCalendar.CycleStart::label).containsExactly("2026-12", "2027-01", "2027-02");
    }
}
