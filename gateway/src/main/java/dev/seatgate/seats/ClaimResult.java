package dev.seatgate.seats;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** What a login's claim came to. */
public sealed interface ClaimResult {

    /** The agent holds a seat under a new session. */
    record Admitted(SessionToken token, Instant leaseExpiresAt, Optional<String> replacedSessionId)
            implements ClaimResult {
    }

    /** Every active seat of the type is held. */
    record Exhausted(long active, long inUse, Optional<Instant> nextActivationAt) implements ClaimResult {
    }

    /** The agent holds a live session and the second-login policy is reject. */
    record AlreadyLoggedIn(String sessionId) implements ClaimResult {
    }

    /** The agent is gone, or its password changed after it was verified: check the password again. */
    record AgentChanged() implements ClaimResult {
    }

    /** The agent is locked out after too many failed logins, for this long still. */
    record Locked(Duration retryAfter) implements ClaimResult {
    }

    /** The agent is disabled. */
    record Disabled() implements ClaimResult {
    }

    /** The agent may not use this license type. */
    record NotPermitted() implements ClaimResult {
    }
}
