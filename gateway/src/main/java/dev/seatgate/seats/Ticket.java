package dev.seatgate.seats;

import dev.seatgate.Crypto;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A place in the waiting line (API.md "The waiting line"), as its holder keeps it: {@code <tenant>.<ticketId>.<secret>},
 * opaque to clients, shaped like a {@link SessionToken} and kept the same way: the gateway finds the ticket's keys by
 * the tenant and id, and checks the secret (256 random bits) against the SHA-256 stored with the ticket. Redis never
 * holds a usable ticket.
 */
public record Ticket(String tenant, String ticketId, String secret) {

    private static final Pattern FORMAT =
            Pattern.compile("([A-Za-z0-9_-]{1,64})\\.([A-Za-z0-9_-]{22})\\.([A-Za-z0-9_-]{43})");

    /** A new ticket of a tenant: a 128-bit random id and a 256-bit random secret. */
    public static Ticket issue(String tenant) {
        return new Ticket(tenant, Crypto.randomId(16), Crypto.randomId(32));
    }

    /** The ticket from an {@code Authorization: Bearer} value, if it has the shape of one. */
    public static Optional<Ticket> parse(String text) {
        var matcher = FORMAT.matcher(text);
        return matcher.matches() ? Optional.of(new Ticket(matcher.group(1), matcher.group(2), matcher.group(3)))
                : Optional.empty();
    }

    /** The same place in line under another id: a ticket the agent already had, with this secret. */
    public Ticket withId(String id) {
        return new Ticket(tenant, id, secret);
    }

    /** What the client is given, and sends back as {@code Authorization: Bearer ...}. */
    public String encoded() {
        return tenant + "." + ticketId + "." + secret;
    }

    /** The hex SHA-256 of the secret, which is all Redis stores. */
    public String secretHash() {
        return Crypto.sha256Hex(secret);
    }

    @Override
    public String toString() {
        return "Ticket[" + tenant + "/" + ticketId + "]"; // never the secret
    }
}
