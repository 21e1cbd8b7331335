package dev.seatgate.seats;

import dev.seatgate.Crypto;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The bearer token a softphone holds for its session: {@code <tenant>.<sessionId>.<secret>}.
 *
 * <p>Clients treat it as opaque. The gateway reads the tenant and session id out of it to find the
 * session's keys without a lookup table, and checks the secret (256 random bits) against the SHA-256
 * stored with the session. Redis never holds a usable token, and comparing digests leaks nothing useful
 * through timing, since an attacker cannot steer a digest's prefix.
 */
public record SessionToken(String tenant, String sessionId, String secret) {

    private static final Pattern FORMAT =
            Pattern.compile("([A-Za-z0-9_-]{1,64})\\.([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");

    /** A new session of a tenant: a 128-bit random session id and a 256-bit random secret. */
    public static SessionToken issue(String tenant) {
        return new SessionToken(tenant, Crypto.randomId(16), Crypto.randomId(32));
    }

    /** The token from an {@code Authorization: Bearer} value, if it has the shape of one. */
    public static Optional<SessionToken> parse(String token) {
        var matcher = FORMAT.matcher(token);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        return Optional.of(new SessionToken(matcher.group(1), matcher.group(2), matcher.group(3)));
    }

    /** What the client sends back as {@code Authorization: Bearer ...}. */
    public String encoded() {
        return tenant + "." + sessionId + "." + secret;
    }

    /** The hex SHA-256 of the secret, which is all Redis stores. */
    public String secretHash() {
        return Crypto.sha256Hex(secret);
    }

    @Override
    public String toString() {
        return "SessionToken[" + tenant + "/" + sessionId + "]"; // never the secret
    }
}
