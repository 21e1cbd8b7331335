package dev.seatgate.redis;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Runs {@link LuaScript}s by {@code EVALSHA}, loading a script with {@code SCRIPT LOAD} and retrying once
 * when Redis answers {@code NOSCRIPT} (after a restart, a failover, or a {@code SCRIPT FLUSH}).
 *
 * <p>Every script takes the clock offset in milliseconds as {@code ARGV[1]} ({@code lib.lua} adds it to
 * {@code TIME}); callers pass only the arguments after it.
 */
public final class ScriptRunner {

    private final RedisConnector redis;
    private final String clockOffsetMillis;
    private final Runnable onLoad;

    public ScriptRunner(RedisConnector redis, Duration clockOffset) {
        this(redis, clockOffset, () -> { });
    }

    /** @param onLoad called for every script loaded into Redis (a metric of script reloads) */
    public ScriptRunner(RedisConnector redis, Duration clockOffset, Runnable onLoad) {
        this.redis = redis;
        this.clockOffsetMillis = Long.toString(clockOffset.toMillis());
        this.onLoad = onLoad;
    }

    /**
     * Runs a script whose reply is an array (every seatgate script answers {@code {status, ...}}).
     * Integers come back as {@link Long}, strings as {@link String}, nested arrays as {@link List}.
     * Never throws: when Redis cannot be asked at all (not connected yet, or refused), the stage fails with
     * {@link RedisUnavailableException} like any other failure.
     */
    public CompletionStage<List<Object>> run(LuaScript script, String[] keys, String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = clockOffsetMillis;
        System.arraycopy(args, 0, argv, 1, args.length);
        CompletionStage<List<Object>> first;
        try {
            first = evalsha(script, keys, argv);
        } catch (RedisUnavailableException notConnected) {
            return CompletableFuture.failedStage(notConnected);
        }
        return first.exceptionallyCompose(failure -> {
            if (unwrap(failure) instanceof RedisNoScriptException) {
                return load(script).thenCompose(sha -> evalsha(script, keys, argv));
            }
            return CompletableFuture.failedStage(failure);
        });
    }

    /** Loads every script (at start, and from the readiness check after Redis lost them). */
    public CompletionStage<Void> loadAll(Collection<LuaScript> scripts) {
        return CompletableFuture.allOf(scripts.stream()
                .map(script -> load(script).toCompletableFuture())
                .toArray(CompletableFuture[]::new));
    }

    /** Whether Redis holds every one of these scripts right now. */
    public CompletionStage<Boolean> allLoaded(Collection<LuaScript> scripts) {
        String[] shas = scripts.stream().map(LuaScript::sha).toArray(String[]::new);
        return redis.commands().scriptExists(shas).thenApply(loaded -> !loaded.contains(Boolean.FALSE));
    }

    private CompletionStage<String> load(LuaScript script) {
        return redis.commands().scriptLoad(script.source()).thenApply(sha -> {
            onLoad.run();
            return sha;
        });
    }

    private CompletionStage<List<Object>> evalsha(LuaScript script, String[] keys, String[] argv) {
        return redis.commands().<List<Object>>evalsha(script.sha(), ScriptOutputType.MULTI, keys, argv);
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
