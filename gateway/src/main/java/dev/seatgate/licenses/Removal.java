package dev.seatgate.licenses;

import java.time.Instant;

/**
 * Seats dropped: they stay active and usable until {@code effectiveAt}, the next 1st of the month at 00:00
 * in the tenant's zone, and stop counting from then on (the provider's rule: a lower seat count takes
 * effect on the next billing cycle).
 */
public record Removal(String removalId, String tenant, String licenseType, int count, Instant requestedAt,
                      Instant effectiveAt) {
}
