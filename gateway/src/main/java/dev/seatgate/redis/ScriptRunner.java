package dev.seatgate.redis;

import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScriptOutputType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

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
    private final AtomicReference<CompletableFuture<Void>> loading = new AtomicReference<>();

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
            if (!functionMissing(unwrap(failure))) {
                return CompletableFuture.failedStage(failure);
            }
            return load().thenCompose(loaded -> fcall(script, keys, argv)).exceptionallyCompose(again ->
                    CompletableFuture.failedStage(functionMissing(unwrap(again))
                            ? new RedisUnavailableException("Redis does not hold the script library "
                                    + library.name() + " and could not be given it")
                            : again));
        });
    }

    /**
     * Loads the library (at start, from the readiness check, and for a call that found Redis without it). Every caller
     * meanwhile shares the load in progress: after a Redis restart every call in flight misses the library, and each
     * load makes Redis compile it (~1.5 ms of Redis here). Fails as {@code FUNCTION LOAD} did: with {@code OOM} while
     * Redis is over {@code maxmemory} (which, unlike {@code SCRIPT LOAD}, it refuses).
     */
    public CompletionStage<Void> load() {
        CompletableFuture<Void> current = new CompletableFuture<>();
        CompletableFuture<Void> running = loading.compareAndExchange(null, current);
        if (running != null) {
            return running;
        }
        CompletionStage<Void> load;
        try {
            load = redis.askEveryMaster(master -> loaded(master.functionLoad(library.source())))
                    .thenApply(masters -> null);
        } catch (RuntimeException notConnected) {
            load = CompletableFuture.failedStage(notConnected);
        }
        load.whenComplete((done, failure) -> {
            loading.set(null);
            if (failure == null) {
                onLoad.run();
                current.complete(null);
            } else {
                current.completeExceptionally(failure);
            }
        });
        return current;
    }

    /** Whether Redis (every master of a cluster that answers) holds the library right now. */
    public CompletionStage<Boolean> loaded() {
        return redis.askEveryMaster(master -> master.functionList(library.name()))
                .thenApply(answers -> answers.values().stream().noneMatch(List::isEmpty));
    }

    /**
     * A master's {@code FUNCTION LOAD}, as loaded ({@code true}) also when it holds a library of that name already: the
     * name is the digest of the source. (A function is called where its keys' slot is served; a master that was down
     * is given the library when a call first misses it there.)
     */
    private static CompletionStage<Boolean> loaded(CompletionStage<String> load) {
        return load.handle((name, failure) -> {
            Throwable cause = unwrap(failure);
            if (cause == null || String.valueOf(cause.getMessage()).contains("already exists")) {
                return true;
            }
            throw new CompletionException(cause);
        });
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
