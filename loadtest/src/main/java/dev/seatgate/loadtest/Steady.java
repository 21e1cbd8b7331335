package dev.seatgate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * A working day: every agent tries to hold a seat and heartbeats every {@code --heartbeat}, spread over the
 * interval. Each interval, {@code --churn} of them log out and in again and {@code --vanish} of them drop
 * their session without a word (a crashed softphone) and log in again later; agents without a seat try again
 * each interval. {@code --purchase} seats are bought half-way (they activate after the gateway's activation
 * delay). Every second, Redis' in-use count must not exceed active seats. At the end, churn stops, the
 * holders keep heartbeating for one lease TTL so abandoned leases lapse, and in-use in Redis must equal the
 * sessions the clients hold.
 */
final class Steady implements Scenario {

    @Override
    public Map<String, Object> run(Target target, Options options, Stats stats) throws Exception {
        int agents = options.agents();
        var tokens = new AtomicReferenceArray<String>(agents + 1);
        var leaseTtl = new AtomicLong(30);
        var overAdmitted = new AtomicLong();
        var unexpected = new AtomicLong();
        var maxInUse = new AtomicInteger();
        var stopChurn = new AtomicBoolean();
        ScheduledExecutorService scheduler = Executors.newScheduledThreadPool(1);
        long interval = options.heartbeat().toNanos();

        for (int agent = 1; agent <= agents; agent++) {
            int id = agent;
            long offset = (long) (interval * ((double) (agent - 1) / agents));
            scheduler.scheduleAtFixedRate(() -> tick(target, stats, options, tokens, id, leaseTtl, unexpected,
                    stopChurn.get()), offset, interval, TimeUnit.NANOSECONDS);
        }
        scheduler.scheduleAtFixedRate(() -> {
            JsonNode seats = target.seats();
            int inUse = seats.get("inUse").asInt();
            maxInUse.accumulateAndGet(inUse, Math::max);
            if (inUse > seats.get("active").asInt()) {
                overAdmitted.incrementAndGet();
            }
        }, 1, 1, TimeUnit.SECONDS);
        if (options.purchase() > 0) {
            scheduler.schedule(() -> target.purchase(options.purchase(), "loadtest-steady-" + System.nanoTime()),
                    options.duration().toMillis() / 2, TimeUnit.MILLISECONDS);
        }

        Thread.sleep(options.duration().toMillis());
        stopChurn.set(true);
        Thread.sleep(Duration.ofSeconds(leaseTtl.get()).plusSeconds(2).plus(options.heartbeat()).toMillis());
        scheduler.shutdown();
        scheduler.awaitTermination(30, TimeUnit.SECONDS);
        Thread.sleep(500); // answers still on their way

        int held = 0;
        for (int agent = 1; agent <= agents; agent++) {
            if (tokens.get(agent) != null) {
                held++;
            }
        }
        JsonNode seats = target.seats();
        var checks = new LinkedHashMap<String, Object>();
        checks.put("sessionsHeldByClients", held);
        checks.put("inUseInRedis", seats.get("inUse").asInt());
        checks.put("activeSeats", seats.get("active").asInt());
        checks.put("maxInUseSampled", maxInUse.get());
        checks.put("samplesOverActive", overAdmitted.get());
        checks.put("unexpectedAnswers", unexpected.get());
        checks.put("ok", held == seats.get("inUse").asInt() && overAdmitted.get() == 0 && unexpected.get() == 0
                && stats.failures() == 0);
        var logouts = new CompletableFuture<?>[agents];
        for (int agent = 1; agent <= agents; agent++) {
            String token = tokens.getAndSet(agent, null);
            logouts[agent - 1] = token == null ? CompletableFuture.completedFuture(null) : target.logout(token);
        }
        CompletableFuture.allOf(logouts).join();
        return checks;
    }

    /** One agent's interval: heartbeat, or log in; now and then log out and in, or vanish. */
    private static void tick(Target target, Stats stats, Options options, AtomicReferenceArray<String> tokens, int agent,
                             AtomicLong leaseTtl, AtomicLong unexpected, boolean quiet) {
        String token = tokens.get(agent);
        double dice = ThreadLocalRandom.current().nextDouble();
        if (token != null && !quiet && dice < options.vanish()) {
            tokens.set(agent, null); // the softphone crashed: its lease will lapse on its own
            return;
        }
        if (token != null && !quiet && dice < options.vanish() + options.churn()) {
            long sent = System.nanoTime();
            tokens.set(agent, null);
            target.logout(token).whenComplete((response, failure) -> {
                record(stats, "logout", sent, response, failure, 204, unexpected);
                login(target, stats, tokens, agent, leaseTtl, unexpected);
            });
            return;
        }
        if (token != null) {
            long sent = System.nanoTime();
            target.heartbeat(token).whenComplete((response, failure) -> {
                record(stats, "heartbeat", sent, response, failure, 200, unexpected);
                if (response != null && response.status() == 410) {
                    tokens.compareAndSet(agent, token, null); // lost it; log in again next interval
                }
            });
            return;
        }
        if (!quiet) {
            login(target, stats, tokens, agent, leaseTtl, unexpected);
        }
    }

    private static void login(Target target, Stats stats, AtomicReferenceArray<String> tokens, int agent,
                              AtomicLong leaseTtl, AtomicLong unexpected) {
        long sent = System.nanoTime();
        target.login(agent).whenComplete((response, failure) -> {
            if (failure != null) {
                stats.failure("login");
                return;
            }
            stats.record("login", sent, response.status());
            if (response.status() == 200) {
                JsonNode body = Target.parse(response.body());
                leaseTtl.set(body.get("leaseTtlSeconds").asLong());
                tokens.set(agent, body.get("sessionToken").asText());
            } else if (response.status() != 409 && !response.overloaded()) {
                unexpected.incrementAndGet(); // a 409 or an overloaded 503: the agent tries again next interval
            }
        });
    }

    private static void record(Stats stats, String kind, long sent, HttpLoadClient.Response response,
                               Throwable failure, int expected, AtomicLong unexpected) {
        if (failure != null) {
            stats.failure(kind);
            return;
        }
        stats.record(kind, sent, response.status());
        if (response.status() != expected && response.status() != 410) {
            unexpected.incrementAndGet();
        }
    }
}
