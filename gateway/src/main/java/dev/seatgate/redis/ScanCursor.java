package dev.seatgate.redis;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a paged list of a tenant's hash stands: Redis' {@code HSCAN} cursor, and how many entries of the batch
 * that cursor returns were handed out already (a batch may hold more than a page). Clients see it as an opaque
 * string ({@link #text()}); each page costs Redis a bounded time however large the hash, and a list read
 * while it changes may show an entry twice or miss one added meanwhile, as {@code HSCAN} does.
 */
public record ScanCursor(String scan, int offset) {

    /** The first page. */
    public static final ScanCursor START = new ScanCursor("0", 0);

    private static final Pattern TEXT = Pattern.compile("(\\d{1,20})\\.(\\d{1,4})");

    /** The cursor a client sent back, or empty when it is not one this API gave. */
    public static Optional<ScanCursor> parse(String text) {
        Matcher matcher = TEXT.matcher(text);
        return matcher.matches() ? Optional.of(new ScanCursor(matcher.group(1), Integer.parseInt(matcher.group(2))))
                : Optional.empty();
    }

    public String text() {
        return scan + "." + offset;
    }
}
