package dev.seatgate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * An agent of the shift-change scenario who got a ticket (a 202 to its queued login) and now long-polls it
 * ({@code POST /v1/queue/wait}), asking again on every 202, as a softphone would, until a seat is handed over (200)
 * or the ticket is gone (410, or anything else). The next poll goes out as soon as a 202 comes back, so a seat
 * handed over between two polls is collected within a round trip.
 */
final class LineWaiter {

    /** Seconds each long poll may wait (the gateway's default); a hand-over answers it at once. */
    static final int WAIT_SECONDS = 20;
    /** After a poll that got no answer at all, the pause before the next: a softphone would not spin. */
    private static final long RETRY_MILLIS = 200;

    private final int agent;
    private final String ticket;
    private final long position;
    private final long joinedNanos;
    /** Completes with the 200 login answer when a seat is handed over, or with null when the ticket is gone. */
    private final CompletableFuture<String> outcome = new CompletableFuture<>();
    private volatile boolean stopped;
    private volatile long admittedNanos;
    private volatile Instant handedOverAt;
    private volatile String goneWith;

    /** A waiter whose queued login was answered 202 {@code joined} (at System.nanoTime {@code joinedNanos}). */
    LineWaiter(int agent, JsonNode joined, long joinedNanos) {
        this.agent = agent;
        this.ticket = joined.path("ticket").asText();
        this.position = joined.path("position").asLong();
        this.joinedNanos = joinedNanos;
    }

    /** Starts the long polls on {@code gateway} (any gateway takes any ticket). */
    void waitOn(Target gateway, Stats stats, ScheduledExecutorService timer) {
        if (stopped) {
            return;
        }
        long sent = System.nanoTime();
        gateway.awaitSeat(ticket, WAIT_SECONDS).whenComplete((response, failure) -> {
            if (failure != null) {
                stats.failure("queue wait");
                if (!stopped) { // a dropped connection or a timeout: the ticket is still in line, ask again
                    timer.schedule(() -> waitOn(gateway, stats, timer), RETRY_MILLIS, TimeUnit.MILLISECONDS);
                }
                return;
            }
            long answered = System.nanoTime();
            stats.record("queue wait", sent, response.status());
            if (response.status() == 202) {
                waitOn(gateway, stats, timer);
            } else if (response.status() == 200) {
                JsonNode login = Target.parse(response.body());
                admittedNanos = answered;
                // the admitted session's lease starts at the hand-over (API.md), on Redis' clock
                handedOverAt = Instant.parse(login.path("leaseExpiresAt").asText())
                        .minusSeconds(login.path("leaseTtlSeconds").asLong());
                stats.span("time in line", joinedNanos, answered);
                outcome.complete(response.body());
            } else {
                goneWith = response.status() + " " + response.body();
                outcome.complete(null);
            }
        });
    }

    /** No more polls (those in flight are answered, or fail when the connections close). */
    void stop() {
        stopped = true;
    }

    int agent() {
        return agent;
    }

    long position() {
        return position;
    }

    long joinedNanos() {
        return joinedNanos;
    }

    /** The 200 login answer once admitted, null once gone; not complete while the ticket waits. */
    CompletableFuture<String> outcome() {
        return outcome;
    }

    boolean admitted() {
        return handedOverAt != null;
    }

    /** System.nanoTime when the 200 reached the load generator (admitted waiters only). */
    long admittedNanos() {
        return admittedNanos;
    }

    /** When Redis handed the seat over (admitted waiters only). */
    Instant handedOverAt() {
        return handedOverAt;
    }

    /** The answer that ended the waiting without a seat (a 410 QUEUE_TICKET_GONE, say), or null. */
    String goneWith() {
        return goneWith;
    }
}
