package dev.seatgate.redis;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a paged list of a tenant's hash stands: Redis' {@code HSCAN} cursor, and the last field handed out of
 * the batch that cursor returns (a batch may hold more than a page; the next page takes the batch's fields that
 * sort after it). Clients see it as an opaque string ({@link #text()}). Each page costs Redis a bounded time
 * however large the hash; as with {@code HSCAN}, a list read while it changes may show an entry twice (when the
 * hash is resized) or miss one added meanwhile, and never misses one present throughout.
 */
public record PageCursor(String scan, String after) {

    /** The first page. */
    public static final PageCursor START = new PageCursor("0", "");

    /** An unsigned 64-bit HSCAN cursor (Redis refuses a larger one), and a field: an identifier or nothing. */
    private static final Pattern TEXT = Pattern.compile("(\\d{1,20})\\.([A-Za-z0-9_-]{0,64})");

    /** The cursor a client sent back, or empty when it is not one this API gave. */
    public static Optional<PageCursor> parse(String text) {
        Matcher matcher = TEXT.matcher(text);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            Long.parseUnsignedLong(matcher.group(1));
        } catch (NumberFormatException beyondSixtyFourBits) {
            return Optional.empty();
        }
        return Optional.of(new PageCursor(matcher.group(1), matcher.group(2)));
    }

    public String text() {
        return scan + "." + after;
    }
}
