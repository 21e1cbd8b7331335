package dev.seatgate;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Random identifiers and digests, the two small pieces of cryptography several capabilities share. */
public final class Crypto {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

    private Crypto() {
    }

    /** {@code bytes} random bytes as unpadded base64url ({@code [A-Za-z0-9_-]}), safe in keys and URLs. */
    public static String randomId(int bytes) {
        byte[] value = new byte[bytes];
        RANDOM.nextBytes(value);
        return BASE64URL.encodeToString(value);
    }

    /** The lowercase hex SHA-256 of the UTF-8 bytes of {@code value}. */
    public static String sha256Hex(String value) {
        return hex("SHA-256", value);
    }

    /**
     * The lowercase hex SHA-1 of the UTF-8 bytes of {@code value}: what Redis names scripts by, and what its
     * Lua {@code redis.sha1hex} computes, for fingerprints both sides must agree on (never for secrets).
     */
    public static String sha1Hex(String value) {
        return hex("SHA-1", value);
    }

    private static String hex(String algorithm, String value) {
        try {
            byte[] digest = MessageDigest.getInstance(algorithm).digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has " + algorithm, e);
        }
    }
}
