package dev.seatgate.loadtest;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * A run that could not go on for a reason outside the load test: the gateway cannot be reached, stopped
 * answering, or refused the set-up (a wrong admin token, say). Reported as one line, without a stack trace.
 */
final class LoadTestFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LoadTestFailure(String message) {
        super(message);
    }

    /**
     * The failure as one from outside when it is one: itself, or an I/O error or timeout talking to the gateway
     * (found as the cause of what a {@code join()} threw); null for anything else, which is a bug of ours.
     */
    static LoadTestFailure of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof LoadTestFailure outside) {
                return outside;
            }
            if (cause instanceof IOException || cause instanceof TimeoutException) {
                return new LoadTestFailure("the gateway stopped answering: " + cause);
            }
        }
        return null;
    }
}
