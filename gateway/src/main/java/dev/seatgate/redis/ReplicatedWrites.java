package dev.seatgate.redis;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Runs the scripts that record money (purchases and removals) and, with {@code SEATGATE_PURCHASE_REPLICAS}
 * above zero, acknowledges them only once that many replicas hold them ({@code WAIT}). Redis replicates
 * asynchronously: without this, a failover right after a {@code 201} could promote a replica that never
 * saw the purchase. When the replicas do not confirm within the Redis timeout the request fails with 503;
 * the purchase is recorded on the master all the same, and a retry with the same Idempotency-Key returns
 * it (200, charged once) once it is replicated.
 *
 * <p>WAIT holds the connection it is sent on until the replicas answer, so these writes use a Redis
 * connection of their own: logins on the shared one never queue behind a WAIT.
 */
public final class ReplicatedWrites implements AutoCloseable {

    private final int replicas;
    private final Duration timeout;
    private final RedisConnector redis;
    private final ScriptRunner scripts;

    private ReplicatedWrites(int replicas, Duration timeout, RedisConnector redis, ScriptRunner scripts) {
        this.replicas = replicas;
        this.timeout = timeout;
        this.redis = redis;
        this.scripts = scripts;
    }

    /** Acknowledged once the master has them (no WAIT), on the shared connection. */
    public static ReplicatedWrites masterOnly(ScriptRunner shared) {
        return new ReplicatedWrites(0, Duration.ZERO, null, shared);
    }

    /**
     * Acknowledged once {@code replicas} replicas have them, on a connection of their own to {@code uri}.
     * WAIT waits for at most three quarters of {@code redisTimeout}, so that its answer arrives before the
     * command itself times out.
     */
    public static ReplicatedWrites waitingFor(int replicas, String uri, Duration redisTimeout, Duration clockOffset,
                                              Runnable onScriptLoad) {
        var connector = RedisConnector.start(uri, redisTimeout);
        return new ReplicatedWrites(replicas, redisTimeout.multipliedBy(3).dividedBy(4), connector,
                new ScriptRunner(connector, clockOffset, onScriptLoad));
    }

    /** Runs the script (its first key names the slot) and, when configured, waits for the replicas. */
    public CompletionStage<List<Object>> run(LuaScript script, String[] keys, String... args) {
        CompletionStage<List<Object>> ran = scripts.run(script, keys, args);
        if (replicas == 0) {
            return ran;
        }
        return ran.thenCompose(reply -> redis.waitForReplicas(keys[0], replicas, timeout).thenApply(acknowledged -> {
            if (acknowledged < replicas) {
                throw new NotReplicatedException("recorded, but only " + acknowledged + " of " + replicas
                        + " Redis replicas confirmed it within " + timeout.toMillis() + " ms; retry with the same"
                        + " Idempotency-Key");
            }
            return reply;
        }));
    }

    @Override
    public void close() {
        if (redis != null) {
            redis.close();
        }
    }
}
