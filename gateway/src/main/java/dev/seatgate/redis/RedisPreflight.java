package dev.seatgate.redis;

import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the gateway needs of a Redis before it trusts it with seats, judged from {@code INFO} (which managed
 * Redis services allow where {@code CONFIG GET} is often disabled):
 *
 * <ul>
 *   <li>version 7.0 or later: the scripts declare their flags in a shebang ({@link LuaScript});</li>
 *   <li>{@code maxmemory-policy noeviction}: any other policy lets Redis evict keys when it is full, and an
 *       evicted lease, seat count, purchase or idempotency record breaks the invariants (a retried purchase
 *       charged twice, a seat counted free while its agent works). With {@code noeviction} a full Redis
 *       refuses the scripts that need memory (logins, purchases: {@code 503}) and keeps serving the rest.</li>
 * </ul>
 *
 * On a cluster every master is judged.
 */
final class RedisPreflight {

    private static final Pattern VERSION = Pattern.compile("(?m)^redis_version:(\\d+)\\.(\\d+)");
    private static final Pattern POLICY = Pattern.compile("(?m)^maxmemory_policy:(\\S+)");
    private static final int MIN_MAJOR_VERSION = 7;
    private static final String SAFE_POLICY = "noeviction";

    private RedisPreflight() {
    }

    /** What is wrong with the Redis whose masters answered {@code infos} to {@code INFO}; empty when nothing. */
    static Optional<String> problem(String description, List<String> infos) {
        for (String info : infos) {
            Matcher version = VERSION.matcher(info);
            if (version.find() && Integer.parseInt(version.group(1)) < MIN_MAJOR_VERSION) {
                return Optional.of("Redis at " + description + " is version " + version.group(1) + "."
                        + version.group(2) + "; seatgate needs Redis 7.0 or later");
            }
            Matcher policy = POLICY.matcher(info);
            if (policy.find() && !policy.group(1).equals(SAFE_POLICY)) {
                return Optional.of("Redis at " + description + " has maxmemory-policy " + policy.group(1)
                        + ", which lets it evict seatgate's keys (seats, leases, purchases, idempotency records)"
                        + " when it is full: set maxmemory-policy noeviction (see the README, Running in production)");
            }
        }
        return Optional.empty();
    }

    /** Whether a failure to connect or to run a command means Redis refused the URI's credentials. */
    static boolean isAuthenticationFailure(String message) {
        return message.startsWith("WRONGPASS") || message.startsWith("NOAUTH")
                || message.contains("invalid password") || message.contains("invalid username-password");
    }

    /** Whether the URI's user may not run INFO (an ACL without {@code @dangerous}): then nothing can be judged. */
    static boolean isInfoForbidden(String message) {
        return message.startsWith("NOPERM");
    }
}
