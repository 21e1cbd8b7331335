package dev.seatgate.seats;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a login answer tells an agent of a tenant that is past due (API.md "Account standing"): {@code status} is
 * always {@code past_due}; {@code suspendAt} is when the account will be suspended, or null when no date is set.
 */
public record AccountNotice(String status, Instant suspendAt) {

    /** The status a notice is given for. */
    public static final String PAST_DUE = "past_due";

    /**
     * The notice a script appended to its reply at {@code from} ({@code 'past_due', suspendAt ms or -1}; the
     * standing.lua helper {@code account_notice}), or empty when it appended none (the tenant is not past due).
     */
    public static Optional<AccountNotice> fromReply(List<Object> reply, int from) {
        if (reply.size() <= from || !PAST_DUE.equals(reply.get(from))) {
            return Optional.empty();
        }
        long suspendAt = (Long) reply.get(from + 1);
        return Optional.of(new AccountNotice(PAST_DUE, suspendAt < 0 ? null : Instant.ofEpochMilli(suspendAt)));
    }
}
