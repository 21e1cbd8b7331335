package dev.seatgate.redis;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** One page of a list, and where the next one starts (empty on the last page). */
public record Page<T>(List<T> items, Optional<ScanCursor> next) {

    public <R> Page<R> map(Function<T, R> mapper) {
        return new Page<>(items.stream().map(mapper).toList(), next);
    }

    /** The next page's cursor as the client sends it back, or null on the last page. */
    public String nextCursor() {
        return next.map(ScanCursor::text).orElse(null);
    }

    /** Reads the cursor a script returned: its text, or '' after the last page. */
    public static Optional<ScanCursor> nextFrom(String reply) {
        return reply.isEmpty() ? Optional.empty() : ScanCursor.parse(reply);
    }
}
