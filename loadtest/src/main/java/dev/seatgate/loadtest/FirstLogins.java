package dev.seatgate.loadtest;

import dev.seatgate.loadtest.HttpLoadClient.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.IntStream;

/**
 * First-login capacity, and what it leaves for everyone else, in three steps:
 *
 * <ol>
 *   <li>the first {@value #BYSTANDERS} agents log in (their passwords are now cached in the gateway);</li>
 *   <li>they heartbeat and log in again at {@code --rate} requests per second (open model, default 200/s) for
 *       {@code --warmup}, with nothing else going on: the "idle" figures;</li>
 *   <li>while they go on, every other agent (none has logged in since the gateway started) logs in once,
 *       {@code --connections} at a time (closed model: the hashing threads stay saturated), honouring
 *       Retry-After when answered 503 overloaded: first logins per second, and the "hashing" figures of the
 *       bystanders, which show what the event loops answer while every hashing thread is busy.</li>
 * </ol>
 *
 * <p>The bystanders have connections of their own (on the first logins' they would measure the wait for a free
 * connection). The gateway's own count of password hashes ({@code /metrics}) must grow by at least the number
 * of first logins: otherwise the agents had logged in before (use a fresh {@code --tenant}; by default every run
 * gets one).
 */
final class FirstLogins implements Scenario {

    /** Agents whose cached logins and heartbeats are measured alongside the first logins. */
    static final int BYSTANDERS = 20;
    private static final int BYSTANDER_CONNECTIONS = 8;
    private static final double DEFAULT_BYSTANDER_RATE = 200;

    @Override
    public Map<String, Object> run(Target target, Options options, Stats stats) throws Exception {
        if (options.agents() <= BYSTANDERS) {
            throw new IllegalArgumentException("first-logins needs more than " + BYSTANDERS + " --agents");
        }
        double hashedBefore = target.passwordsHashed();
        var retried = new LongAdder();
        var unexpected = new AtomicLong();

        var tokens = new ConcurrentHashMap<Integer, String>();
        var bystanders = IntStream.rangeClosed(1, BYSTANDERS).boxed().toList();
        for (int agent : bystanders) {
            Response response = target.loginHonouringRetryAfter(agent, retried).join();
            if (response.status() != 200) {
                throw new IllegalStateException("agent " + agent + " could not log in: " + response.status() + " "
                        + response.body());
            }
            tokens.put(agent, Target.sessionToken(response.body()));
        }

        var phase = new AtomicReference<>("idle");
        var bystanderLoad = Executors.newSingleThreadScheduledExecutor();
        try (var side = new Target(options, BYSTANDER_CONNECTIONS)) {
            double rate = options.rate() > 0 ? options.rate() : DEFAULT_BYSTANDER_RATE;
            bystand(side, bystanders, tokens, rate, phase, stats, unexpected, bystanderLoad);
            Thread.sleep(options.warmup().toMillis());

            phase.set("hashing");
            int firstLogins = options.agents() - BYSTANDERS;
            var admitted = new ConcurrentLinkedQueue<String>();
            var next = new AtomicInteger(BYSTANDERS + 1);
            var done = new CountDownLatch(firstLogins);
            long start = System.nanoTime();
            var lastAnswer = new AtomicLong(start);
            for (int c = 0; c < Math.min(options.connections(), firstLogins); c++) {
                firstLogin(target, options, stats, next, retried, unexpected, admitted, done, lastAnswer);
            }
            done.await();
            bystanderLoad.shutdown();
            bystanderLoad.awaitTermination(10, TimeUnit.SECONDS);
            double seconds = (lastAnswer.get() - start) / 1e9;
            double hashed = target.passwordsHashed() - hashedBefore;

            var checks = new LinkedHashMap<String, Object>();
            checks.put("firstLogins", firstLogins);
            checks.put("firstLoginSeconds", Math.round(seconds * 1000) / 1000.0);
            checks.put("firstLoginsPerSecond", Math.round(firstLogins / seconds * 10) / 10.0);
            checks.put("passwordsHashed", (long) hashed);
            checks.put("retriedAfterOverloaded", retried.sum());
            checks.put("admitted", admitted.size() + BYSTANDERS);
            checks.put("unexpectedAnswers", unexpected.get());
            checks.put("ok", unexpected.get() == 0 && stats.failures() == 0 && hashed >= options.agents());
            if (hashed < options.agents()) {
                System.err.printf("only %.0f passwords were hashed for %d first logins: these agents had logged in"
                        + " before; use a fresh --tenant%n", hashed, options.agents());
            }
            logOut(target, List.copyOf(admitted));
            logOut(target, List.copyOf(tokens.values()));
            return checks;
        } finally {
            bystanderLoad.shutdownNow();
        }
    }

    /**
     * The bystanders' load, recorded under the phase: every tick a heartbeat or a cached login, in turn. Half
     * of them heartbeat and the other half log in again, so that no heartbeat races its agent's takeover.
     */
    private static void bystand(Target side, List<Integer> bystanders, Map<Integer, String> tokens, double rate,
                                AtomicReference<String> phase, Stats stats, AtomicLong unexpected,
                                ScheduledExecutorService scheduler) {
        var tick = new AtomicLong();
        scheduler.scheduleAtFixedRate(() -> {
            long n = tick.getAndIncrement();
            boolean heartbeat = n % 2 == 0;
            int half = bystanders.size() / 2;
            int agent = bystanders.get((int) (n / 2 % half) + (heartbeat ? 0 : half));
            long intended = System.nanoTime();
            String during = " (" + phase.get() + ")";
            if (heartbeat) {
                side.heartbeat(tokens.get(agent)).whenComplete((response, failure) -> record(stats,
                        "heartbeat" + during, intended, response, failure, 200, unexpected));
            } else {
                side.login(agent).whenComplete((response, failure) -> {
                    record(stats, "cached login" + during, intended, response, failure, 200, unexpected);
                    if (response != null && response.status() == 200) {
                        tokens.put(agent, Target.sessionToken(response.body())); // a takeover: the new session
                    }
                });
            }
        }, 0, (long) (1e9 / rate), TimeUnit.NANOSECONDS);
    }

    /** One connection's loop: the next agent's first login, once the last one was answered. */
    private static void firstLogin(Target target, Options options, Stats stats, AtomicInteger next, LongAdder retried,
                                   AtomicLong unexpected, ConcurrentLinkedQueue<String> admitted, CountDownLatch done,
                                   AtomicLong lastAnswer) {
        int agent = next.getAndIncrement();
        if (agent > options.agents()) {
            return;
        }
        long intended = System.nanoTime();
        target.loginHonouringRetryAfter(agent, retried).whenComplete((response, failure) -> {
            record(stats, "first login", intended, response, failure, 200, unexpected);
            if (response != null && response.status() == 200) {
                admitted.add(Target.sessionToken(response.body()));
            }
            lastAnswer.accumulateAndGet(System.nanoTime(), Math::max);
            done.countDown();
            firstLogin(target, options, stats, next, retried, unexpected, admitted, done, lastAnswer);
        });
    }

    private static void record(Stats stats, String kind, long intended, Response response, Throwable failure,
                               int expected, AtomicLong unexpected) {
        if (failure != null) {
            stats.failure(kind);
            return;
        }
        stats.record(kind, intended, response.status());
        if (response.status() != expected) {
            unexpected.incrementAndGet();
        }
    }

    private static void logOut(Target target, List<String> sessions) {
        CompletableFuture.allOf(sessions.stream().map(target::logout).toArray(CompletableFuture[]::new)).join();
    }
}
