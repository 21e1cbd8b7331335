package dev.seatgate.seats;

import dev.seatgate.licenses.LicenseType;
import java.net.InetAddress;
import java.util.Optional;

/**
 * One login, as any transport hands it to {@link Admission}: who, with which proof, for which seat, from where.
 * Identifiers are validated by the transport before they get here (they end up in Redis keys).
 *
 * @param client the client's address (behind a trusted proxy, the one it vouches for): lockout and fairness
 */
public record LoginRequest(String tenant, String agentId, String password, LicenseType type,
                           Optional<String> deviceId, InetAddress client) {

    @Override
    public String toString() {
        return "LoginRequest[" + tenant + "/" + agentId + " " + type.name() + " from " + client.getHostAddress() + "]";
    }
}
