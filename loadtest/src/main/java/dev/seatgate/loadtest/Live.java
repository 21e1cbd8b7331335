package dev.seatgate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;
import java.util.stream.IntStream;

/**
 * Sessions held on live sockets ({@code GET /v1/live}), in two scenarios:
 *
 * <ul>
 *   <li>{@code live}: every agent logs in over a socket ({@code --connections} logins in flight), then for
 *       {@code --duration}, each {@code --heartbeat} interval, {@code --churn} of the attached agents are taken over
 *       by an HTTP login on {@code --other-agent-url} and {@code --vanish} drop their socket without a logout
 *       ({@link LiveAgent}). Every takeover must reach its socket ({@code ended} {@code superseded}, close 4410);
 *       every dropped seat must stay held for {@code --reconnect-grace} and be free after it; a sampler
 *       independent of the clients reads the seats every 200 ms, and in-use must never exceed active. At the end
 *       the sessions the clients hold must equal in-use.</li>
 *   <li>{@code sockets}: the agents log in over sockets and hold them for {@code --duration}, nothing else: what
 *       holding sockets costs the gateway and Redis. None may be lost.</li>
 * </ul>
 *
 * Every agent logs out over its socket at the end.
 */
final class Live implements Scenario {

    /** Event-loop threads of the load generator's sockets: a few hold thousands. */
    static final int EVENT_LOOPS = 2;
    /** The logins stop the run when no agent got attached for this long. */
    static final Duration STALLED_AFTER = Duration.ofSeconds(30);
    /** After --duration (and the reconnect grace), how long the pushes and logins still in flight may take. */
    static final Duration SETTLE = Duration.ofSeconds(15);

    private final boolean events;
    private volatile List<LiveAgent> agents = List.of();

    /** @param events takeovers and drops ({@code live}); without, the sockets are only held ({@code sockets}) */
    Live(boolean events) {
        this.events = events;
    }

    @Override
    public String progress() {
        return String.format("  %,d sockets attached", attached(agents));
    }

    @Override
    public Map<String, Object> run(Target target, Options options, Stats stats) throws Exception {
        var counts = new LiveCounts();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "loadtest-live");
            thread.setDaemon(true);
            return thread;
        });
        try (var sockets = new LiveSocketClient(options.agentUrl(), EVENT_LOOPS);
             var other = new Target(options, options.otherAgentUrl(), options.connections());
             var freed = new FreedSeats(target)) {
            var shared = new LiveAgent.Shared(options, sockets, new InFlightLimit(options.connections()), target, other,
                    freed, stats, counts, timer);
            agents = IntStream.rangeClosed(1, options.agents()).mapToObj(id -> new LiveAgent(id, shared)).toList();
            long rampStart = System.nanoTime();
            int seated = Math.min(options.agents(), options.seats()); // the others are refused and try again
            agents.forEach(LiveAgent::logIn);
            awaitAttached(seated, counts);
            double rampSeconds = (System.nanoTime() - rampStart) / 1e9;
            System.err.printf("%,d live sockets attached in %.1f s; holding them for %s%n", attached(agents),
                    rampSeconds, options.duration());

            var checks = new LinkedHashMap<String, Object>();
            checks.put("rampSeconds", Math.round(rampSeconds * 10) / 10.0);
            checks.put("socketsAttached", attached(agents));
            try (var sampler = events ? new SeatSampler(target) : null) {
                var ticks = events ? tick(timer, options) : List.<Future<?>>of();
                Thread.sleep(options.duration().toMillis());
                ticks.forEach(tick -> tick.cancel(false));
                if (events) {
                    settle(seated, options);
                }
                JsonNode seats = target.seats();
                int held = attached(agents);
                if (events) {
                    eventChecks(checks, counts, stats, sampler);
                }
                checks.put("socketsLost", counts.socketsLost.sum());
                checks.put("connectFailures", counts.connectFailures.sum());
                checks.put("unexpectedAnswers", counts.unexpectedAnswers.sum());
                checks.put("sessionsHeldByClients", held);
                checks.put("inUseInRedis", seats.get("inUse").asInt());
                checks.put("activeSeats", seats.get("active").asInt());
                boolean ok = held == seats.get("inUse").asInt() && held == seated
                        && counts.socketsLost.sum() == 0 && counts.connectFailures.sum() == 0
                        && counts.unexpectedAnswers.sum() == 0 && stats.failures() == 0
                        && (!events || eventsOk(counts, sampler));
                long loggedOut = logOutAll();
                checks.put("loggedOut", loggedOut);
                checks.put("wrongCloseCodes", counts.wrongCloseCodes.sum()); // logouts close with 1000
                checks.put("ok", ok && loggedOut == held && counts.wrongCloseCodes.sum() == 0);
            }
            return checks;
        } finally {
            timer.shutdownNow();
        }
    }

    /** Each agent's interval, spread over the interval as heartbeats would be; the dice decide what happens. */
    private List<Future<?>> tick(ScheduledExecutorService timer, Options options) {
        long interval = options.heartbeat().toNanos();
        var ticks = new ArrayList<Future<?>>(agents.size());
        for (int i = 0; i < agents.size(); i++) {
            LiveAgent agent = agents.get(i);
            long offset = (long) (interval * ((double) i / agents.size()));
            ticks.add(timer.scheduleAtFixedRate(() -> agent.tick(ThreadLocalRandom.current().nextDouble()),
                    offset, interval, TimeUnit.NANOSECONDS));
        }
        return ticks;
    }

    /** Waits for {@code seated} agents to hold their socket; logins that stop making progress end the run. */
    private void awaitAttached(int seated, LiveCounts counts) throws InterruptedException {
        int last = -1;
        long lastProgress = System.nanoTime();
        for (int now; (now = attached(agents)) < seated; Thread.sleep(100)) {
            if (now > last) {
                last = now;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALLED_AFTER.toNanos()) {
                throw new LoadTestFailure(String.format("logins over live sockets stopped: %,d of %,d agents attached,"
                        + " none more in %d s (%,d sockets could not be opened, %,d unexpected answers)", now,
                        agents.size(), STALLED_AFTER.toSeconds(), counts.connectFailures.sum(),
                        counts.unexpectedAnswers.sum()));
            }
        }
    }

    /**
     * After the last takeover or drop, waits for the agents to be attached again: the pushes in flight, the seats
     * held for the grace, the logins after them. One still missing when the time is up shows in the checks.
     */
    private void settle(int seated, Options options) throws InterruptedException {
        long deadline = System.nanoTime() + options.reconnectGrace().plus(LiveAgent.FREED_WITHIN_AFTER_GRACE)
                .plus(SETTLE).toNanos();
        while (attached(agents) < seated && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    private static void eventChecks(Map<String, Object> checks, LiveCounts counts, Stats stats, SeatSampler sampler) {
        Map<String, Map<String, Object>> latencies = stats.summary(1);
        checks.put("pushesExpected", counts.pushesExpected.sum());
        checks.put("pushesReceived", counts.pushesReceived.sum());
        checks.put("pushP50Ms", latencies.getOrDefault("push", Map.of()).get("p50Ms"));
        checks.put("pushP99Ms", latencies.getOrDefault("push", Map.of()).get("p99Ms"));
        checks.put("unexpectedEnds", counts.unexpectedEnds.sum());
        checks.put("dropped", counts.dropped.sum());
        checks.put("freedAfterGrace", counts.freed.sum());
        checks.put("freedEarly", counts.freedEarly.sum());
        checks.put("notFreed", counts.notFreed.sum());
        checks.put("dropToFreeP50Ms", latencies.getOrDefault("drop to free", Map.of()).get("p50Ms"));
        checks.put("dropToFreeMaxMs", latencies.getOrDefault("drop to free", Map.of()).get("maxMs"));
        checks.put("samples", sampler.samples());
        checks.put("samplesOverActive", sampler.overActive());
        checks.put("maxInUseSampled", sampler.maxInUse());
    }

    private static boolean eventsOk(LiveCounts counts, SeatSampler sampler) {
        return counts.pushesExpected.sum() == counts.pushesReceived.sum() && counts.unexpectedEnds.sum() == 0
                && counts.freedEarly.sum() == 0 && counts.notFreed.sum() == 0 && counts.dropped.sum() == counts.freed.sum()
                && sampler.samples() > 0 && sampler.overActive() == 0;
    }

    /** Every attached agent logs out over its socket; answers how many did (ended logged_out, close 1000). */
    private long logOutAll() throws InterruptedException {
        var logouts = agents.stream().map(LiveAgent::logOut).toList();
        try {
            CompletableFuture.allOf(logouts.toArray(CompletableFuture[]::new)).get(SETTLE.toMillis(),
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // counted below: the logouts not answered in time
        }
        return agents.stream().filter(agent -> agent.state() == LiveAgent.State.DONE).count();
    }

    private static int attached(List<LiveAgent> agents) {
        return (int) agents.stream().map(LiveAgent::state).filter(Predicate.isEqual(LiveAgent.State.ATTACHED)).count();
    }
}
