package dev.seatgate.seats;

import java.time.Instant;

/** What a heartbeat, logout or revocation found. */
public sealed interface SessionResult {

    /** Heartbeat: the session holds its seat until the new expiry. */
    record Extended(Instant leaseExpiresAt) implements SessionResult {
    }

    /** Logout or revocation: the session held its seat and now does not. */
    record Ended() implements SessionResult {
    }

    /** The session had already lost its seat, for this reason. */
    record Gone(EndReason reason) implements SessionResult {
    }

    /** No such session: never issued, forgotten after a day, or the token's secret is wrong. */
    record Unknown() implements SessionResult {
    }
}
