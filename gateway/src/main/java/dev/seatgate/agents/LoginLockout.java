package dev.seatgate.agents;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.seatgate.config.LockoutPolicy;
import dev.seatgate.redis.LuaScript;
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
 * its own ({@code sg:failures:{address}}), since one address may try many tenants. The claim script checks
 * the agent's counter itself, in the same step as the claim, and clears it on success.
 *
 * <p>A login whose password the credential cache vouches for only needs the address checked. An address
 * found with no failures at all is taken as clear for {@link #CLEAR_FOR} without asking Redis again (this
 * gateway forgets that the moment it counts a failure from it): the lockout may then take up to that long to
 * reach a login that was right anyway, while the common case, a softphone logging in again, costs one Redis
 * call instead of two.
 */
public final class LoginLockout {

    private static final LuaScript CHECK = LuaScript.load("lockout_check");
    private static final LuaScript FAIL = LuaScript.load("lockout_fail");

    /** The scripts this lockout runs. */
    public static final List<LuaScript> SCRIPTS = List.of(CHECK, FAIL);

    /** How long an address with no failed logins is taken as clear without asking Redis. */
    static final Duration CLEAR_FOR = Duration.ofSeconds(1);
    /** Addresses remembered as clear, at most. */
    private static final int CLEAR_ADDRESSES = 100_000;

    private final ScriptRunner scripts;
    private final LockoutPolicy policy;
    private final String windowMillis;
    private final Cache<InetAddress, Boolean> clearAddresses = Caffeine.newBuilder()
            .maximumSize(CLEAR_ADDRESSES).expireAfterWrite(CLEAR_FOR).build();

    public LoginLockout(ScriptRunner scripts, LockoutPolicy policy) {
        this.scripts = scripts;
        this.policy = policy;
        this.windowMillis = Long.toString(policy.window().toMillis());
    }

    /** How long the address is still locked out for; empty when it is not. */
    public CompletionStage<Optional<Duration>> addressLockedFor(InetAddress address) {
        if (clearAddresses.getIfPresent(address) != null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return count(addressKey(address), policy.addressFailures()).thenApply(count -> {
            if (count.failures() == 0) {
                clearAddresses.put(address, Boolean.TRUE);
            }
            return count.lockedFor();
        });
    }

    /** How long the agent or the address is still locked out for; empty when neither is. */
    public CompletionStage<Optional<Duration>> lockedFor(String tenant, String agentId, InetAddress address) {
        CompletableFuture<Count> agent = count(agentKey(tenant, agentId), policy.agentFailures());
        return agent.thenCombine(addressLockedFor(address),
                (byAgent, byAddress) -> max(byAgent.lockedFor(), byAddress));
    }

    /** Counts a failed login against the agent and the address. */
    public CompletionStage<Void> recordFailure(String tenant, String agentId, InetAddress address) {
        clearAddresses.invalidate(address);
        return CompletableFuture.allOf(
                scripts.run(FAIL, new String[] {agentKey(tenant, agentId)}, windowMillis).toCompletableFuture(),
                scripts.run(FAIL, new String[] {addressKey(address)}, windowMillis).toCompletableFuture());
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
