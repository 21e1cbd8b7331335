package dev.seatgate.redis;

import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
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
 *   <li>leave to publish on seatgate's channels ({@code sg:credentials}, {@code sg:live:*}): the scripts that change
 *       agents and end live sessions publish from inside, and a script refused its {@code PUBLISH} fails whole. An
 *       ACL user has no channels unless given them ({@code &sg:*}); one {@code PUBLISH} on a channel nobody
 *       hears tells.</li>
 * </ul>
 *
 * On a cluster every master that answers is judged. The credentials are judged too: a Redis that refuses them
 * is as unusable, and says so in one line.
 */
final class RedisPreflight {

    private static final Pattern VERSION = Pattern.compile("(?m)^redis_version:(\\d+)\\.(\\d+)");
    private static final Pattern POLICY = Pattern.compile("(?m)^maxmemory_policy:(\\S+)");
    private static final int MIN_MAJOR_VERSION = 7;
    private static final String SAFE_POLICY = "noeviction";
    /** A channel of seatgate's that nobody subscribes to: publishing on it is a harmless test of the ACL. */
    private static final String PROBE_CHANNEL = "sg:live:preflight";

    private RedisPreflight() {
    }

    /** What a check of a Redis found. */
    sealed interface Verdict {
        /** Fit for seatgate; with a warning when it could not be judged whole. */
        record Fit(Optional<String> warning) implements Verdict {
        }

        /** Not to be used: the problem, in one line. */
        record Unfit(String problem) implements Verdict {
        }

        /** No answer (Redis coming up, or the connection dropped): nothing to judge now. */
        record Unanswered() implements Verdict {
        }
    }

    /** Asks the Redis (every master of a cluster that answers) for its INFO, and judges it; then its channels. */
    static CompletableFuture<Verdict> judge(StatefulConnection<String, String> established, String description) {
        return judgeInfo(established, description).thenCompose(verdict -> !(verdict instanceof Verdict.Fit)
                ? CompletableFuture.completedFuture(verdict)
                : channelsRefused(established, description)
                        .thenApply(refused -> refused.<Verdict>map(Verdict.Unfit::new).orElse(verdict)));
    }

    private static CompletableFuture<Verdict> judgeInfo(StatefulConnection<String, String> established,
                                                        String description) {
        return infos(established).handle((infos, failure) -> {
            if (failure == null) {
                return problem(description, infos).<Verdict>map(Verdict.Unfit::new)
                        .orElseGet(() -> new Verdict.Fit(Optional.empty()));
            }
            String reason = rootMessage(failure);
            if (isInfoForbidden(reason)) {
                return new Verdict.Fit(Optional.of("Redis at " + description + " does not let this user run INFO ("
                        + reason + "): its maxmemory-policy cannot be checked; make sure it is noeviction"));
            }
            if (isAuthenticationFailure(reason)) {
                return new Verdict.Unfit("Redis at " + description + " refused the credentials of SEATGATE_REDIS_URI ("
                        + reason + ")");
            }
            return new Verdict.Unanswered();
        });
    }

    /** Why the URI's user may not publish on seatgate's channels, if it may not. */
    @SuppressWarnings("unchecked")
    private static CompletableFuture<Optional<String>> channelsRefused(StatefulConnection<String, String> established,
                                                                       String description) {
        CompletableFuture<Long> published = (established instanceof StatefulRedisClusterConnection<String, String> cluster
                ? cluster.async().publish(PROBE_CHANNEL, "")
                : ((StatefulRedisConnection<String, String>) established).async().publish(PROBE_CHANNEL, ""))
                .toCompletableFuture();
        return published.handle((receivers, failure) -> {
            String reason = failure == null ? "" : rootMessage(failure);
            return reason.startsWith("NOPERM") ? Optional.of("Redis at " + description + " does not let this user"
                    + " publish on seatgate's channels (" + reason + "): the scripts that change agents and end live"
                    + " sessions publish on sg:credentials and sg:live:*; allow them with &sg:* in its ACL rule")
                    : Optional.<String>empty();
        });
    }

    /** INFO of the Redis, or of every master of a cluster that answers (ClusterMasters.askEvery). */
    private static CompletableFuture<List<String>> infos(StatefulConnection<String, String> established) {
        if (established instanceof StatefulRedisClusterConnection<String, String> cluster) {
            return ClusterMasters.askEvery(cluster, master -> master.async().info().toCompletableFuture())
                    .thenApply(byMaster -> List.copyOf(byMaster.values()));
        }
        return ((StatefulRedisConnection<String, String>) established).async().info().toCompletableFuture()
                .thenApply(List::of);
    }

    /** The message of the innermost cause: what Redis or the socket said. */
    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
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
