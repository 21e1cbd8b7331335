package dev.seatgate.redis;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.Gateway;
import dev.seatgate.Json;
import dev.seatgate.agents.Agent;
import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.licenses.LicenseType;
import dev.seatgate.metrics.GatewayMetrics;
import dev.seatgate.seats.ClaimResult;
import dev.seatgate.seats.SeatLedger;
import dev.seatgate.seats.SecondLoginPolicy;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.RedisServer;
import dev.seatgate.testing.SeatgateExtension;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invariant 5, fail closed: without Redis, logins get 503 within the timeout and nothing is claimed, the
 * event loop stays responsive, and the gateway recovers by itself when Redis returns.
 */
class RedisOutageIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = SeatgateExtension.withAppendOnlyFile();

    private static final String TIMEOUT = "PT0.5S";

    @Test
    void unreachableRedisGives503FastWithRetryAfter() {
        int nothingListens = RedisServer.freePort();
        Gateway gateway = seatgate.startGateway("SEATGATE_REDIS_URI", "redis://127.0.0.1:" + nothingListens,
                "SEATGATE_REDIS_TIMEOUT", TIMEOUT);
        var api = new ApiClient(gateway);

        long started = System.nanoTime();
        Reply login = api.login("acme", "a1", "password-a1", "outbound");
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(login.status()).isEqualTo(503);
        assertThat(login.errorCode()).isEqualTo("UNAVAILABLE");
        assertThat(login.header("Retry-After")).isEqualTo("1");
        assertThat(took).isLessThan(Duration.ofSeconds(2));
        assertThat(api.admin("PUT", "/v1/tenants/acme", Map.of("name", "Acme")).status()).isEqualTo(503);
        assertThat(api.agent("GET", "/readyz", "").status()).isEqualTo(503);
        assertThat(api.agent("GET", "/healthz", "").status()).isEqualTo(200);
    }

    @Test
    void pausedRedisGives503InBoundedTimeAndTheQueuedClaimNeverTakesASeat() throws Exception {
        var api = new ApiClient(seatgate.startGateway("SEATGATE_REDIS_TIMEOUT", TIMEOUT));
        String tenant = Fixtures.tenant(api, 1, 0, 2);
        seatgate.redis().pause();
        try {
            long started = System.nanoTime();
            CompletableFuture<Reply> login = api.loginAsync(tenant, "a1", password("a1"), "outbound");
            Reply health = api.agent("GET", "/healthz", "");
            Reply refused = login.join();
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(health.status()).as("the event loop answers while Redis is frozen").isEqualTo(200);
            assertThat(refused.status()).isEqualTo(503);
            assertThat(took).isLessThan(Duration.ofSeconds(3));
        } finally {
            seatgate.redis().resume();
        }
        // Whatever the gateway sent during the pause now runs in Redis; none of it may hold a seat.
        Thread.sleep(300);
        assertThat(api.licenses(tenant).json().at("/licenses/outbound/inUse").asInt()).isZero();
        assertThat(api.login(tenant, "a2", password("a2"), "outbound").status()).isEqualTo(200);
    }

    /**
     * The claim itself waits in Redis' socket buffer while Redis is frozen, the caller times out (503), and
     * Redis runs the script when it thaws: the script sees its deadline has passed and takes no seat.
     * Without the deadline, this seat would stay taken for a whole lease by a client that was told no.
     */
    @Test
    void aClaimThatRunsAfterItsDeadlineClaimsNothing() throws Exception {
        var api = new ApiClient(seatgate.startGateway());
        String tenant = Fixtures.tenant(api, 1, 0, 1);
        String credentialId = Json.read(seatgate.redis().sync().hget("sg:{" + tenant + "}:agents", "a1"), Agent.class)
                .credentialId();
        Duration timeout = Duration.parse(TIMEOUT);
        try (var redis = RedisConnector.start(seatgate.redis().uri(), timeout)) {
            assertThat(redis.awaitFirstAttempt(Duration.ofSeconds(5))).isTrue();
            var clock = new RedisClock(redis, Duration.ZERO);
            clock.sync().toCompletableFuture().join();
            var scripts = new ScriptRunner(redis, Duration.ZERO);
            scripts.loadAll(SeatLedger.SCRIPTS).toCompletableFuture().join();
            var seats = new SeatLedger(scripts, clock, Duration.ofSeconds(30), SecondLoginPolicy.TAKEOVER, timeout, 10,
                    new GatewayMetrics(LicenseCatalog.DEFAULT.names()));
            LicenseType outbound = LicenseCatalog.DEFAULT.find("outbound").orElseThrow();

            seatgate.redis().pause();
            CompletableFuture<ClaimResult> claim;
            try {
                claim = seats.claim(tenant, "a1", credentialId, outbound, Optional.empty()).toCompletableFuture();
                assertThat(claim).failsWithin(Duration.ofSeconds(3))
                        .withThrowableThat().withRootCauseInstanceOf(RedisCommandTimeoutException.class);
            } finally {
                seatgate.redis().resume();
            }

            assertThat(eventually(() -> seatgate.redis().sync().exists("sg:{" + tenant + "}:online") == 0
                    && seatgate.redis().sync().zcard("sg:{" + tenant + "}:leases:outbound") == 0)).isTrue();
            // ... and the script did run: the same ledger claims the seat now that Redis answers in time.
            assertThat(seats.claim(tenant, "a1", credentialId, outbound, Optional.empty()).toCompletableFuture().join())
                    .isInstanceOf(ClaimResult.Admitted.class);
            assertThat(seatgate.redis().sync().zcard("sg:{" + tenant + "}:leases:outbound")).isEqualTo(1);
        }
    }

    @Test
    void theGatewayRecoversWhenRedisRestartsAndKeepsItsDataFromTheAof() {
        var api = new ApiClient(seatgate.startGateway("SEATGATE_REDIS_TIMEOUT", TIMEOUT));
        String tenant = Fixtures.tenant(api, 2, 0, 2);

        seatgate.redis().stop();
        assertThat(api.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(503);
        assertThat(api.agent("GET", "/readyz", "").status()).isEqualTo(503);

        seatgate.redis().restart(); // the script cache is empty now: NOSCRIPT, then loaded again
        assertThat(eventually(() -> api.agent("GET", "/readyz", "").status() == 200)).isTrue();
        Reply login = api.login(tenant, "a1", password("a1"), "outbound");
        assertThat(login.status()).isEqualTo(200);
        assertThat(api.licenses(tenant).json().at("/licenses/outbound/active").asInt()).isEqualTo(2);
    }

    @Test
    void aGatewayStartedBeforeRedisServesOnceRedisIsUp() {
        seatgate.redis().stop();
        Gateway early;
        try {
            early = seatgate.startGateway("SEATGATE_REDIS_TIMEOUT", TIMEOUT);
            assertThat(new ApiClient(early).agent("GET", "/readyz", "").status()).isEqualTo(503);
        } finally {
            seatgate.redis().restart();
        }
        var api = new ApiClient(early);

        assertThat(eventually(() -> api.agent("GET", "/readyz", "").status() == 200)).isTrue();
        String tenant = Fixtures.tenant(api, 1, 0, 1);
        assertThat(api.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);
    }

    private static boolean eventually(Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.get()) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
