package dev.seatgate.campaigns;

import java.util.Map;

/**
 * A campaign of a tenant (API.md "Campaigns"): its name and, per license type, its limits. Stored as JSON in the
 * tenant's campaigns hash; the limits the claim checks are kept apart, per type (lua/campaigns.lua).
 *
 * @param limits by license type; a type without an entry has neither a cap nor a reservation
 */
public record Campaign(String name, Map<String, Limit> limits) {

    public Campaign {
        limits = Map.copyOf(limits);
    }

    /**
     * @param max      the most sessions of the type in the campaign at once; null for no cap
     * @param reserved seats of the type kept for the campaign
     */
    public record Limit(Integer max, int reserved) {
    }
}
