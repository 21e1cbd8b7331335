package dev.seatgate.benchmarks;

import dev.seatgate.Json;
import dev.seatgate.agents.Agent;
import dev.seatgate.benchmarks.state.LocalRedis;
import dev.seatgate.config.SecondLoginPolicy;
import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.licenses.LicenseType;
import dev.seatgate.redis.RedisClock;
import dev.seatgate.redis.RedisConnector;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import dev.seatgate.seats.LoginOutcome;
import dev.seatgate.seats.Proof;
import dev.seatgate.seats.SeatLedger;
import dev.seatgate.seats.SessionEnds;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.redisson.Redisson;
import org.redisson.api.RPermitExpirableSemaphore;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;

/**
 * Claim and release of a seat, {@value #IN_FLIGHT} at a time, straight against Redis (no HTTP): the seat
 * ledger's Lua scripts through one Lettuce connection, against Redisson's {@code RPermitExpirableSemaphore}
 * ({@code tryAcquire} with a lease, then {@code release}) with its default configuration, the library a team
 * would reach for instead. Compared with {@code @Param}, as Caffeine's {@code GetPutBenchmark} compares caches.
 *
 * <pre>
 * java -jar benchmarks/target/seatgate-benchmarks.jar ClaimBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 5)
@Measurement(iterations = 5, time = 5)
@Fork(1)
public class ClaimBenchmark {

    /** Claim + release cycles in flight at once. */
    static final int IN_FLIGHT = 64;
    private static final String TENANT = "bench";

    @Param({"seatgate", "redisson"})
    String ledger;

    private LocalRedis redis;
    private Cycle cycle;

    /** One claim and its release. */
    private interface Cycle extends AutoCloseable {
        CompletionStage<?> run(int agent);

        @Override
        void close();
    }

    @Setup(Level.Trial)
    public void start() {
        redis = LocalRedis.start();
        cycle = ledger.equals("seatgate") ? seatgate(redis.uri()) : redisson(redis.uri());
    }

    @TearDown(Level.Trial)
    public void stop() {
        cycle.close();
        redis.close();
    }

    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public void claimAndRelease() {
        var cycles = new CompletableFuture<?>[IN_FLIGHT];
        for (int i = 0; i < IN_FLIGHT; i++) {
            cycles[i] = cycle.run(i + 1).toCompletableFuture();
        }
        CompletableFuture.allOf(cycles).join();
    }

    private static Cycle seatgate(String uri) {
        var connector = RedisConnector.start(uri, Duration.ofSeconds(5));
        connector.awaitFirstAttempt(Duration.ofSeconds(10));
        var scripts = new ScriptRunner(connector, Duration.ZERO);
        var clock = new RedisClock(connector, Duration.ZERO);
        clock.sync().toCompletableFuture().join();
        var ledger = new SeatLedger(scripts, clock, new SeatLedger.Rules(Duration.ofSeconds(30),
                SecondLoginPolicy.TAKEOVER, Duration.ofSeconds(5), 10, Duration.ofDays(7), 1000, LicenseCatalog.DEFAULT.names()), SessionEnds.UNCOUNTED);
        LicenseType outbound = LicenseCatalog.DEFAULT.find("outbound").orElseThrow();
        TenantKeys keys = TenantKeys.of(TENANT);
        var sync = connector.commands();
        sync.hset(keys.tenant(), Map.of("name", "bench", "timeZone", "UTC", "createdAt", "0")).toCompletableFuture().join();
        sync.set(keys.seats("outbound"), Integer.toString(IN_FLIGHT)).toCompletableFuture().join();
        String[] credentials = new String[IN_FLIGHT + 1];
        for (int i = 1; i <= IN_FLIGHT; i++) {
            var agent = new Agent("a" + i, "Agent " + i, "pbkdf2-sha256$1000$c2FsdA$aGFzaA", List.of("outbound"), true,
                    Map.of(), 0, 0, null);
            sync.hset(keys.agents(), agent.agentId(), Json.write(agent)).toCompletableFuture().join();
            credentials[i] = agent.credentialId();
        }
        return new Cycle() {
            @Override
            public CompletionStage<?> run(int agent) {
                return ledger.claim(TENANT, "a" + agent, new Proof.Password(credentials[agent], false), outbound,
                        Optional.empty(), false, Optional.empty())
                        .thenCompose(result -> ledger.revoke(TENANT,
                                ((LoginOutcome.Admitted) result).session().sessionId()));
            }

            @Override
            public void close() {
                connector.close();
            }
        };
    }

    private static Cycle redisson(String uri) {
        Config config = new Config();
        config.useSingleServer().setAddress(uri);
        RedissonClient client = Redisson.create(config);
        RPermitExpirableSemaphore semaphore = client.getPermitExpirableSemaphore("bench:outbound");
        semaphore.trySetPermits(IN_FLIGHT);
        return new Cycle() {
            @Override
            public CompletionStage<?> run(int agent) {
                return semaphore.tryAcquireAsync(0, 30, TimeUnit.SECONDS)
                        .thenCompose(permit -> semaphore.releaseAsync(permit));
            }

            @Override
            public void close() {
                client.shutdown();
            }
        };
    }
}
