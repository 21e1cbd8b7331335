package dev.seatgate.tenants;

import java.time.Instant;
import java.time.ZoneId;

/**
 * A contact center.
 *
 * @param timeZone where its billing cycles start (00:00 on the 1st) and its purchases are prorated
 */
public record Tenant(String id, String name, ZoneId timeZone, Instant createdAt) {
}
