package dev.seatgate.licenses;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The seats of one license type of a tenant at one moment.
 *
 * @param active            seats that can be claimed now
 * @param inUse             seats held by live sessions (may exceed active after a removal took effect)
 * @param available         {@code max(0, active - inUse)}
 * @param waiting           tickets in line for the type (API.md "The waiting line")
 * @param campaigns         every campaign of the tenant: its sessions of the type, cap and reservation
 * @param pending           purchases not yet active, soonest first
 * @param scheduledRemovals removals that have not taken effect yet
 */
public record LicenseCounts(long active, long inUse, long available, long waiting, List<Pending> pending,
                            List<ScheduledRemoval> scheduledRemovals, Map<String, CampaignCounts> campaigns) {

    /** A campaign's sessions of the type, its cap (null: none) and its reservation. */
    public record CampaignCounts(long inUse, Long max, long reserved) {
    }

    /** A purchase waiting for its activation time. */
    public record Pending(String purchaseId, int count, Instant activatesAt) {
    }

    /** Seats that stop counting at {@code effectiveAt} (the next 1st of the month in the tenant's zone). */
    public record ScheduledRemoval(String removalId, int count, Instant effectiveAt) {
    }
}
