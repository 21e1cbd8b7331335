package dev.seatgate.licenses;

import java.time.Instant;

/**
 * Seats bought: charged at once ({@code charge}), usable from {@code activatesAt} on. Stored as JSON with
 * its idempotency key and returned as is when the same request is retried.
 */
public record Purchase(String purchaseId, String tenant, String licenseType, int count, Instant purchasedAt,
                       Instant activatesAt, Charge charge) {
}
