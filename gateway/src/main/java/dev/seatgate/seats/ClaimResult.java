package dev.seatgate.seats;

/**
 * What the claim script answered: an outcome of the login, or that the agent changed since its password was
 * verified (then {@link Admission} checks the password again, or refuses).
 */
public sealed interface ClaimResult permits LoginOutcome.Admitted, LoginOutcome.SeatsExhausted,
        LoginOutcome.AlreadyLoggedIn, LoginOutcome.Disabled, LoginOutcome.NotPermitted, LoginOutcome.Locked,
        ClaimResult.AgentChanged {

    /** The agent is gone, or its password changed after it was verified: check the password again. */
    record AgentChanged() implements ClaimResult {
    }
}
