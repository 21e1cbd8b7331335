package dev.seatgate.redis;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Redis' clock, as seen from the gateway (invariant 2: Redis' {@code TIME} is the only clock).
 *
 * <p>{@link #now()} asks Redis. {@link #estimateMillis()} costs nothing: it is the local clock corrected by
 * the skew measured at the last {@link #sync()}, good to a few milliseconds. The estimate is only used
 * where a few milliseconds do not matter, such as the deadline a claim carries so that Redis refuses it if
 * it arrives after the caller has given up; every lease, activation and cycle is judged inside a script.
 *
 * <p>Both include the configured clock offset, which scripts add to {@code TIME} as well.
 */
public final class RedisClock {

    private final RedisConnector redis;
    private final long offsetMillis;
    private volatile long skewMillis;

    public RedisClock(RedisConnector redis, Duration clockOffset) {
        this.redis = redis;
        this.offsetMillis = clockOffset.toMillis();
    }

    /** Redis' {@code TIME} plus the clock offset, to the millisecond. */
    public CompletionStage<Instant> now() {
        return redis.commands().time().thenApply(time -> Instant.ofEpochMilli(toMillis(time) + offsetMillis));
    }

    /** Measures how far the local clock is from Redis' (half the round trip is the error bound). */
    public CompletionStage<Void> sync() {
        long sentAt = System.currentTimeMillis();
        return redis.commands().time().thenAccept(time -> {
            long receivedAt = System.currentTimeMillis();
            skewMillis = toMillis(time) - (sentAt + receivedAt) / 2;
        });
    }

    /** Redis' time plus the clock offset, estimated without a round trip. */
    public long estimateMillis() {
        return System.currentTimeMillis() + skewMillis + offsetMillis;
    }

    private static long toMillis(List<String> time) {
        return Long.parseLong(time.get(0)) * 1000 + Long.parseLong(time.get(1)) / 1000;
    }
}
