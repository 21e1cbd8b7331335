package dev.seatgate.agents;

import dev.seatgate.config.HashingConfig;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * The stored form of a password: a salted, slow hash with its parameters, so that they can change without
 * breaking the passwords hashed before.
 *
 * <ul>
 *   <li>New hashes are Argon2id (RFC 9106) in the PHC string format every Argon2 library reads:
 *       {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>} (unpadded base64). OWASP's parameters by default:
 *       19 MiB of memory, 2 passes, 1 lane; Bouncy Castle computes them, about 25 to 30 ms on one core here.</li>
 *   <li>Hashes of earlier versions, {@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, still verify; they are
 *       not {@link #isCurrent current}, so the agent's next successful login replaces them.</li>
 * </ul>
 *
 * Comparisons are constant-time. This class computes; {@link PasswordHasher} decides where (never on an
 * event loop).
 */
public final class PasswordHash {

    private static final Pattern ARGON2ID =
            Pattern.compile("\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,2}),p=1\\$([A-Za-z0-9+/]+)\\$([A-Za-z0-9+/]+)");
    private static final String PBKDF2_SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Base64.Encoder BASE64 = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder BASE64_DECODER = Base64.getDecoder();

    private PasswordHash() {
    }

    /** A new Argon2id hash of {@code password} under a fresh random salt. */
    public static String argon2id(String password, HashingConfig cost) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        byte[] hash = argon2id(password, salt, cost.memoryKib(), cost.passes(), HASH_BYTES);
        return "$argon2id$v=19$m=" + cost.memoryKib() + ",t=" + cost.passes() + ",p=1$" + BASE64.encodeToString(salt)
                + "$" + BASE64.encodeToString(hash);
    }

    /** Whether {@code password} is the one hashed in {@code encoded}; false for anything not a known form. */
    public static boolean matches(String password, String encoded) {
        Matcher argon2 = ARGON2ID.matcher(encoded);
        if (argon2.matches()) {
            byte[] expected = BASE64_DECODER.decode(argon2.group(4));
            byte[] actual = argon2id(password, BASE64_DECODER.decode(argon2.group(3)),
                    Integer.parseInt(argon2.group(1)), Integer.parseInt(argon2.group(2)), expected.length);
            return MessageDigest.isEqual(expected, actual);
        }
        String[] pbkdf2 = encoded.split("\\$");
        if (pbkdf2.length == 4 && pbkdf2[0].equals(PBKDF2_SCHEME)) {
            byte[] expected = BASE64_DECODER.decode(pbkdf2[3]);
            byte[] actual = pbkdf2(password, BASE64_DECODER.decode(pbkdf2[2]), Integer.parseInt(pbkdf2[1]),
                    expected.length * 8);
            return MessageDigest.isEqual(expected, actual);
        }
        return false;
    }

    /** Whether {@code encoded} is Argon2id at exactly this cost; else the next login should hash it anew. */
    public static boolean isCurrent(String encoded, HashingConfig cost) {
        Matcher argon2 = ARGON2ID.matcher(encoded);
        return argon2.matches() && Integer.parseInt(argon2.group(1)) == cost.memoryKib()
                && Integer.parseInt(argon2.group(2)) == cost.passes();
    }

    /** A PBKDF2 hash as earlier versions stored them; only for tests and benchmarks of the upgrade. */
    public static String pbkdf2Sha256(String password, int iterations) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return PBKDF2_SCHEME + "$" + iterations + "$" + BASE64.encodeToString(salt) + "$"
                + BASE64.encodeToString(pbkdf2(password, salt, iterations, HASH_BYTES * 8));
    }

    private static byte[] argon2id(String password, byte[] salt, int memoryKib, int passes, int length) {
        var parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(memoryKib)
                .withIterations(passes)
                .withParallelism(1)
                .withSalt(salt)
                .build();
        var generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] hash = new byte[length];
        generator.generateBytes(password.getBytes(StandardCharsets.UTF_8), hash);
        return hash;
    }

    private static byte[] pbkdf2(String password, byte[] salt, int iterations, int bits) {
        var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, bits);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has PBKDF2WithHmacSHA256", e);
        } finally {
            spec.clearPassword();
        }
    }
}
