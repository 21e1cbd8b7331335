package dev.seatgate.line;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.SeatChecker;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Half a minute of a busy line on three gateways and one Redis: 24 agents for 5 seats log in with {@code queue: true},
 * wait, hold their seat a while and then log out, vanish (their lease lapses, found by whichever gateway's tick looks
 * first) or give up their place; an admin revokes sessions and buys seats meanwhile. Two independent samplers read
 * Redis throughout: no seat is ever taken beyond the active ones ({@link SeatChecker}), and no seat stays free for
 * more than 2 s while a ticket waits.
 */
class WaitingLineChurnIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = SeatgateExtension.perTest();

    private static final Duration RUN = Duration.ofSeconds(30);
    private static final int AGENTS = 24;
    private static final Duration IDLE_LIMIT = Duration.ofSeconds(2);
    private static final String[] SETTINGS = {"SEATGATE_LEASE_TTL", "PT2S", "SEATGATE_HEARTBEAT_INTERVAL", "PT1S"};

    private final Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
    private volatile boolean running = true;
    private List<ApiClient> gateways;

    @Test
    void noSeatIsTakenTwiceOrLeftIdleWhileTheLineChurns() throws Exception {
        gateways = List.of(new ApiClient(seatgate.startGateway(SETTINGS)), new ApiClient(seatgate.startGateway(SETTINGS)),
                new ApiClient(seatgate.startGateway(SETTINGS)));
        String tenant = Fixtures.tenant(gateways.get(0), 5, 0, AGENTS);
        var checker = new SeatChecker(seatgate.redis(), tenant, Duration.ZERO, List.of("outbound"),
                Duration.ofMillis(20));
        var threads = new ArrayList<Thread>();
        var agents = new ArrayList<VirtualAgent>();
        for (int i = 1; i <= AGENTS; i++) {
            var agent = new VirtualAgent(tenant, "a" + i);
            agents.add(agent);
            var thread = new Thread(agent, "agent-" + i);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }

        long started = System.nanoTime();
        long idleSince = 0;
        Duration longestIdle = Duration.ZERO;
        int revoked = 0;
        boolean bought = false;
        while (Duration.ofNanos(System.nanoTime() - started).compareTo(RUN) < 0) {
            JsonNode counts = gateways.get(revoked % 3).licenses(tenant).json().at("/licenses/outbound");
            boolean idleWhileWaiting = counts.get("available").asInt() > 0 && counts.get("waiting").asInt() > 0;
            idleSince = idleWhileWaiting ? (idleSince == 0 ? System.nanoTime() : idleSince) : 0;
            if (idleSince != 0 && Duration.ofNanos(System.nanoTime() - idleSince).compareTo(longestIdle) > 0) {
                longestIdle = Duration.ofNanos(System.nanoTime() - idleSince);
            }
            long elapsed = Duration.ofNanos(System.nanoTime() - started).toSeconds();
            if (elapsed >= 5L * (revoked + 1)) { // an admin revokes someone's session every 5 s
                JsonNode sessions = gateways.get(1).admin("GET", "/v1/tenants/" + tenant + "/sessions", null).json()
                        .get("sessions");
                if (!sessions.isEmpty()) {
                    gateways.get(2).admin("DELETE", "/v1/tenants/" + tenant + "/sessions/"
                            + sessions.get(0).get("sessionId").asText(), null);
                }
                revoked++;
            }
            if (!bought && elapsed >= 15) {
                bought = gateways.get(0).purchase(tenant, "outbound", 2, tenant + "-more").status() == 201;
            }
            Thread.sleep(50);
        }
        running = false;
        for (Thread thread : threads) {
            thread.join(10_000);
        }
        checker.close();

        System.out.printf("WaitingLineChurnIT: %d checker samples, longest seat idle while someone waited %d ms,"
                + " outcomes %s%n", checker.samples(), longestIdle.toMillis(), new java.util.TreeMap<>(outcomes));
        assertThat(checker.violations()).isEmpty();
        assertThat(checker.samples()).isGreaterThan(300);
        assertThat(longestIdle).isLessThan(IDLE_LIMIT);
        assertThat(bought).isTrue();
        assertThat(count("login 202")).as("logins that waited").isGreaterThan(50);
        assertThat(count("wait 200")).as("seats handed over").isGreaterThan(50);
        assertThat(count("vanished")).as("leases left to lapse").isGreaterThan(5);
        assertThat(outcomes.keySet()).as("only answers the contract names")
                .allMatch(outcome -> outcome.matches("login (200|202)|wait (200|202|410)|heartbeat (200|410)"
                        + "|logout 204|cancel (204|410)|vanished|gone \\w+"));
    }

    private int count(String outcome) {
        return outcomes.getOrDefault(outcome, new AtomicInteger()).get();
    }

    private void count(String what, ApiClient.Reply reply) {
        outcomes.computeIfAbsent(what + " " + reply.status(), key -> new AtomicInteger()).incrementAndGet();
    }

    /** A softphone at shift change: waits in line for a seat, holds it a while, then lets it go one way or another. */
    private final class VirtualAgent implements Runnable {
        private final String tenant;
        private final String agentId;
        private String ticket;
        private String session;

        VirtualAgent(String tenant, String agentId) {
            this.tenant = tenant;
            this.agentId = agentId;
        }

        @Override
        public void run() {
            var random = ThreadLocalRandom.current();
            while (running) {
                ApiClient via = gateways.get(random.nextInt(gateways.size()));
                try {
                    if (session != null) {
                        hold(via, random);
                    } else if (ticket != null) {
                        await(via, random);
                    } else {
                        ApiClient.Reply reply = via.queuedLogin(tenant, agentId, "outbound");
                        count("login", reply);
                        ticket = reply.status() == 202 ? reply.json().get("ticket").asText() : null;
                        session = reply.status() == 200 ? reply.json().get("sessionToken").asText() : null;
                    }
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        private void await(ApiClient via, ThreadLocalRandom random) {
            if (random.nextInt(40) == 0) {
                count("cancel", via.leaveLine(ticket));
                ticket = null;
                return;
            }
            ApiClient.Reply reply = via.waitInLine(ticket, 1 + random.nextInt(3));
            count("wait", reply);
            if (reply.status() == 200) {
                session = reply.json().get("sessionToken").asText();
            }
            if (reply.status() != 202) {
                ticket = null;
            }
        }

        /** Heartbeats for up to 2 s, then logs out, or vanishes (the lease lapses) for a while. */
        private void hold(ApiClient via, ThreadLocalRandom random) throws InterruptedException {
            long until = System.nanoTime() + Duration.ofMillis(300 + random.nextInt(1700)).toNanos();
            while (running && System.nanoTime() < until) {
                ApiClient.Reply beat = via.heartbeat(session);
                count("heartbeat", beat);
                if (beat.status() != 200) {
                    outcomes.computeIfAbsent("gone " + beat.json().at("/error/details/reason").asText(),
                            key -> new AtomicInteger()).incrementAndGet();
                    session = null;
                    return;
                }
                Thread.sleep(400);
            }
            if (random.nextInt(4) == 0) {
                outcomes.computeIfAbsent("vanished", key -> new AtomicInteger()).incrementAndGet();
                Thread.sleep(2500); // past its lease: a tick somewhere finds the seat and hands it over
            } else {
                count("logout", via.logout(session));
            }
            session = null;
        }
    }
}
