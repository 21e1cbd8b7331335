package dev.seatgate.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waiting for what happens in its own time (a failover, a restart, a background job, a server noticing a
 * closed socket), by asking again and again until a deadline.
 */
public final class Await {

    private static final Duration EVERY = Duration.ofMillis(100);

    private Await() {
    }

    /** Whether {@code condition} held within {@code timeout}, asked every 100 ms. */
    public static boolean until(Duration timeout, BooleanSupplier condition) {
        return until(timeout, EVERY, condition);
    }

    /**
     * Whether {@code condition} held within {@code timeout}, asked every {@code every}. A condition that throws
     * has not held yet: the thing waited for may be refusing connections until it is up.
     */
    public static boolean until(Duration timeout, Duration every, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                if (condition.getAsBoolean()) {
                    return true;
                }
            } catch (RuntimeException notYet) {
                // asked again below
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            try {
                Thread.sleep(every.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
    }
}
