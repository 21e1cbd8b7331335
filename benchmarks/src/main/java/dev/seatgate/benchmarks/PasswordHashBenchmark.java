package dev.seatgate.benchmarks;

import dev.seatgate.agents.PasswordHasher;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What one login's password check costs at a few PBKDF2-HMAC-SHA256 iteration counts, on one thread. The
 * gateway's default is 600,000 (OWASP 2023); this is the figure that bounds first logins per core.
 *
 * <pre>
 * mvn -B -q -DskipTests package
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

    @Param({"100000", "310000", "600000"})
    int iterations;

    private PasswordHasher hasher;
    private String hash;

    @Setup(Level.Trial)
    public void hashOnce() {
        hasher = new PasswordHasher(iterations, 1);
        hash = hasher.hash("correct horse battery").toCompletableFuture().join();
    }

    @TearDown(Level.Trial)
    public void close() {
        hasher.close();
    }

    @Benchmark
    public boolean verify() {
        return hasher.verify("correct horse battery", hash).toCompletableFuture().join();
    }
}
