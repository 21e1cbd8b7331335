package dev.seatgate.agents;

import dev.seatgate.Crypto;
import java.util.List;
import java.util.Map;

/**
 * An agent login of a tenant, as stored (JSON in the tenant's agents hash). Holds the password hash, so it
 * never leaves the gateway as is: API responses are built from its other fields.
 *
 * @param licenseTypes the seat types the agent may log in with
 * @param attributes   free settings copied when the agent is cloned (user group, ...)
 * @param createdAt    epoch milliseconds, Redis' clock
 * @param updatedAt    epoch milliseconds of the last change
 * @param campaigns    the campaigns the agent may work in; null (the default, and what records written before
 *                     campaigns hold) means every one
 */
public record Agent(String agentId, String name, String passwordHash, List<String> licenseTypes, boolean enabled,
                    Map<String, String> attributes, long createdAt, long updatedAt, List<String> campaigns) {

    public Agent {
        licenseTypes = List.copyOf(licenseTypes);
        attributes = Map.copyOf(attributes);
        campaigns = campaigns == null ? null : List.copyOf(campaigns);
    }

    /** The same agent with another hash of its password. */
    public Agent withPasswordHash(String hash) {
        return new Agent(agentId, name, hash, licenseTypes, enabled, attributes, createdAt, updatedAt, campaigns);
    }

    public boolean mayUse(String licenseType) {
        return licenseTypes.contains(licenseType);
    }

    /**
     * Which password the agent has, without saying anything about it: the SHA-1 of its hash (which is
     * salted), so a credential cached for an old password is recognised as stale. The claim script
     * computes the same from the stored record ({@code redis.sha1hex}).
     */
    public String credentialId() {
        return Crypto.sha1Hex(passwordHash);
    }

    /**
     * What the claim script checks before it takes a seat, in one short string (the tenant's gates hash):
     * {@code <credentialId> <1|0 enabled> <type,type> <campaigns>}, campaigns {@code *} for every one, {@code !} for
     * none, else {@code campaign,campaign} (lib.lua agent_gate reads it).
     */
    public String gate() {
        String mayWorkIn = campaigns == null ? "*" : campaigns.isEmpty() ? "!" : String.join(",", campaigns);
        return credentialId() + " " + (enabled ? "1" : "0") + " " + String.join(",", licenseTypes) + " " + mayWorkIn;
    }
}
