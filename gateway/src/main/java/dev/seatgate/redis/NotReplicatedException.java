package dev.seatgate.redis;

/**
 * A write that Redis recorded but fewer replicas than required confirmed in time (see
 * {@link ReplicatedWrites}). Answered 503; the message tells the client to retry with the same key.
 */
public final class NotReplicatedException extends RuntimeException {
    public NotReplicatedException(String message) {
        super(message, null, false, false);
    }
}
