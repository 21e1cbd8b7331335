package dev.seatgate.seats;

/** What a claim is told about the agent's identity; the claim checks it against the agent as it is in Redis. */
public sealed interface Proof {

    /**
     * The password was verified against the hash whose credential id this is ({@code Agent.credentialId}).
     * The claim mints a new resume token.
     *
     * @param attemptCounted the attempt was counted against the agent's lockout in flight; the claim gives it back
     */
    record Password(String credentialId, boolean attemptCounted) implements Proof {
    }

    /** A resume token, checked by the claim against its stored digest and expiry. */
    record Resume(ResumeToken token) implements Proof {
    }
}
