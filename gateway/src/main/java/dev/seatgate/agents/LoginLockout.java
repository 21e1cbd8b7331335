package dev.seatgate.agents;

import dev.seatgate.config.LockoutPolicy;
import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.RedisConnector;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Brute-force protection. Failed logins are counted in Redis, per agent and per client address, so the
 * count holds however many gateways an attacker spreads over. Past the policy's threshold every login of
 * that agent, or from that address, is refused until the window passes, even with the right password; the
 * window is fixed from the first failure. Only a wrong password or unknown agent is a failure: a login
 * refused for want of seats, or for a disabled agent, is not. A successful login clears the agent's count.
 *
 * <p>The agent's counter lives in the tenant's slot ({@code sg:{t}:failures:{agentId}}), the address's in
 * its own ({@code sg:failures:{address}}), since one address may try many tenants.
 */
public final class LoginLockout {

    private static final LuaScript CHECK = LuaScript.load("lockout_check");
    private static final LuaScript FAIL = LuaScript.load("lockout_fail");

    /** The scripts this lockout runs. */
    public static final List<LuaScript> SCRIPTS = List.of(CHECK, FAIL);

    private final RedisConnector redis;
    private final ScriptRunner scripts;
    private final LockoutPolicy policy;
    private final String windowMillis;

    public LoginLockout(RedisConnector redis, ScriptRunner scripts, LockoutPolicy policy) {
        this.redis = redis;
        this.scripts = scripts;
        this.policy = policy;
        this.windowMillis = Long.toString(policy.window().toMillis());
    }

    /**
     * Where a login stands before its password is checked.
     *
     * @param lockedFor      how long the agent or the address is still locked out; empty when neither is
     * @param agentFailures  whether the agent has failures in the current window (a success then clears them)
     */
    public record Status(Optional<Duration> lockedFor, boolean agentFailures) {
    }

    public CompletionStage<Status> status(String tenant, String agentId, InetAddress address) {
        CompletableFuture<Count> agent = count(agentKey(tenant, agentId), policy.agentFailures());
        CompletableFuture<Count> client = count(addressKey(address), policy.addressFailures());
        return agent.thenCombine(client, (byAgent, byAddress) -> new Status(
                max(byAgent.lockedFor(), byAddress.lockedFor()), byAgent.failures() > 0));
    }

    /** Counts a failed login against the agent and the address. */
    public CompletionStage<Void> recordFailure(String tenant, String agentId, InetAddress address) {
        return CompletableFuture.allOf(
                scripts.run(FAIL, new String[] {agentKey(tenant, agentId)}, windowMillis).toCompletableFuture(),
                scripts.run(FAIL, new String[] {addressKey(address)}, windowMillis).toCompletableFuture());
    }

    /** Forgets the agent's failures after it logged in; the address keeps its count. */
    public CompletionStage<Void> clearAgent(String tenant, String agentId) {
        return redis.commands().del(agentKey(tenant, agentId)).thenApply(deleted -> null);
    }

    private record Count(long failures, Optional<Duration> lockedFor) {
    }

    private CompletableFuture<Count> count(String key, int threshold) {
        return scripts.run(CHECK, new String[] {key}).toCompletableFuture().thenApply(reply -> {
            long failures = (Long) reply.get(0);
            long leftMillis = (Long) reply.get(1);
            return new Count(failures, failures >= threshold && leftMillis > 0
                    ? Optional.of(Duration.ofMillis(leftMillis)) : Optional.empty());
        });
    }

    private static String agentKey(String tenant, String agentId) {
        return TenantKeys.of(tenant).failures(agentId);
    }

    private static String addressKey(InetAddress address) {
        return TenantKeys.addressFailures(address.getHostAddress());
    }

    private static Optional<Duration> max(Optional<Duration> a, Optional<Duration> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.or(() -> b);
        }
        return Optional.of(a.get().compareTo(b.get()) >= 0 ? a.get() : b.get());
    }
}
