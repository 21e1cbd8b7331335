package dev.seatgate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * A shift-start login storm: {@code --agents} agents each log in once, their arrivals spread evenly over
 * {@code --duration} (open model), for {@code --seats} seats. Without {@code --warm} every login is a first
 * login whose password the gateway must hash; when more arrive than it can hash within its queue's bound it
 * answers 503 overloaded with a Retry-After, and the agent tries again then, as a softphone should. Exactly
 * min(agents, seats) must be admitted, every other final answer must be 409 SEATS_EXHAUSTED (no other 5xx, no
 * lost request), and Redis must count as in use exactly the sessions the clients were given. The admitted log
 * out at the end.
 */
final class Storm implements Scenario {

    @Override
    public Map<String, Object> run(Target target, Options options, Stats stats) throws Exception {
        JsonNode before = target.seats();
        if (before.get("inUse").asInt() != 0) {
            throw new IllegalStateException("the tenant has " + before.get("inUse").asInt() + " sessions already:"
                    + " wait a lease TTL or use a fresh --tenant");
        }
        var tokens = new ConcurrentLinkedQueue<String>();
        var refused = new AtomicLong();
        var other = new AtomicLong();
        var retried = new LongAdder();
        var scheduler = Executors.newSingleThreadScheduledExecutor();
        long start = System.nanoTime();
        double spacing = (double) options.duration().toNanos() / options.agents();
        var scheduled = new ArrayList<CompletableFuture<Void>>(options.agents());
        for (int i = 1; i <= options.agents(); i++) {
            int agent = i;
            long intended = start + (long) ((i - 1) * spacing);
            var answered = new CompletableFuture<Void>();
            scheduled.add(answered);
            scheduler.schedule(() -> target.loginHonouringRetryAfter(agent, retried).whenComplete((response, failure) -> {
                if (failure != null) {
                    stats.failure("login");
                } else {
                    stats.record("login", intended, response.status());
                    if (response.status() == 200) {
                        tokens.add(Target.sessionToken(response.body()));
                    } else if (response.status() == 409) {
                        refused.incrementAndGet();
                    } else {
                        other.incrementAndGet();
                    }
                }
                answered.complete(null);
            }), intended - System.nanoTime(), TimeUnit.NANOSECONDS);
        }
        CompletableFuture.allOf(scheduled.toArray(CompletableFuture[]::new)).join();
        scheduler.shutdown();
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonNode after = target.seats();

        int expected = Math.min(options.agents(), after.get("active").asInt());
        var checks = new LinkedHashMap<String, Object>();
        checks.put("stormSeconds", Math.round(seconds * 1000) / 1000.0);
        checks.put("admitted", tokens.size());
        checks.put("expectedAdmitted", expected);
        checks.put("refusedSeatsExhausted", refused.get());
        checks.put("retriedAfterOverloaded", retried.sum());
        checks.put("otherAnswers", other.get());
        checks.put("noResponse", stats.failures());
        checks.put("inUseInRedis", after.get("inUse").asInt());
        checks.put("ok", tokens.size() == expected && other.get() == 0 && stats.failures() == 0
                && after.get("inUse").asInt() == tokens.size()
                && tokens.size() + refused.get() == options.agents());

        if (!options.keepSessions()) {
            logOut(target, tokens);
        }
        return checks;
    }

    /** With --warm: every agent logs in once (some refused: the password is verified and cached all the same). */
    @Override
    public void prepare(Target target, Options options) {
        if (!options.warm()) {
            return;
        }
        System.err.println("warming the credential cache: " + options.agents() + " logins, not measured");
        var tokens = new ConcurrentLinkedQueue<String>();
        var logins = new ArrayList<CompletableFuture<Void>>(options.agents());
        var retried = new LongAdder();
        for (int agent = 1; agent <= options.agents(); agent++) {
            logins.add(target.loginHonouringRetryAfter(agent, retried).thenAccept(response -> {
                if (response.status() == 200) {
                    tokens.add(Target.sessionToken(response.body()));
                }
            }));
        }
        CompletableFuture.allOf(logins.toArray(CompletableFuture[]::new)).join();
        logOut(target, tokens);
    }

    private static void logOut(Target target, Iterable<String> tokens) {
        List<CompletableFuture<?>> logouts = new ArrayList<>();
        for (String token : tokens) {
            logouts.add(target.logout(token));
        }
        CompletableFuture.allOf(logouts.toArray(CompletableFuture[]::new)).join();
    }
}
