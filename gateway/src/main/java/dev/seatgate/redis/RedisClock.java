package dev.seatgate.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * Redis' clock, as seen from the gateway (invariant 2: Redis' {@code TIME} is the only clock).
 *
 * <p>{@link #now()} asks Redis. {@link #estimateMillis()} costs nothing: it is the local clock corrected by
 * the skew measured at the last {@link #sync()}, good to a few milliseconds. The estimate is only used
 * where a few milliseconds do not matter, such as the deadline a claim carries so that Redis refuses it if
 * it arrives after the caller has given up; every lease, activation and cycle is judged inside a script.
 *
 * <p>On a Redis Cluster every master has a clock of its own, and a script is judged by the clock of the master
 * that runs it: the skew is measured for each master, and {@link #estimateMillis(String)} uses that of the
 * master serving a key (a skew between masters would otherwise shift every deadline of a tenant by as much).
 *
 * <p>Both include the configured clock offset, which scripts add to {@code TIME} as well.
 */
public final class RedisClock {

    private final RedisConnector redis;
    private final long offsetMillis;
    /** By master address ("" for a single Redis); replaced whole at every sync. */
    private volatile Map<String, Long> skewMillis = Map.of();

    public RedisClock(RedisConnector redis, Duration clockOffset) {
        this.redis = redis;
        this.offsetMillis = clockOffset.toMillis();
    }

    /** Redis' {@code TIME} plus the clock offset, to the millisecond. */
    public CompletionStage<Instant> now() {
        return redis.commands().time().thenApply(time -> Instant.ofEpochMilli(toMillis(time) + offsetMillis));
    }

    /** Measures how far the local clock is from every master's (half the round trip is the error bound). */
    public CompletionStage<Void> sync() {
        long sentAt = System.currentTimeMillis();
        return redis.askEveryMaster(master -> master.time()).thenAccept(times -> {
            long receivedAt = System.currentTimeMillis();
            var skews = new HashMap<>(skewMillis); // a master that did not answer keeps its last measurement
            times.forEach((master, time) -> skews.put(master, toMillis(time) - (sentAt + receivedAt) / 2));
            skewMillis = Map.copyOf(skews);
        });
    }

    /** Redis' time plus the clock offset, estimated without a round trip (on a cluster: any one master's). */
    public long estimateMillis() {
        return System.currentTimeMillis() + skewMillis.values().stream().findFirst().orElse(0L) + offsetMillis;
    }

    /** The time of the master that serves {@code key}, plus the clock offset, estimated without a round trip. */
    public long estimateMillis(String key) {
        Map<String, Long> skews = skewMillis;
        Long skew = skews.get(redis.masterOf(key));
        return skew == null ? estimateMillis() : System.currentTimeMillis() + skew + offsetMillis;
    }

    /** The skew last measured for each master ("" for a single Redis), in milliseconds: for tests and logs. */
    public Map<String, Long> skews() {
        return skewMillis;
    }

    private static long toMillis(List<String> time) {
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }
}
