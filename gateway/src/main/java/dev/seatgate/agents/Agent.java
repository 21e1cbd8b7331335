package dev.seatgate.agents;

import java.util.List;
import java.util.Map;

/**
 * An agent login of a tenant, as stored (JSON in the tenant's agents hash). Holds the password hash, so it
 * never leaves the gateway as is: API responses are built from its other fields.
 *
 * @param licenseTypes the seat types the agent may log in with
 * @param attributes   free settings copied when the agent is cloned (user group, campaign, ...)
 * @param createdAt    epoch milliseconds, Redis' clock
 */
public record Agent(String agentId, String name, String passwordHash, List<String> licenseTypes, boolean enabled,
                    Map<String, String> attributes, long createdAt) {

    public Agent {
        licenseTypes = List.copyOf(licenseTypes);
        attributes = Map.copyOf(attributes);
    }

    public boolean mayUse(String licenseType) {
        return licenseTypes.contains(licenseType);
    }
}
