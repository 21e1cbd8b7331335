package dev.seatgate.licenses;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * When billing cycles start: 00:00 on the 1st of each month in the tenant's time zone (or the first moment
 * of that day, in the rare zone whose clocks skip midnight). Removals take effect, and the monthly cycle is
 * billed, at these instants.
 */
public final class BillingCalendar {

    private BillingCalendar() {
    }

    /** One cycle start: its month (e.g. 2026-12) and the instant it begins. */
    public record CycleStart(YearMonth month, Instant startsAt) {
        /** The month as {@code 2026-12}, the name of the cycle in Redis and in billing events. */
        public String label() {
            return month.toString();
        }
    }

    /**
     * The first cycle start strictly after {@code at}: a removal requested at exactly 00:00 on the 1st is
     * already in that month, so it takes effect on the 1st of the next one.
     */
    public static CycleStart nextCycleStart(Instant at, ZoneId zone) {
        YearMonth month = YearMonth.from(at.atZone(zone)).plusMonths(1);
        return start(month, zone);
    }

    /** The next {@code count} cycle starts after {@code at}, soonest first. */
    public static List<CycleStart> upcoming(Instant at, ZoneId zone, int count) {
        var starts = new ArrayList<CycleStart>(count);
        CycleStart next = nextCycleStart(at, zone);
        for (int i = 0; i < count; i++) {
            starts.add(start(next.month().plusMonths(i), zone));
        }
        return starts;
    }

    static CycleStart start(YearMonth month, ZoneId zone) {
        LocalDate first = month.atDay(1);
        return new CycleStart(month, first.atStartOfDay(zone).toInstant());
    }
}
