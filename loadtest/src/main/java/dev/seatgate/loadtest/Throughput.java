package dev.seatgate.loadtest;

import dev.seatgate.loadtest.HttpLoadClient.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code logins}: agents log in again and again (each login takes over the agent's own seat).
 * {@code cycles}: agents log in and out again and again.
 * Closed model (every connection busy) by default; with {@code --rate}, an open model: requests start at
 * fixed intervals whatever the answers do, and latency counts from the intended start.
 */
final class Throughput implements Scenario {

    private final boolean withLogout;
    private final boolean wrongPassword;

    Throughput(boolean withLogout, boolean wrongPassword) {
        this.withLogout = withLogout;
        this.wrongPassword = wrongPassword;
    }

    @Override
    public Map<String, Object> run(Target target, Options options, Stats stats) throws Exception {
        long measured = System.nanoTime() + options.warmup().toNanos();
        stats.measureFrom(measured);
        long deadline = measured + options.duration().toNanos();
        var unexpected = new AtomicLong();
        var next = new AtomicInteger();
        if (options.rate() > 0) {
            var pending = new AtomicLong();
            Pacer.every((long) (1e9 / options.rate()), deadline, intended -> {
                pending.incrementAndGet();
                once(target, stats, agent(next, options), intended, unexpected)
                        .whenComplete((done, failure) -> pending.decrementAndGet());
            });
            while (pending.get() > 0) {
                Thread.sleep(10);
            }
        } else {
            var finished = new CountDownLatch(options.connections());
            for (int w = 0; w < options.connections(); w++) {
                int agent = w % options.agents() + 1;
                loop(target, stats, agent, deadline, unexpected, finished);
            }
            finished.await();
        }
        var checks = new LinkedHashMap<String, Object>();
        checks.put("unexpectedAnswers", unexpected.get());
        checks.put("ok", unexpected.get() == 0 && stats.failures() == 0);
        return checks;
    }

    private static int agent(AtomicInteger next, Options options) {
        return Math.floorMod(next.getAndIncrement(), options.agents()) + 1;
    }

    /** One connection's worth of work: the next request starts when the last one is answered. */
    private void loop(Target target, Stats stats, int agent, long deadline, AtomicLong unexpected,
                      CountDownLatch finished) {
        if (System.nanoTime() >= deadline) {
            finished.countDown();
            return;
        }
        once(target, stats, agent, System.nanoTime(), unexpected)
                .thenRun(() -> loop(target, stats, agent, deadline, unexpected, finished));
    }

    /** One login (and logout), recorded; never fails. */
    private CompletableFuture<Void> once(Target target, Stats stats, int agent, long intended, AtomicLong unexpected) {
        return target.login(agent).handle((response, failure) -> {
            if (failure != null) {
                stats.failure("login");
                return null;
            }
            stats.record("login", intended, response.status());
            if (response.status() != 200) {
                boolean expected = wrongPassword && (response.status() == 401 || response.status() == 503);
                if (!expected) {
                    unexpected.incrementAndGet();
                }
                return null;
            }
            return Target.sessionToken(response.body());
        }).thenCompose(token -> {
            if (!withLogout || token == null) {
                return CompletableFuture.completedFuture(null);
            }
            long sent = System.nanoTime();
            return target.logout(token).handle((Response response, Throwable failure) -> {
                if (failure != null) {
                    stats.failure("logout");
                } else {
                    stats.record("logout", sent, response.status());
                    if (response.status() != 204) {
                        unexpected.incrementAndGet();
                    }
                }
                return null;
            });
        });
    }
}
