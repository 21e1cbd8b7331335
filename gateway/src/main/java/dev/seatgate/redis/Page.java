package dev.seatgate.redis;

import java.util.List;
import java.util.Optional;

/** One page of a list, and where the next one starts (empty on the last page). */
public record Page<T>(List<T> items, Optional<PageCursor> next) {

    /** The next page's cursor as the client sends it back, or null on the last page. */
    public String nextCursor() {
        return next.map(PageCursor::text).orElse(null);
    }

    /** Reads the cursor a script returned: its text, or '' after the last page. */
    public static Optional<PageCursor> nextFrom(String reply) {
        return reply.isEmpty() ? Optional.empty() : PageCursor.parse(reply);
    }
}
