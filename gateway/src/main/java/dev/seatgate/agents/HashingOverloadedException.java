package dev.seatgate.agents;

import java.time.Duration;
import java.util.concurrent.RejectedExecutionException;

/** A password check would wait longer than the bound for a hashing thread; it can be taken after {@link #retryAfter}. */
public final class HashingOverloadedException extends RejectedExecutionException {

    private final Duration retryAfter;

    public HashingOverloadedException(Duration retryAfter) {
        super("password hashing is booked for the next " + retryAfter.toMillis() + " ms");
        this.retryAfter = retryAfter;
    }

    public Duration retryAfter() {
        return retryAfter;
    }
}
