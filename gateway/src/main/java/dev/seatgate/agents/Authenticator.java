package dev.seatgate.agents;

import dev.seatgate.metrics.GatewayMetrics;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Checks an agent's password, in this order: lockout (a locked agent or address is refused before any
 * hashing, so brute force costs the attacker time and the gateway nothing), then the credential cache, then
 * the slow hash on its pool. Unknown tenant, unknown agent and wrong password look the same from outside, in
 * the answer and in the time it takes (an unknown agent is checked against a decoy hash), and all count as a
 * failed login.
 *
 * <p>Whether the agent is enabled and may use the license type is decided by the claim script, against the
 * agent as it is in Redis at that moment.
 */
public final class Authenticator {

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
         * @param fromCache no hash was computed: the claim may find the cache was stale
         */
        record Verified(String credentialId, boolean fromCache) implements Result {
        }

        /** Unknown tenant, unknown agent or wrong password; counted as a failed login. */
        record Invalid() implements Result {
        }

        /** Too many failed logins of this agent or from this address; try again after {@code retryAfter}. */
        record Locked(Duration retryAfter) implements Result {
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
                    .orElseGet(() -> new Result.Verified(cached.get(), true)));
        }
        CompletionStage<Optional<Duration>> locked = lockout.lockedFor(tenant, agentId, client);
        CompletableFuture<Optional<Agent>> agent = agents.find(tenant, agentId).toCompletableFuture();
        return locked.thenCombine(agent, (lockedFor, found) -> {
            if (lockedFor.isPresent()) {
                return CompletableFuture.<Result>completedFuture(new Result.Locked(lockedFor.get()));
            }
            metrics.credentialCheck(false);
            return hasher.verify(password, found.map(Agent::passwordHash).orElse(null)).thenCompose(matches -> {
                if (!matches) {
                    return lockout.recordFailure(tenant, agentId, client).thenApply(counted -> new Result.Invalid());
                }
                String credentialId = found.get().credentialId();
                cache.remember(tenant, agentId, password, credentialId);
                return CompletableFuture.<Result>completedFuture(new Result.Verified(credentialId, false));
            });
        }).thenCompose(result -> result);
    }

    /** The claim found the cached credential stale (password changed, agent disabled or gone). */
    public void forget(String tenant, String agentId) {
        cache.forget(tenant, agentId);
    }
}
