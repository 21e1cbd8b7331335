package dev.seatgate.http;

import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts requests being served, so that a shutdown can wait for them; and knows when the gateway is
 * draining, so that responses close their connections and {@code /readyz} turns a load balancer away.
 */
public final class InFlight {

    /** Waiting for the last requests polls this often; shutdown is rare, requests are not. */
    private static final long POLL_MILLIS = 10;

    private final LongAdder count = new LongAdder();
    private volatile boolean draining;

    void begin() {
        count.increment();
    }

    void end() {
        count.decrement();
    }

    /** From now on, connections close after their current response and /readyz answers 503. */
    public void startDraining() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    /** Waits until no request is in flight, or the grace period is over; returns how many are left. */
    public int awaitIdle(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (count.sum() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(POLL_MILLIS);
        }
        return (int) count.sum();
    }
}
