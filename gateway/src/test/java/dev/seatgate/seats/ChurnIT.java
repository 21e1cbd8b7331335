package dev.seatgate.seats;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ClockOffset;
import dev.seatgate.testing.GatewayProcess;
import dev.seatgate.testing.SeatChecker;
import dev.seatgate.testing.SeatgateExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A minute of everything at once on three gateway processes and one Redis: agents logging in, heartbeating
 * and logging out through random gateways, a gateway killed with SIGKILL (and replaced) every 12 seconds,
 * purchases activating and a removal taking effect at the 1st of the month (the gateways live 35 s before
 * it). An independent {@link SeatChecker} samples Redis throughout; at the end the live leases are exactly
 * the sessions the agents believe they hold.
 */
class ChurnIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = SeatgateExtension.perTest();

    private static final Duration RUN = Duration.ofSeconds(60);
    private static final Duration LEASE_TTL = Duration.ofSeconds(4);
    private static final Duration CRASH_EVERY = Duration.ofSeconds(12);
    private static final int GATEWAYS = 3;
    private static final int AGENTS = 40;
    private static final List<String> TYPES = List.of("outbound", "closer");

    private final List<GatewayProcess> gateways = new CopyOnWriteArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private volatile boolean churning = true;
    private volatile boolean running = true;

    @Test
    void seatsStayWithinActiveThroughCrashesActivationsAndRemovals(@TempDir Path dir) throws Exception {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Instant firstOfMonth = today.withDayOfMonth(1).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        ClockOffset clock = ClockOffset.livingAt(firstOfMonth.minusSeconds(35));
        String[] settings = {"SEATGATE_CLOCK_OFFSET", clock.setting(), "SEATGATE_LEASE_TTL", LEASE_TTL.toString(),
                "SEATGATE_HEARTBEAT_INTERVAL", "PT1S", "SEATGATE_ACTIVATION_DELAY", "PT10S",
                "SEATGATE_REDIS_TIMEOUT", "PT1S"};
        for (int i = 0; i < GATEWAYS; i++) {
            gateways.add(GatewayProcess.start(seatgate.redis(), dir.resolve("gateway-" + i + ".log"), settings));
        }
        var setup = new ApiClient(gateways.get(0).agentPort(), gateways.get(0).adminPort());
        String tenant = SeatgateExtension.newTenantId();
        assertThat(setup.putTenant(tenant, "UTC").status()).isEqualTo(201);
        for (int i = 1; i <= AGENTS; i++) {
            assertThat(setup.createAgent(tenant, "a" + i, password("a" + i), TYPES).status()).isEqualTo(201);
        }
        // Nothing is active at first: 10 outbound and 5 closer seats activate 10 s in.
        assertThat(setup.purchase(tenant, "outbound", 10, "o-10").status()).isEqualTo(201);
        assertThat(setup.purchase(tenant, "closer", 5, "c-5").status()).isEqualTo(201);

        var checker = new SeatChecker(seatgate.redis(), tenant, clock.offset(), TYPES, Duration.ofMillis(20));
        var agents = new ArrayList<VirtualAgent>();
        var threads = new ArrayList<Thread>();
        for (int i = 1; i <= AGENTS; i++) {
            var agent = new VirtualAgent(tenant, "a" + i);
            agents.add(agent);
            var thread = new Thread(agent, "agent-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }

        long started = System.nanoTime();
        int crashes = 0;
        int nextGateway = GATEWAYS;
        boolean removed = false;
        boolean boughtMore = false;
        while (Duration.ofNanos(System.nanoTime() - started).compareTo(RUN) < 0) {
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            if (!removed && elapsed.toSeconds() >= 5) { // effective at the 1st, about 30 s from now
                removed = adminCall(api -> api.removal(tenant, "outbound", 4, "r-4").status() == 201);
            }
            if (!boughtMore && elapsed.toSeconds() >= 20) { // activates about 30 s in, with the removal
                boughtMore = adminCall(api -> api.purchase(tenant, "outbound", 3, "o-3").status() == 201);
            }
            if (elapsed.compareTo(CRASH_EVERY.multipliedBy(crashes + 1)) >= 0) {
                GatewayProcess victim = gateways.remove(ThreadLocalRandom.current().nextInt(gateways.size()));
                victim.close(); // SIGKILL: no drain, no goodbye to Redis
                crashes++;
                gateways.add(GatewayProcess.start(seatgate.redis(), dir.resolve("gateway-" + nextGateway++ + ".log"),
                        settings));
            }
            Thread.sleep(100);
        }

        // The churn stops; agents keep heartbeating what they hold, leases nobody holds run out.
        churning = false;
        Thread.sleep(LEASE_TTL.multipliedBy(2).plusSeconds(1).toMillis());
        running = false;
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        Map<String, SeatChecker.Snapshot> end = checker.snapshot();
        checker.close();
        gateways.forEach(GatewayProcess::close);

        Set<String> believed = agents.stream().map(agent -> agent.sessionId).filter(id -> id != null)
                .collect(Collectors.toSet());
        Set<String> live = new HashSet<>();
        end.values().forEach(snapshot -> live.addAll(snapshot.agentBySession().keySet()));
        System.out.printf("ChurnIT: %d checker samples (%d with more live than active after the removal), %d crashes,"
                        + " outcomes %s, end: %s, %d sessions believed%n", checker.samples(), checker.samplesOverActive(),
                crashes, outcomes, end, believed.size());

        assertThat(checker.violations()).isEmpty();
        assertThat(checker.samples()).isGreaterThan(500);
        assertThat(crashes).isEqualTo(4);
        assertThat(removed).isTrue();
        assertThat(boughtMore).isTrue();
        assertThat(outcomes.get("login 200").get()).as("admissions").isGreaterThan(100);
        assertThat(outcomes.get("login 409").get()).as("refusals at capacity").isGreaterThan(100);
        assertThat(outcomes.keySet()).as("every answer one the contract names, never a 5xx")
                .allMatch(outcome -> outcome.matches("login (200|409)|heartbeat (200|401|410)|logout 204|\\w+ no answer"));
        int unanswered = outcomes.entrySet().stream().filter(outcome -> outcome.getKey().endsWith("no answer"))
                .mapToInt(outcome -> outcome.getValue().get()).sum();
        assertThat(unanswered).as("requests cut short by a crash: at most one per agent per crash")
                .isLessThanOrEqualTo(crashes * AGENTS);
        assertThat(live).as("live leases = sessions the agents believe they hold").isEqualTo(believed);
        assertThat(end.get("outbound").active()).as("10 + 3 - 4").isEqualTo(9);
        assertThat(end.get("closer").active()).isEqualTo(5);
    }

    /** An admin call through one of the gateways alive right now; false when it did not succeed. */
    private boolean adminCall(Predicate<ApiClient> call) {
        GatewayProcess gateway = gateways.get(0);
        try {
            return call.test(new ApiClient(gateway.agentPort(), gateway.adminPort()));
        } catch (RuntimeException gatewayJustKilled) {
            return false;
        }
    }

    /** A softphone: logs in when it holds nothing, heartbeats every second, now and then logs out. */
    private final class VirtualAgent implements Runnable {
        private final String tenant;
        private final String agentId;
        volatile String sessionId;
        private String token;
        private long lastHeartbeat;

        VirtualAgent(String tenant, String agentId) {
            this.tenant = tenant;
            this.agentId = agentId;
        }

        @Override
        public void run() {
            var random = ThreadLocalRandom.current();
            while (running) {
                try {
                    Thread.sleep(100 + random.nextInt(300));
                    if (sessionId == null) {
                        if (churning) {
                            login(random.nextInt(10) < 7 ? "outbound" : "closer");
                        }
                    } else if (churning && random.nextInt(10) == 0) {
                        logout();
                    } else if (System.nanoTime() - lastHeartbeat > Duration.ofSeconds(1).toNanos()) {
                        heartbeat();
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void login(String type) {
            HttpResponse<String> response = send("/v1/login", null, ApiClient.json(Map.of("tenant", tenant,
                    "agentId", agentId, "password", password(agentId), "licenseType", type)));
            if (response != null && response.statusCode() == 200) {
                var json = ApiClient.parse(response.body());
                token = json.get("sessionToken").asText();
                sessionId = json.get("sessionId").asText();
                lastHeartbeat = System.nanoTime();
            }
            // Any other answer, or none (the gateway died mid-request), and the agent holds nothing it knows
            // of: a claim that did happen is ended by its next login's takeover, or runs out with its lease.
            count("login", response);
        }

        private void heartbeat() {
            HttpResponse<String> response = send("/v1/heartbeat", token, "");
            count("heartbeat", response);
            if (response == null) {
                return; // no answer: try another gateway on the next round, well within the lease
            }
            if (response.statusCode() == 200) {
                lastHeartbeat = System.nanoTime();
            } else if (response.statusCode() == 410 || response.statusCode() == 401) {
                sessionId = null;
            }
        }

        private void logout() {
            HttpResponse<String> response = send("/v1/logout", token, "");
            count("logout", response);
            if (response != null && response.statusCode() == 204) {
                sessionId = null;
            }
        }

        private HttpResponse<String> send(String path, String bearer, String body) {
            List<GatewayProcess> live = List.copyOf(gateways);
            GatewayProcess gateway = live.get(ThreadLocalRandom.current().nextInt(live.size()));
            var request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + gateway.agentPort() + path))
                    .timeout(Duration.ofSeconds(3)).POST(HttpRequest.BodyPublishers.ofString(body));
            if (bearer != null) {
                request.header("Authorization", "Bearer " + bearer);
            }
            try {
                return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException gatewayGone) {
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }

        private void count(String what, HttpResponse<String> response) {
            outcomes.computeIfAbsent(what + " " + (response == null ? "no answer" : response.statusCode()),
                    key -> new AtomicInteger()).incrementAndGet();
        }
    }
}
