package dev.seatgate.seats;

import dev.seatgate.Crypto;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a softphone keeps to log in again without its password: {@code <tokenId>.<secret>}, opaque to it.
 *
 * <p>The token id (128 random bits) names the token among its agent's; the secret (256 random bits) proves it.
 * Redis stores only the SHA-256 of the secret, with the token's expiry, so a copy of Redis logs nobody in;
 * and checking it costs a digest, not the slow password hash: a resume login costs what a cached login costs,
 * on any gateway, after any restart.
 */
public record ResumeToken(String tokenId, String secret) {

    private static final Pattern FORMAT = Pattern.compile("([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");

    public static ResumeToken issue() {
        return new ResumeToken(Crypto.randomId(16), Crypto.randomId(32));
    }

    /** The token, if {@code text} has the shape of one. */
    public static Optional<ResumeToken> parse(String text) {
        var matcher = FORMAT.matcher(text);
        return matcher.matches() ? Optional.of(new ResumeToken(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    /** What the client is given, and sends back as {@code resumeToken}. */
    public String encoded() {
        return tokenId + "." + secret;
    }

    /** The hex SHA-256 of the secret, which is all Redis stores. */
    public String secretHash() {
        return Crypto.sha256Hex(secret);
    }

    @Override
    public String toString() {
        return "ResumeToken[" + tokenId + "]"; // never the secret
    }
}
