package dev.seatgate.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * Runs {@link LuaScript}s by {@code FCALL}, loading the {@link ScriptLibrary} ({@code FUNCTION LOAD}) and retrying once
 * when Redis does not know the function (a Redis that was never given it, or lost it: a restart without persistence,
 * a {@code FUNCTION FLUSH}).
 *
 * <p>Every script takes the clock offset in milliseconds as {@code ARGV[1]} ({@code lib.lua} adds it to
 * {@code TIME}); callers pass only the arguments after it.
 */
public final class ScriptRunner {

    private final RedisConnector redis;
    private final ScriptLibrary library;
    private final String clockOffsetMillis;
    private final Runnable onLoad;

    public ScriptRunner(RedisConnector redis, Duration clockOffset) {
        this(redis, clockOffset, () -> { });
    }

    /** @param onLoad called for every load of the library into Redis (a metric of reloads) */
    public ScriptRunner(RedisConnector redis, Duration clockOffset, Runnable onLoad) {
        this.redis = redis;
        this.library = ScriptLibrary.SEATGATE;
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
            first = fcall(script, keys, argv);
        } catch (RedisUnavailableException notConnected) {
            return CompletableFuture.failedStage(notConnected);
        }
        return first.exceptionallyCompose(failure -> {
            if (functionMissing(unwrap(failure))) {
                return load().thenCompose(loaded -> fcall(script, keys, argv));
            }
            return CompletableFuture.failedStage(failure);
        });
    }

    /** Loads the library (at start, and from the readiness check after Redis lost it). */
    public CompletionStage<Void> load() {
        return redis.loadFunctions(library.source()).thenRun(onLoad);
    }

    /** Whether Redis (every master of a cluster) holds the library right now. */
    public CompletionStage<Boolean> loaded() {
        return redis.holdFunctions(library.name());
    }

    private CompletionStage<List<Object>> fcall(LuaScript script, String[] keys, String[] argv) {
        return redis.commands().<List<Object>>fcall(script.function(), ScriptOutputType.MULTI, keys, argv);
    }

    /** Redis' answer to an FCALL of a function it does not have: "ERR Function not found". */
    private static boolean functionMissing(Throwable failure) {
        return failure instanceof RedisCommandExecutionException && failure.getMessage() != null
                && failure.getMessage().contains("Function not found");
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }
}
