package dev.seatgate.seats;

/** Told how many sessions each script ended, and why: what the sessions-ended metric counts. */
@FunctionalInterface
public interface SessionEnds {

    /** For uses without metrics (benchmarks, tests). */
    SessionEnds UNCOUNTED = (reason, sessions) -> { };

    void ended(EndReason reason, long sessions);
}
