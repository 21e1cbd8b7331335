package dev.seatgate.agents;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.config.HashingConfig;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;
import org.junit.jupiter.api.Test;

class PasswordHashTest {

    private static final HashingConfig CHEAP = new HashingConfig(64, 1, 1, Duration.ofSeconds(5));

    @Test
    void newHashesAreArgon2idInThePhcFormatWithTheirParameters() {
        String hash = PasswordHash.argon2id("s3cret-pass", CHEAP);

        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=64,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(PasswordHash.matches("s3cret-pass", hash)).isTrue();
        assertThat(PasswordHash.matches("s3cret-pasS", hash)).isFalse();
        assertThat(PasswordHash.argon2id("s3cret-pass", CHEAP)).as("salted").isNotEqualTo(hash);
    }

    @Test
    void theHashIsRfc9106Argon2id() {
        // The same computation through Bouncy Castle directly, from the salt in the string: the format says
        // what was computed (another Argon2 library reading the string computes the same).
        String hash = PasswordHash.argon2id("password", CHEAP);
        String[] parts = hash.split("\\$");
        byte[] salt = Base64.getDecoder().decode(parts[4]);
        var generator = new Argon2BytesGenerator();
        generator.init(new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13).withMemoryAsKB(64).withIterations(1)
                .withParallelism(1).withSalt(salt).build());
        byte[] expected = new byte[32];
        generator.generateBytes("password".getBytes(StandardCharsets.UTF_8), expected);

        assertThat(parts[5]).isEqualTo(Base64.getEncoder().withoutPadding().encodeToString(expected));
    }

    @Test
    void legacyPbkdf2HashesStillVerifyButAreNotCurrent() {
        String legacy = PasswordHash.pbkdf2Sha256("s3cret-pass", 1_000);

        assertThat(legacy).startsWith("pbkdf2-sha256$1000$");
        assertThat(PasswordHash.matches("s3cret-pass", legacy)).isTrue();
        assertThat(PasswordHash.matches("wrong-pass", legacy)).isFalse();
        assertThat(PasswordHash.isCurrent(legacy, CHEAP)).isFalse();
    }

    @Test
    void anArgon2idHashAtAnotherCostIsNotCurrent() {
        String hash = PasswordHash.argon2id("s3cret-pass", CHEAP);

        assertThat(PasswordHash.isCurrent(hash, CHEAP)).isTrue();
        assertThat(PasswordHash.isCurrent(hash, new HashingConfig(128, 1, 1, Duration.ofSeconds(5)))).isFalse();
        assertThat(PasswordHash.isCurrent(hash, new HashingConfig(64, 2, 1, Duration.ofSeconds(5)))).isFalse();
    }

    @Test
    void anythingElseNeverMatches() {
        assertThat(PasswordHash.matches("x", "")).isFalse();
        assertThat(PasswordHash.matches("x", "plain-text-password")).isFalse();
        assertThat(PasswordHash.matches("x", "$argon2i$v=19$m=64,t=1,p=1$AAAA$AAAA")).isFalse();
        assertThat(PasswordHash.matches("x", "$argon2id$v=16$m=64,t=1,p=1$AAAA$AAAA")).isFalse();
    }
}
