package dev.seatgate.loadtest;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Tells when the seat of a session whose socket was dropped is free again: while any session is watched, reads
 * the tenant's live sessions (GET .../sessions, every page) every {@link #EVERY}, and completes the watch of each
 * session no longer listed, with the time the listing came back. The listing shows exactly the sessions whose lease
 * has not run out, that is, those that count as in use.
 *
 * <p>The time is taken after the answer, never before the request: a seat freed early is then sometimes missed,
 * but a seat freed in time is never seen as freed early. The figure is late by up to {@link #EVERY} plus a round
 * trip.
 */
final class FreedSeats implements AutoCloseable {

    /** How often the listing is read while a session is watched. */
    static final Duration EVERY = Duration.ofMillis(200);

    private final Target target;
    private final Map<String, CompletableFuture<Long>> watched = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "loadtest-freed-seats");
        thread.setDaemon(true);
        return thread;
    });

    FreedSeats(Target target) {
        this.target = target;
        timer.scheduleWithFixedDelay(this::poll, EVERY.toMillis(), EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Completes with System.nanoTime when the session was seen not to hold a seat any more. */
    CompletableFuture<Long> watch(String sessionId) {
        var freed = new CompletableFuture<Long>();
        watched.put(sessionId, freed);
        freed.whenComplete((at, failure) -> watched.remove(sessionId, freed));
        return freed;
    }

    private void poll() {
        if (watched.isEmpty()) {
            return;
        }
        try {
            Set<String> live = target.liveSessionIds();
            long now = System.nanoTime();
            watched.forEach((sessionId, freed) -> {
                if (!live.contains(sessionId)) {
                    freed.complete(now);
                }
            });
        } catch (RuntimeException e) {
            // an admin call that failed: the next poll tries again; a watch that never completes times out
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
