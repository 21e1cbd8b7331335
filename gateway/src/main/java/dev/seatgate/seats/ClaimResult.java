package dev.seatgate.seats;

/**
 * What the claim script answered: an outcome of the login, or that the agent's proof did not hold (its
 * password changed since it was verified: {@link Admission} checks it again, or refuses; a resume token that
 * is not valid: refused).
 */
public sealed interface ClaimResult permits LoginOutcome.Admitted, LoginOutcome.Queued, LoginOutcome.SeatsExhausted,
        LoginOutcome.QueueFull, LoginOutcome.CampaignFull, LoginOutcome.CampaignNotPermitted,
        LoginOutcome.UnknownCampaign,
        LoginOutcome.AlreadyLoggedIn, LoginOutcome.Disabled, LoginOutcome.NotPermitted, LoginOutcome.Locked,
        LoginOutcome.AccountSuspended,
        ClaimResult.AgentChanged, ClaimResult.BadResumeToken {

    /** The agent is gone, or its password changed after it was verified: check the password again. */
    record AgentChanged() implements ClaimResult {
    }

    /** The resume token is not one of the agent's (never was, revoked, or expired). */
    record BadResumeToken() implements ClaimResult {
    }
}
