package dev.seatgate.loadtest;

/**
 * A run that could not go on for a reason outside the load test: the gateway cannot be reached, or it refused
 * the set-up (a wrong admin token, say). Reported as one line, without a stack trace.
 */
final class LoadTestFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    LoadTestFailure(String message) {
        super(message);
    }
}
