package dev.seatgate.redis;

/**
 * Redis could not answer in time, or is not connected. Requests that meet it are answered {@code 503}
 * and, because every claim is one script that either ran or did not, nothing was claimed for them.
 */
public final class RedisUnavailableException extends RuntimeException {
    public RedisUnavailableException(String message) {
        super(message, null, false, false);
    }
}
