package dev.seatgate.agents;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.seatgate.config.LockoutPolicy;
import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Brute-force protection. Login attempts are counted in Redis, per agent and per client address, so the
 * count holds however many gateways an attacker spreads over. Past the policy's threshold every login of
 * that agent, or from that address, is refused until the window passes, even with the right password; the
 * window is fixed from the first attempt.
 *
 * <p>An agent's attempt is counted <em>before</em> its password is hashed ({@link #reserve}), and given back
 * when the password was right or never checked: attempts in flight count like failures, so parallel guesses
 * at one agent cannot outrun its limit. An address's count is of failures only, counted once the hash said
 * so: a call center behind one NAT address starts hundreds of first logins at once at shift start, and those
 * must not lock it out; parallel guesses from one address are paced by its lane of the hashing queue
 * instead. What stays counted is a wrong password or an unknown agent; a login refused for want of seats, or
 * for a disabled agent, is not a failure. A successful login clears the agent's count.
 *
 * <p>The agent's counter lives in the tenant's slot ({@code sg:{t}:failures:{agentId}}), the address's in
 * its own ({@code sg:failures:{address}}), since one address may try many tenants. The claim script checks
 * the agent's counter itself, in the same step as the claim, gives back this login's attempt, and clears the
 * count on success.
 *
 * <p>A login whose password the credential cache vouches for (or that brings a resume token) only needs the
 * address checked. An address found with no failures at all is taken as clear for {@link #CLEAR_FOR} without
 * asking Redis again (this gateway forgets that the moment it counts an attempt from it): the lockout may then
 * take up to that long to reach a login that was right anyway, while the common case, a softphone logging in
 * again, costs one Redis call instead of two.
 */
public final class LoginLockout {

    private static final LuaScript CHECK = LuaScript.load("lockout_check");
    private static final LuaScript FAIL = LuaScript.load("lockout_fail");
    private static final LuaScript RESERVE = LuaScript.load("lockout_reserve");
    private static final LuaScript RELEASE = LuaScript.load("lockout_release");

    /** How long an address with no failed logins is taken as clear without asking Redis. */
    static final Duration CLEAR_FOR = Duration.ofSeconds(1);
    /** Addresses remembered as clear, at most. */
    private static final int CLEAR_ADDRESSES = 100_000;

    private final ScriptRunner scripts;
    private final LockoutPolicy policy;
    private final String windowMillis;
    private final String agentLimit;
    private final String addressLimit;
    private final Cache<InetAddress, Boolean> clearAddresses = Caffeine.newBuilder()
            .maximumSize(CLEAR_ADDRESSES).expireAfterWrite(CLEAR_FOR).build();

    public LoginLockout(ScriptRunner scripts, LockoutPolicy policy) {
        this.scripts = scripts;
        this.policy = policy;
        this.windowMillis = Long.toString(policy.window().toMillis());
        this.agentLimit = Integer.toString(policy.agentFailures());
        this.addressLimit = Integer.toString(policy.addressFailures());
    }

    /** How long the address is still locked out for; empty when it is not. */
    public CompletionStage<Optional<Duration>> addressLockedFor(InetAddress address) {
        if (clearAddresses.getIfPresent(address) != null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return scripts.run(CHECK, new String[] {addressKey(address)}).thenApply(reply -> {
            long failures = (Long) reply.get(0);
            long leftMillis = (Long) reply.get(1);
            if (failures == 0) {
                clearAddresses.put(address, Boolean.TRUE);
            }
            return failures >= policy.addressFailures() && leftMillis > 0
                    ? Optional.of(Duration.ofMillis(leftMillis)) : Optional.empty();
        });
    }

    /**
     * Counts an attempt against the agent before its password is hashed, if neither the agent nor the address
     * is locked out. Empty when it was counted; else how long the lockout still runs, and nothing is counted.
     */
    public CompletionStage<Optional<Duration>> reserve(String tenant, String agentId, InetAddress address) {
        return addressLockedFor(address).thenCompose(addressLocked -> addressLocked.isPresent()
                ? CompletableFuture.completedFuture(addressLocked)
                : reserve(agentKey(tenant, agentId), agentLimit));
    }

    /** Gives back the agent's attempt: its password was never checked (the claim gives back a right one's). */
    public void release(String tenant, String agentId) {
        release(agentKey(tenant, agentId));
    }

    /** Counts a failed login against the address (the agent's attempt stays counted as its failure). */
    public CompletionStage<Void> recordAddressFailure(InetAddress address) {
        clearAddresses.invalidate(address);
        return scripts.run(FAIL, new String[] {addressKey(address)}, windowMillis).thenApply(reply -> null);
    }

    private CompletableFuture<Optional<Duration>> reserve(String key, String limit) {
        return scripts.run(RESERVE, new String[] {key}, limit, windowMillis).toCompletableFuture()
                .thenApply(reply -> "OK".equals(reply.get(0)) ? Optional.<Duration>empty()
                        : Optional.of(Duration.ofMillis(Math.max(1, (Long) reply.get(1)))));
    }

    /** Fire and forget: if Redis fails meanwhile, the attempt stays counted until its window ends. */
    private void release(String key) {
        try {
            scripts.run(RELEASE, new String[] {key});
        } catch (RuntimeException notConnected) {
            // counted until the window ends
        }
    }

    private static String agentKey(String tenant, String agentId) {
        return TenantKeys.of(tenant).failures(agentId);
    }

    private static String addressKey(InetAddress address) {
        return TenantKeys.addressFailures(address.getHostAddress());
    }

}
