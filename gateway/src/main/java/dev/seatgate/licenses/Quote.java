package dev.seatgate.licenses;

import java.time.Instant;

/**
 * What a purchase would be if it were made now, without buying anything: when its seats would activate and what
 * it would charge (the same {@link Charge} a purchase answers with).
 */
public record Quote(String licenseType, int count, Instant activatesAt, Charge charge) {
}
