package dev.seatgate.seats;

import dev.seatgate.agents.Authenticator;
import dev.seatgate.agents.LoginLockout;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The login use case, whatever the transport: establish who the agent is, then claim a seat in one atomic
 * script, and say how it went as a {@link LoginOutcome}. A new login rule belongs here, in the claim script
 * and in one outcome; HTTP and WebSocket only translate the outcome.
 *
 * <ul>
 *   <li>With a <b>password</b>, the {@link Authenticator} checks it first (credential cache, lockout, the slow
 *       hash in the client's lane); the claim then checks the agent as it is in Redis at that moment (enabled,
 *       license type, lockout, and that its password is still the one verified) and takes a seat or refuses.
 *       When a cached check turns out stale (the password changed on another gateway), the password is checked
 *       again with the slow hash. A password login that gets a seat also gets a new resume token.</li>
 *   <li>With a <b>resume token</b>, nothing is hashed: after the address's lockout, the claim itself checks the
 *       token against its stored digest and expiry, in the same step. A token that does not hold counts as a
 *       failed login of the address.</li>
 * </ul>
 */
public final class Admission {

    private final Authenticator authenticator;
    private final LoginLockout lockout;
    private final SeatLedger seats;

    public Admission(Authenticator authenticator, LoginLockout lockout, SeatLedger seats) {
        this.authenticator = authenticator;
        this.lockout = lockout;
        this.seats = seats;
    }

    public CompletionStage<LoginOutcome> login(LoginRequest request) {
        if (request.credential() instanceof LoginRequest.Credential.Resume resume) {
            return withResumeToken(request, resume.token());
        }
        return withPassword(request, ((LoginRequest.Credential.Password) request.credential()).password(), true);
    }

    private CompletionStage<LoginOutcome> withPassword(LoginRequest login, String password, boolean useCache) {
        return authenticator.authenticate(login.tenant(), login.agentId(), password, login.client(), useCache)
                .thenCompose(checked -> {
                    if (checked instanceof Authenticator.Result.Locked locked) {
                        return done(new LoginOutcome.Locked(locked.retryAfter()));
                    }
                    if (checked instanceof Authenticator.Result.Overloaded overloaded) {
                        return done(new LoginOutcome.Overloaded(overloaded.retryAfter()));
                    }
                    if (!(checked instanceof Authenticator.Result.Verified verified)) {
                        return done(new LoginOutcome.InvalidCredentials());
                    }
                    var proof = new Proof.Password(verified.credentialId(), verified.attemptCounted());
                    return seats.claim(login.tenant(), login.agentId(), proof, login.type(), login.deviceId(),
                                    login.queue(), login.campaign())
                            .thenCompose(claim -> {
                                if (claim instanceof LoginOutcome outcome) {
                                    return done(outcome);
                                }
                                // AgentChanged: deleted, or its password changed, since it was verified
                                authenticator.forget(login.tenant(), login.agentId());
                                return verified.fromCache() ? withPassword(login, password, false)
                                        : done(new LoginOutcome.InvalidCredentials());
                            });
                });
    }

    private CompletionStage<LoginOutcome> withResumeToken(LoginRequest login, ResumeToken token) {
        return lockout.addressLockedFor(login.client()).thenCompose(locked -> {
            if (locked.isPresent()) {
                return done(new LoginOutcome.Locked(locked.get()));
            }
            return seats.claim(login.tenant(), login.agentId(), new Proof.Resume(token), login.type(),
                    login.deviceId(), login.queue(), login.campaign()).thenCompose(claim -> {
                        if (claim instanceof LoginOutcome outcome) {
                            return done(outcome);
                        }
                        return lockout.recordAddressFailure(login.client())
                                .thenApply(counted -> new LoginOutcome.InvalidCredentials());
                    });
        });
    }

    private static CompletionStage<LoginOutcome> done(LoginOutcome outcome) {
        return CompletableFuture.completedFuture(outcome);
    }
}
