package dev.seatgate.seats;

import dev.seatgate.licenses.LicenseType;
import java.net.InetAddress;
import java.util.Optional;

/**
 * One login, as any transport hands it to {@link Admission}: who, with which proof, for which seat, from where.
 * Identifiers are validated by the transport before they get here (they end up in Redis keys).
 *
 * @param client the client's address (behind a trusted proxy, the one it vouches for): lockout and fairness
 * @param queue    wait in line when no seat is free ({@code "queue": true}) instead of being refused
 * @param campaign the campaign the agent works in (its caps and reservations apply), if any
 */
public record LoginRequest(String tenant, String agentId, Credential credential, LicenseType type,
                           Optional<String> deviceId, InetAddress client, boolean queue, Optional<String> campaign) {

    /** How the agent proves who it is. */
    public sealed interface Credential {
        /** The agent's password: checked with the slow hash, or against the credential cache. */
        record Password(String password) implements Credential {
            @Override
            public String toString() {
                return "Password[***]";
            }
        }

        /** A resume token from an earlier login of the agent: checked inside the claim, no slow hash. */
        record Resume(ResumeToken token) implements Credential {
        }
    }

    @Override
    public String toString() {
        return "LoginRequest[" + tenant + "/" + agentId + " " + type.name() + " from " + client.getHostAddress() + "]";
    }
}
