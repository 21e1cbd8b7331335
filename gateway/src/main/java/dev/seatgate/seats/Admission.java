package dev.seatgate.seats;

import dev.seatgate.agents.Authenticator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The login use case, whatever the transport: check the agent's password, then claim a seat in one atomic
 * script, and say how it went as a {@link LoginOutcome}. A new login rule belongs here, in the claim script
 * and in one outcome; HTTP and WebSocket only translate the outcome.
 *
 * <p>The password is checked first ({@link Authenticator}: lockout, credential cache, slow hash); the claim
 * then checks the agent as it is in Redis at that moment (enabled, license type, lockout, and that its
 * password is still the one verified) and takes a seat or refuses. When a cached check turns out stale
 * (the password changed on another gateway), the password is checked again with the slow hash.
 */
public final class Admission {

    private final Authenticator authenticator;
    private final SeatLedger seats;

    public Admission(Authenticator authenticator, SeatLedger seats) {
        this.authenticator = authenticator;
        this.seats = seats;
    }

    public CompletionStage<LoginOutcome> login(LoginRequest request) {
        return withPassword(request, true);
    }

    private CompletionStage<LoginOutcome> withPassword(LoginRequest login, boolean useCache) {
        return authenticator.authenticate(login.tenant(), login.agentId(), login.password(), login.client(), useCache)
                .thenCompose(checked -> {
                    if (checked instanceof Authenticator.Result.Locked locked) {
                        return done(new LoginOutcome.Locked(locked.retryAfter()));
                    }
                    if (!(checked instanceof Authenticator.Result.Verified verified)) {
                        return done(new LoginOutcome.InvalidCredentials());
                    }
                    return seats.claim(login.tenant(), login.agentId(), verified.credentialId(), login.type(),
                            login.deviceId()).thenCompose(claim -> {
                                if (claim instanceof LoginOutcome outcome) {
                                    return done(outcome);
                                }
                                // AgentChanged: deleted, or its password changed, since it was verified
                                authenticator.forget(login.tenant(), login.agentId());
                                return verified.fromCache() ? withPassword(login, false)
                                        : done(new LoginOutcome.InvalidCredentials());
                            });
                });
    }

    private static CompletionStage<LoginOutcome> done(LoginOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
