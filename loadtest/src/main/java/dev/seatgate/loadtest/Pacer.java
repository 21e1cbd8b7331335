package dev.seatgate.loadtest;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * The open model's clock: starts one request every {@code intervalNanos} until a deadline, on the calling thread,
 * passing each its intended start (latency counts from it, so a late start shows as latency, not as fewer requests).
 *
 * <p>One thread sends every request that has come due, then sleeps until the next one is due. At rates beyond what
 * the thread's sleeps resolve (~every 60 µs here), it wakes less often than requests come due and sends those due
 * together: the alternative, a timer task per request, cost the load generator as much CPU as the gateway at 11,000
 * logins/s on a 2-core machine that the gateway and Redis share, and its own lateness became the latency measured.
 */
final class Pacer {

    private Pacer() {
    }

    /** Returns once the last request before {@code deadlineNanos} ({@link System#nanoTime()}) was started. */
    static void every(long intervalNanos, long deadlineNanos, LongConsumer start) {
        long first = System.nanoTime();
        for (long i = 0; ; i++) {
            long intended = first + i * intervalNanos;
            if (intended >= deadlineNanos) {
                return;
            }
            for (long early = intended - System.nanoTime(); early > 0; early = intended - System.nanoTime()) {
                LockSupport.parkNanos(early); // may return early (spuriously): never start a request before its time
            }
            start.accept(intended);
        }
    }
}
