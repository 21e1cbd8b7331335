package dev.seatgate.benchmarks;

import dev.seatgate.agents.PasswordHash;
import dev.seatgate.config.HashingConfig;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one login's password check costs on one thread: the gateway's Argon2id (19 MiB, 2 passes, 1 lane:
 * OWASP) against the PBKDF2-HMAC-SHA256 at 600,000 iterations that earlier versions stored (and that still
 * verify, until the agent's next login replaces them). This is the figure that bounds first logins per core.
 *
 * <pre>
 * ./mvnw -B -q -DskipTests package
 * java -jar benchmarks/target/seatgate-benchmarks.jar PasswordHashBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class PasswordHashBenchmark {

    private static final String PASSWORD = "correct horse battery";

    @Param({"argon2id-19MiB-t2", "pbkdf2-sha256-600000"})
    String scheme;

    private String hash;

    @Setup(Level.Trial)
    public void hashOnce() {
        hash = scheme.startsWith("argon2id")
                ? PasswordHash.argon2id(PASSWORD, new HashingConfig(HashingConfig.DEFAULT_MEMORY_KIB,
                        HashingConfig.DEFAULT_PASSES, 1, Duration.ofSeconds(5)))
                : PasswordHash.pbkdf2Sha256(PASSWORD, 600_000);
    }

    @Benchmark
    public boolean verify() {
        return PasswordHash.matches(PASSWORD, hash);
    }
}
