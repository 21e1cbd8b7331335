package dev.seatgate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.loadtest.HttpLoadClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * A shift change through the waiting line. The tenant owns exactly {@code --seats} seats (the command line makes that
 * {@code --agents}, and creates twice as many agents); in three steps:
 *
 * <ol>
 *   <li>agents a1..aN log in and hold every seat (heartbeating);</li>
 *   <li>agents a(N+1)..a2N log in with {@code queue: true}, {@code --connections} at a time, and each long-polls its
 *       ticket from its 202 on ({@link LineWaiter}). Nobody leaves yet, so the line only grows: the positions the
 *       202s gave must be exactly 1..N;</li>
 *   <li>the holders log out one by one, spread evenly over {@code --duration}. Each seat freed must go to the next in
 *       line: the k-th logout's to the waiter at position k. Every waiter must be admitted, in the order of its
 *       position ({@link AdmissionOrder}), and a sampler independent of the clients must never see in-use above
 *       active.</li>
 * </ol>
 *
 * The figures: hand-over latency (from the k-th logout's answer to the 200 reaching the waiter at position k) and
 * time in line (from a waiter's 202 to its 200). With {@code --other-agent-url}, holders and waiters alternate
 * between the two gateways, and each waiter polls the gateway the logout that frees its seat does not use, so every
 * hand-over crosses gateways. At the end the admitted log out.
 */
final class ShiftChange implements Scenario {

    /** The API's promise: a freed seat is handed over within this (invariant 8); reported, not failed on. */
    static final Duration HANDED_OVER_WITHIN = Duration.ofSeconds(2);
    /** After the last logout, how long the waiters still in line may take to be admitted before the run fails. */
    static final Duration SETTLE = Duration.ofSeconds(10);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "loadtest-shift-change");
        thread.setDaemon(true);
        return thread;
    });
    private final LongAdder holding = new LongAdder();
    private final List<LineWaiter> waiters = new ArrayList<>();
    /** The seats of the admitted: held to the end, since a logout would free the seat to the next in line. */
    private final Queue<HeldSeat> heldToTheEnd = new ConcurrentLinkedQueue<>();
    /** Heartbeats not answered 200: a seat whose lease ran out goes to the line out of turn. */
    private final LongAdder seatsLost = new LongAdder();
    /** Answers other than those of the plan: a queued login admitted at once, a logout not answered 204... */
    private final LongAdder unexpected = new LongAdder();
    private Stats stats;

    @Override
    public String progress() {
        List<LineWaiter> seen = waitersNow();
        return String.format("  %,d holding, %,d in line, %,d admitted", holding.sum(), seen.size(),
                seen.stream().filter(LineWaiter::admitted).count());
    }

    @Override
    public Map<String, Object> run(Target target, Options options, Stats stats) throws Exception {
        this.stats = stats;
        int seats = options.seats();
        int lineLength = options.agents() - seats;
        checkFreshTenant(target.seats(), seats);
        boolean twoGateways = !options.otherAgentUrl().equals(options.agentUrl());
        int pollsPerGateway = twoGateways ? (lineLength + 1) / 2 : lineLength;
        try (var other = new Target(options, options.otherAgentUrl(), options.connections());
             var pollsHere = new Target(options, options.agentUrl(), pollsPerGateway + 1); // one per waiter
             var pollsThere = new Target(options, options.otherAgentUrl(), twoGateways ? pollsPerGateway + 1 : 1);
             var sampler = new SeatSampler(target)) {
            List<Target> gateways = twoGateways ? List.of(target, other) : List.of(target);
            List<Target> pollGateways = twoGateways ? List.of(pollsHere, pollsThere) : List.of(pollsHere);
            List<HeldSeat> holders = holdEverySeat(gateways, seats, options);
            joinLine(gateways, pollGateways, seats, lineLength, options);
            List<LineWaiter> line = waitersNow();
            boolean positionsOk = AdmissionOrder.positionsAreOneToN(line.stream().map(LineWaiter::position).toList(),
                    lineLength);
            System.err.printf("%,d agents hold every seat, %,d wait in line (positions exactly 1..%,d: %s); the"
                    + " holders log out over %s%n", seats, line.size(), lineLength, positionsOk, options.duration());

            List<Long> logouts = logOutSpread(holders, options.duration());
            try {
                CompletableFuture.allOf(line.stream().map(LineWaiter::outcome).toArray(CompletableFuture[]::new))
                        .get(SETTLE.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillWaiting) {
                // counted below as not admitted
            }
            line.forEach(LineWaiter::stop);

            var checks = new LinkedHashMap<String, Object>();
            checks.put("holders", seats);
            checks.put("waiters", lineLength);
            checks.put("joinedLine", line.size());
            checks.put("positionsOneToN", positionsOk);
            boolean ok = HandOvers.measure(checks, line, logouts, HANDED_OVER_WITHIN, stats) && positionsOk
                    && line.size() == lineLength;
            JsonNode after = target.seats();
            checks.put("logoutsAnswered", logouts.size());
            checks.put("unexpectedAnswers", unexpected.sum());
            checks.put("seatsLost", seatsLost.sum());
            checks.put("samples", sampler.samples());
            checks.put("samplesOverActive", sampler.overActive());
            checks.put("maxInUseSampled", sampler.maxInUse());
            checks.put("seatsHeldByClients", heldToTheEnd.size());
            checks.put("inUseInRedis", after.get("inUse").asInt());
            checks.put("activeSeats", after.get("active").asInt());
            ok &= logouts.size() == seats && unexpected.sum() == 0 && seatsLost.sum() == 0 && sampler.samples() > 0
                    && sampler.overActive() == 0 && after.get("inUse").asInt() == heldToTheEnd.size();
            checks.put("loggedOutAtEnd", logOutTheAdmitted());
            checks.put("ok", ok);
            return checks;
        } finally {
            waitersNow().forEach(LineWaiter::stop);
            timer.shutdownNow();
        }
    }

    /** The run needs exactly {@code seats} active seats, none in use and nobody in line: a fresh tenant. */
    private static void checkFreshTenant(JsonNode licenses, int seats) {
        if (licenses.path("active").asInt() != seats || licenses.path("inUse").asInt() != 0
                || licenses.path("waiting").asInt() != 0) {
            throw new LoadTestFailure("shift-change needs a tenant with exactly " + seats + " active seats, none in use"
                    + " and nobody in line; this one has " + licenses + " (use a fresh --tenant, the default, on a"
                    + " gateway whose SEATGATE_ACTIVATION_DELAY is PT0S, as scripts/run-gateway's is)");
        }
    }

    /** Agents a1..aN log in, alternating between the gateways, and hold every seat; each must be admitted. */
    private List<HeldSeat> holdEverySeat(List<Target> gateways, int seats, Options options) {
        var limit = new InFlightLimit(options.connections());
        var retried = new LongAdder();
        var logins = new ArrayList<CompletableFuture<HeldSeat>>(seats);
        for (int k = 1; k <= seats; k++) {
            int agent = k;
            Target gateway = gateways.get((k - 1) % gateways.size()); // its logout goes there too
            var held = new CompletableFuture<HeldSeat>();
            logins.add(held);
            limit.submit(() -> {
                long sent = System.nanoTime();
                return gateway.loginHonouringRetryAfter(agent, retried).whenComplete((response, failure) -> {
                    if (failure != null || response.status() != 200) {
                        held.completeExceptionally(new LoadTestFailure("agent " + Target.agentId(agent) + " could"
                                + " not take a seat: " + (failure != null ? failure : response.status() + " "
                                + response.body())));
                        return;
                    }
                    stats.record("login", sent, 200);
                    holding.increment();
                    held.complete(new HeldSeat(gateway, response.body(), timer, stats, seatsLost));
                });
            });
        }
        return logins.stream().map(CompletableFuture::join).toList();
    }

    /**
     * Agents a(N+1)..a2N log in with {@code queue: true}, {@code --connections} at a time; each 202 starts its long
     * polls at once (a ticket not polled within a lease TTL leaves the line).
     */
    private void joinLine(List<Target> gateways, List<Target> pollGateways, int seats, int lineLength,
                          Options options) {
        var limit = new InFlightLimit(options.connections());
        var retried = new LongAdder();
        var joins = new ArrayList<CompletableFuture<Void>>(lineLength);
        for (int j = 1; j <= lineLength; j++) {
            int agent = seats + j;
            Target gateway = gateways.get(j % gateways.size());
            var joined = new CompletableFuture<Void>();
            joins.add(joined);
            limit.submit(() -> {
                long sent = System.nanoTime();
                return gateway.loginInLine(agent, retried).whenComplete((response, failure) -> {
                    if (failure != null) {
                        stats.failure("login (queued)");
                        unexpected.increment();
                    } else {
                        stats.record("login (queued)", sent, response.status());
                        joined(agent, gateway, response, pollGateways);
                    }
                    joined.complete(null);
                });
            });
        }
        CompletableFuture.allOf(joins.toArray(CompletableFuture[]::new)).join();
    }

    private void joined(int agent, Target gateway, Response response, List<Target> pollGateways) {
        if (response.status() != 202) {
            unexpected.increment();
            if (response.status() == 200) { // a seat was free after all: hold it to the end like the admitted
                heldToTheEnd.add(new HeldSeat(gateway, response.body(), timer, stats, seatsLost));
            }
            return;
        }
        var waiter = new LineWaiter(agent, Target.parse(response.body()), System.nanoTime());
        synchronized (waiters) {
            waiters.add(waiter);
        }
        // position p's seat is freed by holder p, whose logout goes to gateway (p - 1) mod n: this polls another,
        // so that with two gateways every hand-over crosses from one to the other
        Target pollOn = pollGateways.get((int) (waiter.position() % pollGateways.size()));
        waiter.outcome().thenAccept(answer -> {
            if (answer != null) {
                heldToTheEnd.add(new HeldSeat(pollOn, answer, timer, stats, seatsLost));
            }
        });
        waiter.waitOn(pollOn, stats, timer);
    }

    /**
     * The holders log out in order, evenly spread over {@code period}; returns, once every logout is answered, when
     * each answered 204 came back (System.nanoTime, in the order they came back).
     */
    private List<Long> logOutSpread(List<HeldSeat> holders, Duration period) {
        var answered = new ConcurrentLinkedQueue<Long>();
        long start = System.nanoTime();
        double spacing = (double) period.toNanos() / holders.size();
        var logouts = new ArrayList<CompletableFuture<Void>>(holders.size());
        for (int k = 0; k < holders.size(); k++) {
            HeldSeat holder = holders.get(k);
            long intended = start + (long) (k * spacing);
            var done = new CompletableFuture<Void>();
            logouts.add(done);
            timer.schedule(() -> holder.logOut().whenComplete((response, failure) -> {
                long at = System.nanoTime();
                if (failure == null && response.status() == 204) {
                    answered.add(at);
                } else {
                    unexpected.increment();
                }
                if (failure != null) {
                    stats.failure("logout");
                } else {
                    stats.record("logout", intended, response.status());
                }
                holding.decrement();
                done.complete(null);
            }), intended - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        CompletableFuture.allOf(logouts.toArray(CompletableFuture[]::new)).join();
        return answered.stream().sorted().toList();
    }

    /** The admitted log out (each 204); answers how many did. */
    private long logOutTheAdmitted() {
        var logouts = heldToTheEnd.stream().map(seat -> seat.logOut().handle((response, failure) ->
                failure == null && response.status() == 204)).toList();
        return logouts.stream().filter(CompletableFuture::join).count();
    }

    private List<LineWaiter> waitersNow() {
        synchronized (waiters) {
            return List.copyOf(waiters);
        }
    }
}
