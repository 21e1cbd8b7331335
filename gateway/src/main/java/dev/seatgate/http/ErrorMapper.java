package dev.seatgate.http;

import com.fasterxml.jackson.core.JacksonException;
import dev.seatgate.agents.HashingOverloadedException;
import dev.seatgate.metrics.GatewayMetrics;
import dev.seatgate.redis.NotReplicatedException;
import dev.seatgate.redis.RedisUnavailableException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a failure becomes an HTTP answer. API errors carry their own code; Redis being
 * unreachable, slow, loading or read-only, and a full hashing pool, are 503 with {@code Retry-After}
 * (the client may retry; a login that failed this way claimed nothing); anything else is a bug, logged
 * with its stack trace and answered 500 without details.
 */
final class ErrorMapper {

    private static final Logger log = LoggerFactory.getLogger(ErrorMapper.class);
    /** Seconds a client should wait before retrying a 503. */
    private static final String RETRY_AFTER_SECONDS = "1";

    private final GatewayMetrics metrics;

    ErrorMapper(GatewayMetrics metrics) {
        this.metrics = metrics;
    }

    ApiResponse toResponse(Throwable failure) {
        Throwable cause = unwrap(failure);
        if (cause instanceof ApiException api) {
            Map<String, String> headers = api.code() == ErrorCode.UNAVAILABLE && api.headers().isEmpty()
                    ? Map.of("Retry-After", RETRY_AFTER_SECONDS) : api.headers();
            return ApiResponse.error(api.code(), api.getMessage(), api.details(), headers);
        }
        if (cause instanceof NotReplicatedException notReplicated) {
            metrics.redisError("not_replicated");
            return unavailable(notReplicated.getMessage());
        }
        if (cause instanceof RedisCommandExecutionException full && String.valueOf(full.getMessage()).startsWith("OOM")) {
            // At maxmemory (noeviction), Redis refuses the scripts that may need memory before they run.
            metrics.redisError("out_of_memory");
            return unavailable("Redis is out of memory; nothing was changed; try again shortly");
        }
        if (cause instanceof RedisUnavailableException || isRedisOutage(cause)) {
            log.debug("Redis unavailable: {}", cause.getMessage());
            metrics.redisError(cause instanceof RedisCommandTimeoutException ? "timeout"
                    : cause instanceof RedisCommandExecutionException ? "server" : "connection");
            return unavailable("Redis is unreachable or too slow; try again shortly");
        }
        if (cause instanceof HashingOverloadedException overloaded) {
            long seconds = Math.max(1, (overloaded.retryAfter().toMillis() + 999) / 1000);
            return ApiResponse.error(ErrorCode.UNAVAILABLE, "too many passwords to hash right now; try again in "
                    + seconds + " s", Map.of("reason", "overloaded", "retryAfterSeconds", seconds),
                    Map.of("Retry-After", Long.toString(seconds)));
        }
        if (cause instanceof RejectedExecutionException) {
            return unavailable("the gateway is overloaded; try again shortly");
        }
        log.error("request failed unexpectedly", cause);
        return ApiResponse.error(ErrorCode.INTERNAL, "internal error", Map.of(), Map.of());
    }

    static ApiResponse unavailable(String message) {
        return ApiResponse.error(ErrorCode.UNAVAILABLE, message, Map.of(),
                Map.of("Retry-After", RETRY_AFTER_SECONDS));
    }

    /**
     * Timeouts, lost connections and server states such as LOADING, BUSY, READONLY or CLUSTERDOWN are
     * outages; an error reply starting with ERR or WRONGTYPE is a bug in a script or a command. Commands in
     * flight when Redis dies fail with the socket's own error (connection reset), not a Lettuce one.
     */
    private static boolean isRedisOutage(Throwable cause) {
        if (cause instanceof RedisCommandExecutionException execution) {
            String message = String.valueOf(execution.getMessage());
            return !(message.startsWith("ERR") || message.startsWith("WRONGTYPE"));
        }
        return cause instanceof RedisException || cause instanceof IOException && !(cause instanceof JacksonException);
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
