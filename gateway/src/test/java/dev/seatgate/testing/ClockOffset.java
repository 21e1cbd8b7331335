package dev.seatgate.testing;

import java.time.Duration;
import java.time.Instant;

/**
 * Puts gateways at another moment with {@code SEATGATE_CLOCK_OFFSET}, so a test can cross the 1st of a
 * month in seconds: {@code var clock = ClockOffset.livingAt(boundary.minusSeconds(4));} then start the
 * gateways with {@code "SEATGATE_CLOCK_OFFSET", clock.setting()}.
 */
public record ClockOffset(Duration offset) {

    /** The offset that makes "now" be {@code moment} (give or take the milliseconds until gateways start). */
    public static ClockOffset livingAt(Instant moment) {
        return new ClockOffset(Duration.between(Instant.now(), moment));
    }

    /** The value of SEATGATE_CLOCK_OFFSET. */
    public String setting() {
        return offset.toString();
    }

    /** What the gateways' clock reads now. */
    public Instant now() {
        return Instant.now().plus(offset);
    }

    /** Sleeps until the gateways' clock reads {@code moment}. */
    public void sleepUntil(Instant moment) throws InterruptedException {
        long millis = Duration.between(now(), moment).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
