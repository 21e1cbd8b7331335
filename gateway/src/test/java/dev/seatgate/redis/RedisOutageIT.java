package dev.seatgate.redis;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.Gateway;
import dev.seatgate.Json;
import dev.seatgate.agents.Agent;
import dev.seatgate.config.SecondLoginPolicy;
import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.licenses.LicenseType;
import dev.seatgate.seats.ClaimResult;
import dev.seatgate.seats.LoginOutcome;
import dev.seatgate.seats.Proof;
import dev.seatgate.seats.SeatLedger;
import dev.seatgate.seats.SessionEnds;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Await;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.LoginStorm;
import dev.seatgate.testing.RedisServer;
import dev.seatgate.testing.SeatChecker;
import dev.seatgate.testing.SeatgateExtension;
import io.lettuce.core.FlushMode;
import io.lettuce.core.RedisCommandTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
    /** How long a gateway may take to notice that Redis is back. */
    private static final Duration RECOVERY = Duration.ofSeconds(15);
    private static final int STORM_SEATS = 30;
    private static final int STORM_AGENTS = 40;
    private static final int STORM_THREADS = 8;

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

    /**
     * The agent logged in a moment ago, so its password is cached and its address known to be clear: the login
     * during the pause goes straight to the claim, which waits in Redis' socket buffer past its deadline.
     */
    @Test
    void pausedRedisGives503InBoundedTimeAndTheQueuedClaimNeverTakesASeat() throws Exception {
        var api = new ApiClient(seatgate.startGateway("SEATGATE_REDIS_TIMEOUT", TIMEOUT));
        String tenant = Fixtures.tenant(api, 1, 0, 2);
        Reply earlier = api.login(tenant, "a1", password("a1"), "outbound");
        assertThat(api.logout(earlier.json().at("/sessionToken").asText()).status()).isEqualTo(204);
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
        // The claim sent during the pause runs now, before anything the gateway sends after it (one connection,
        // in order): it must find its deadline passed and take no seat.
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
            scripts.load().toCompletableFuture().join();
            var seats = new SeatLedger(scripts, clock, new SeatLedger.Rules(Duration.ofSeconds(30),
                    SecondLoginPolicy.TAKEOVER, timeout, 10, Duration.ofDays(7), 1000, LicenseCatalog.DEFAULT.names()), SessionEnds.UNCOUNTED);
            LicenseType outbound = LicenseCatalog.DEFAULT.find("outbound").orElseThrow();

            seatgate.redis().pause();
            CompletableFuture<ClaimResult> claim;
            try {
                claim = seats.claim(tenant, "a1", new Proof.Password(credentialId, false), outbound, Optional.empty(), false, Optional.empty()).toCompletableFuture();
                assertThat(claim).failsWithin(Duration.ofSeconds(3))
                        .withThrowableThat().withRootCauseInstanceOf(RedisCommandTimeoutException.class);
            } finally {
                seatgate.redis().resume();
            }

            assertThat(Await.until(RECOVERY, () -> seatgate.redis().sync().exists("sg:{" + tenant + "}:online") == 0
                    && seatgate.redis().sync().zcard("sg:{" + tenant + "}:leases:outbound") == 0)).isTrue();
            // ... and the script did run: the same ledger claims the seat now that Redis answers in time.
            assertThat(seats.claim(tenant, "a1", new Proof.Password(credentialId, false), outbound, Optional.empty(), false, Optional.empty()).toCompletableFuture().join())
                    .isInstanceOf(LoginOutcome.Admitted.class);
            assertThat(seatgate.redis().sync().zcard("sg:{" + tenant + "}:leases:outbound")).isEqualTo(1);
        }
    }

    /**
     * Redis killed (SIGKILL) in the middle of a login storm on two gateways: from then on every login is 503
     * within the timeout and /readyz says so; Redis restarted from its AOF has the purchases, the agents and
     * every session a client was told it holds, and both gateways serve again without a restart.
     */
    @Test
    void redisKilledMidStormFailsClosedAndComesBackFromTheAofWithEverySessionAdmitted() throws Exception {
        var first = new ApiClient(seatgate.startGateway("SEATGATE_REDIS_TIMEOUT", TIMEOUT));
        var second = new ApiClient(seatgate.startGateway("SEATGATE_REDIS_TIMEOUT", TIMEOUT));
        String tenant = Fixtures.tenant(first, STORM_SEATS, 0, STORM_AGENTS);
        var storm = new LoginStorm(List.of(first, second), tenant, agents(STORM_AGENTS), STORM_THREADS);
        Thread.sleep(1000);

        seatgate.redis().stop();
        long stoppedAt = System.nanoTime();
        Thread.sleep(2000);
        assertThat(first.agent("GET", "/readyz", "").status()).isEqualTo(503);
        assertThat(second.agent("GET", "/readyz", "").status()).isEqualTo(503);
        storm.close();

        List<LoginStorm.Answer> withoutRedis = storm.answersSince(stoppedAt);
        System.out.printf("RedisOutageIT storm/kill: %d admitted before the kill, %d logins after it: %s, slowest %d ms%n",
                storm.admitted(), withoutRedis.size(), withoutRedis.stream().collect(Collectors.groupingBy(
                        LoginStorm.Answer::status, Collectors.counting())), slowest(withoutRedis).toMillis());
        assertThat(storm.admitted()).isGreaterThan(50);
        assertThat(withoutRedis).hasSizeGreaterThan(20).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(503));
        assertThat(slowest(withoutRedis)).isLessThan(Duration.parse(TIMEOUT).plusSeconds(1));

        seatgate.redis().restart();
        assertThat(Await.until(RECOVERY, () -> first.agent("GET", "/readyz", "").status() == 200
                && second.agent("GET", "/readyz", "").status() == 200)).isTrue();
        Map<String, String> live = SeatChecker.snapshot(seatgate.redis(), tenant, Duration.ZERO, List.of("outbound"))
                .get("outbound").agentBySession();
        // Every admitted session is there, one per agent, except where Redis ran and logged a claim in the
        // instant it died and its answer never left (the client got 503): that claim took over the agent's
        // seat, or took a free one, and holds it until its lease runs out or the agent logs in again. At
        // most one per login in flight at the kill.
        Set<String> believed = storm.believedSessions();
        long lost = believed.stream().filter(session -> !live.containsKey(session)).count();
        long unknown = live.keySet().stream().filter(session -> !believed.contains(session)).count();
        System.out.printf("RedisOutageIT storm/kill: %d live after the restart, %d believed; %d taken over and %d"
                + " taken by claims whose answer was lost in the kill%n", live.size(), believed.size(), lost, unknown);
        assertThat(Set.copyOf(live.values())).as("one seat per agent").hasSameSizeAs(live.values());
        assertThat(lost).isLessThanOrEqualTo(STORM_THREADS);
        assertThat(unknown).isLessThanOrEqualTo(STORM_THREADS);
        assertThat(storm.statuses()).as("an outage is 503, never 500").containsOnlyKeys(200, 409, 503);
        assertThat(first.licenses(tenant).json().at("/licenses/outbound/active").asInt()).isEqualTo(STORM_SEATS);
        assertThat(second.admin("GET", "/v1/tenants/" + tenant + "/agents", null).json().get("agents"))
                .hasSize(STORM_AGENTS);
        assertThat(events(first, tenant)).containsExactly("purchase");
        Reply after = second.login(tenant, "a1", password("a1"), "outbound");
        assertThat(after.status() == 200 || "SEATS_EXHAUSTED".equals(after.errorCode())).as("%s", after).isTrue();
    }

    /**
     * Redis frozen (SIGSTOP) for two seconds mid-storm: logins sent meanwhile get 503 within the timeout and
     * /healthz answers at once. The storm stops during the freeze, and ten agents who hold nothing (their
     * credentials already verified, so their claims go straight to Redis) try once each with free seats
     * waiting. After SIGCONT every claim that waited in Redis' buffer runs past its deadline and changes
     * nothing: no latecomer holds a seat, and the storm's sessions are those its clients were told they hold,
     * but for claims Redis ran before the freeze and could not answer in time.
     */
    @Test
    void redisPausedMidStormAnswers503InBoundedTimeAndNoClaimFromThePauseHoldsASeat() throws Exception {
        var first = new ApiClient(seatgate.startGateway("SEATGATE_REDIS_TIMEOUT", TIMEOUT));
        var second = new ApiClient(seatgate.startGateway("SEATGATE_REDIS_TIMEOUT", TIMEOUT));
        String tenant = Fixtures.tenant(first, STORM_SEATS, 0, STORM_AGENTS);
        List<String> stormAgents = agents(STORM_SEATS - 10); // ten seats stay free for the latecomers
        for (int i = STORM_SEATS - 9; i <= STORM_SEATS; i++) {
            for (ApiClient gateway : List.of(first, second)) { // each gateway caches their verified password
                assertThat(gateway.logout(Fixtures.sessionToken(gateway.login(tenant, "a" + i, password("a" + i),
                        "outbound"))).status()).isEqualTo(204);
            }
        }
        var storm = new LoginStorm(List.of(first, second), tenant, stormAgents, STORM_THREADS);
        Thread.sleep(1000);

        long frozenAtRedisMillis = redisMillis();
        seatgate.redis().pause();
        long pausedAt = System.nanoTime();
        Duration health;
        var latecomers = new ArrayList<CompletableFuture<Reply>>();
        try {
            for (int i = STORM_SEATS - 9; i <= STORM_SEATS; i++) {
                latecomers.add((i % 2 == 0 ? first : second).loginAsync(tenant, "a" + i, password("a" + i), "outbound"));
            }
            Thread.sleep(300);
            long asked = System.nanoTime();
            assertThat(first.agent("GET", "/healthz", "").status()).isEqualTo(200);
            health = Duration.ofNanos(System.nanoTime() - asked);
            Thread.sleep(1000);
            storm.close(); // its last logins are answered 503 within the timeout; their claims wait in Redis
            Thread.sleep(Math.max(0, Duration.ofSeconds(2).toMillis() - Duration.ofNanos(System.nanoTime() - pausedAt)
                    .toMillis()));
        } finally {
            seatgate.redis().resume();
        }
        // What waited in Redis' buffer runs before anything each gateway sends after it (one connection each).
        first.licenses(tenant);
        second.licenses(tenant);

        List<LoginStorm.Answer> frozen = storm.answersSince(pausedAt);
        System.out.printf("RedisOutageIT storm/pause: /healthz %d ms while frozen, %d logins during the pause: %s,"
                        + " slowest %d ms, all: %s%n", health.toMillis(), frozen.size(), frozen.stream().collect(
                        Collectors.groupingBy(LoginStorm.Answer::status, Collectors.counting())),
                slowest(frozen).toMillis(), storm.statuses());
        assertThat(health).isLessThan(Duration.ofMillis(500));
        assertThat(frozen).hasSizeGreaterThanOrEqualTo(8).allSatisfy(answer -> assertThat(answer.status()).isEqualTo(503));
        assertThat(slowest(frozen)).isLessThan(Duration.parse(TIMEOUT).plusSeconds(1));
        assertThat(latecomers).allSatisfy(login -> assertThat(login.join().status()).isEqualTo(503));

        Map<String, String> live = SeatChecker.snapshot(seatgate.redis(), tenant, Duration.ZERO, List.of("outbound"))
                .get("outbound").agentBySession();
        assertThat(live.values()).as("no latecomer holds a seat").allSatisfy(agent -> assertThat(agent).isIn(stormAgents));
        Set<String> believed = storm.believedSessions();
        List<String> unknown = live.keySet().stream().filter(session -> !believed.contains(session)).toList();
        System.out.printf("RedisOutageIT storm/pause: %d live, %d believed, %d unknown to the clients%n",
                live.size(), believed.size(), unknown.size());
        for (String session : unknown) {
            long loggedInAt = Long.parseLong(seatgate.redis().sync().hget("sg:{" + tenant + "}:session:" + session,
                    "loggedInAt"));
            assertThat(loggedInAt).as("claimed before the freeze, not after it").isLessThan(frozenAtRedisMillis + 50);
        }
        assertThat(unknown).hasSizeLessThanOrEqualTo(STORM_THREADS);
        assertThat(Set.copyOf(live.values())).as("one seat per agent").hasSameSizeAs(live.values());
        assertThat(storm.statuses()).containsOnlyKeys(200, 503).containsKey(200).containsKey(503);
    }

    @Test
    void aRedisThatLostTheScriptLibraryIsGivenItAgainByTheFirstCallThatMissesIt() {
        var api = new ApiClient(seatgate.startGateway());
        String tenant = Fixtures.tenant(api, 1, 0, 1);

        seatgate.redis().sync().functionFlush(FlushMode.SYNC); // as a Redis restarted without persistence would be

        assertThat(api.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);
        assertThat(seatgate.redis().sync().functionList(ScriptLibrary.SEATGATE.name())).hasSize(1);
    }

    @Test
    void theGatewayRecoversWhenRedisRestartsAndKeepsItsDataFromTheAof() {
        var api = new ApiClient(seatgate.startGateway("SEATGATE_REDIS_TIMEOUT", TIMEOUT));
        String tenant = Fixtures.tenant(api, 2, 0, 2);

        seatgate.redis().stop();
        assertThat(api.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(503);
        assertThat(api.agent("GET", "/readyz", "").status()).isEqualTo(503);

        seatgate.redis().restart(); // the script library comes back with the AOF
        assertThat(Await.until(RECOVERY, () -> api.agent("GET", "/readyz", "").status() == 200)).isTrue();
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

        assertThat(Await.until(RECOVERY, () -> api.agent("GET", "/readyz", "").status() == 200)).isTrue();
        String tenant = Fixtures.tenant(api, 1, 0, 1);
        assertThat(api.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);
    }

    /** Redis' clock, in epoch milliseconds. */
    private static long redisMillis() {
        List<String> time = seatgate.redis().sync().time();
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }

    private static List<String> agents(int count) {
        return IntStream.rangeClosed(1, count).mapToObj(i -> "a" + i).toList();
    }

    private static Duration slowest(List<LoginStorm.Answer> answers) {
        return answers.stream().map(LoginStorm.Answer::took).max(Duration::compareTo).orElse(Duration.ZERO);
    }

    private static List<String> events(ApiClient api, String tenant) {
        return api.events(tenant).json().get("events").findValuesAsText("type");
    }
}
