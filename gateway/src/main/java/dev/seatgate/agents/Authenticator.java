package dev.seatgate.agents;

import dev.seatgate.metrics.GatewayMetrics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks an agent's password, in this order: the credential cache (then only the address's lockout is
 * checked); else the address's lockout is checked and the attempt counted against the agent before anything
 * is hashed (a locked agent or address is refused at once, so brute force costs the attacker time and the
 * gateway nothing, and parallel guesses at one agent cannot outrun its count), and the slow hash runs in the
 * client's lane of the hashing queue. Unknown tenant, unknown agent and wrong password look the same from outside, in the answer
 * and in the time it takes (an unknown agent is checked against a decoy hash), and all stay counted as failed
 * attempts. A password stored as a legacy hash is hashed anew (Argon2id) after it verified, as background work.
 *
 * <p>Whether the agent is enabled and may use the license type is decided by the claim script, against the
 * agent as it is in Redis at that moment.
 */
public final class Authenticator {

    private static final Logger log = LoggerFactory.getLogger(Authenticator.class);

    private final AgentDirectory agents;
    private final PasswordHasher hasher;
    private final CredentialCache cache;
    private final LoginLockout lockout;
    private final GatewayMetrics metrics;

    public Authenticator(AgentDirectory agents, PasswordHasher hasher, CredentialCache cache, LoginLockout lockout,
                         GatewayMetrics metrics) {
        this.agents = agents;
        this.hasher = hasher;
        this.cache = cache;
        this.lockout = lockout;
        this.metrics = metrics;
    }

    /** What a password check came to. */
    public sealed interface Result {
        /**
         * The password is right for the agent whose password hash has this credential id.
         *
         * @param fromCache      no hash was computed: the claim may find the cache was stale
         * @param attemptCounted the attempt was counted against the agent: the claim gives it back
         */
        record Verified(String credentialId, boolean fromCache, boolean attemptCounted) implements Result {
        }

        /** Unknown tenant, unknown agent or wrong password; counted as a failed login. */
        record Invalid() implements Result {
        }

        /** Too many failed logins of this agent or from this address; try again after {@code retryAfter}. */
        record Locked(Duration retryAfter) implements Result {
        }

        /** The hashing threads are booked; the password could be checked after {@code retryAfter}. */
        record Overloaded(Duration retryAfter) implements Result {
        }
    }

    /** @param useCache false to insist on the slow hash (after the claim found a cached credential stale) */
    public CompletionStage<Result> authenticate(String tenant, String agentId, String password, InetAddress client,
                                                boolean useCache) {
        Optional<String> cached = useCache ? cache.verified(tenant, agentId, password) : Optional.empty();
        if (cached.isPresent()) {
            // The claim checks the agent's lockout itself; only the address is left to check here.
            metrics.credentialCheck(true);
            return lockout.addressLockedFor(client).thenApply(locked -> locked.<Result>map(Result.Locked::new)
                    .orElseGet(() -> new Result.Verified(cached.get(), true, false)));
        }
        CompletableFuture<Optional<Agent>> agent = agents.find(tenant, agentId).toCompletableFuture();
        return lockout.reserve(tenant, agentId, client).thenCombine(agent, (lockedFor, found) -> {
            if (lockedFor.isPresent()) {
                return CompletableFuture.<Result>completedFuture(new Result.Locked(lockedFor.get()));
            }
            String hash = found.map(Agent::passwordHash).orElse(null);
            return hasher.verify(password, hash, client).handle((matches, failure) -> {
                if (failure == null) {
                    return checked(tenant, agentId, password, client, found, matches);
                }
                if (unwrap(failure) instanceof HashingOverloadedException overloaded) {
                    lockout.release(tenant, agentId);
                    return CompletableFuture.<Result>completedFuture(new Result.Overloaded(overloaded.retryAfter()));
                }
                return CompletableFuture.<Result>failedFuture(unwrap(failure));
            }).thenCompose(result -> result);
        }).thenCompose(result -> result);
    }

    /** What a password the slow hash checked comes to. */
    private CompletionStage<Result> checked(String tenant, String agentId, String password, InetAddress client,
                                            Optional<Agent> found, boolean matches) {
        metrics.credentialCheck(false);
        if (!matches) { // the agent's attempt stays counted: a failure, and so is the address's
            return lockout.recordAddressFailure(client).thenApply(counted -> new Result.Invalid());
        }
        Agent agent = found.orElseThrow();
        cache.remember(tenant, agentId, password, agent.credentialId());
        if (!hasher.isCurrent(agent.passwordHash())) {
            upgrade(tenant, agentId, password, agent.passwordHash());
        }
        return CompletableFuture.completedFuture(new Result.Verified(agent.credentialId(), false, true));
    }

    /** The claim found the cached credential stale (password changed, agent disabled or gone). */
    public void forget(String tenant, String agentId) {
        cache.forget(tenant, agentId);
    }

    /**
     * Replaces a legacy hash (PBKDF2, or Argon2id at another cost) with today's, once the hashing threads have
     * nothing else to do; only if the agent still has the hash that was verified. If anything gets in the way,
     * the next successful login tries again.
     */
    private void upgrade(String tenant, String agentId, String password, String legacyHash) {
        hasher.rehash(password)
                .thenCompose(hash -> agents.replacePasswordHash(tenant, agentId, legacyHash, hash))
                .whenComplete((replaced, failure) -> {
                    if (failure != null) {
                        log.debug("password hash of {}/{} not upgraded this time: {}", tenant, agentId,
                                unwrap(failure).getMessage());
                    } else if (replaced) {
                        log.debug("password hash of {}/{} upgraded to Argon2id", tenant, agentId);
                    }
                });
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
