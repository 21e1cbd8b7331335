package dev.seatgate.http;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Counts requests being served, so that a shutdown can wait for them; and knows when the gateway is
 * draining, so that responses close their connections and {@code /readyz} turns a load balancer away.
 */
public final class InFlight {

    private int count;
    private volatile boolean draining;

    synchronized void begin() {
        count++;
    }

    synchronized void end() {
        if (--count == 0) {
            notifyAll();
        }
    }

    /** From now on, connections close after their current response and /readyz answers 503. */
    public void startDraining() {
        draining = true;
    }

    public boolean isDraining() {
        return draining;
    }

    /** Waits until no request is in flight, or the grace period is over; returns how many are left. */
    public synchronized int awaitIdle(Duration grace) throws InterruptedException {
        long deadline = System.nanoTime() + grace.toNanos();
        while (count > 0) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                break;
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        return count;
    }
}
