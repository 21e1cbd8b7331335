package dev.seatgate.seats;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a login came to, decided by {@link Admission} whatever the transport. HTTP and WebSocket translate an
 * outcome into their answer; neither decides anything. Each outcome names itself ({@link #kind()}), and
 * {@link Kind} is the one list of those names that metrics, the event log and the error mapping read.
 */
public sealed interface LoginOutcome {

    /** This outcome's name. */
    Kind kind();

    /**
     * Every way a login can end. The last three are not decided by admission: the request was malformed,
     * Redis failed us, or a bug; they are listed here so that every login is counted under one of these.
     */
    enum Kind {
        ADMITTED, QUEUED, SEATS_EXHAUSTED, CAMPAIGN_FULL, QUEUE_FULL, ALREADY_LOGGED_IN, CAMPAIGN_NOT_PERMITTED,
        INVALID_CREDENTIALS, DISABLED, NOT_PERMITTED, LOCKED, OVERLOADED, ACCOUNT_SUSPENDED, INVALID_REQUEST,
        UNAVAILABLE, ERROR;

        /** The {@code outcome} label of {@code seatgate_logins_total} and the event log's word. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Every label, for registering the counters up front. */
        public static List<String> labels() {
            return Arrays.stream(values()).map(Kind::label).toList();
        }
    }

    /**
     * The agent holds a seat under a new session.
     *
     * @param resumeToken the token to log in with again without the password: new for a password login, the
     *                    same one for a login that brought it
     * @param campaign      the campaign the session works in, if any
     * @param accountNotice present while the tenant is past due
     */
    record Admitted(SessionToken session, Instant leaseExpiresAt, Optional<String> replacedSessionId,
                    ResumeToken resumeToken, Instant resumeTokenExpiresAt, Optional<String> campaign,
                    Optional<AccountNotice> accountNotice)
            implements LoginOutcome, ClaimResult {
        @Override
        public Kind kind() {
            return Kind.ADMITTED;
        }
    }

    /**
     * No seat was free for this login, which asked to wait: the agent is in line with {@code ticket} (its ticket for
     * the type if it had one, with a new secret), at {@code position} of {@code waiting}.
     */
    record Queued(Ticket ticket, long position, long waiting, Instant pollBefore) implements LoginOutcome, ClaimResult {
        @Override
        public Kind kind() {
            return Kind.QUEUED;
        }
    }

    /**
     * Every active seat of the type is held, kept for the {@code waiting} tickets in line, or reserved for other
     * campaigns ({@code reservedForOthers}: their reservations not met yet).
     */
    record SeatsExhausted(long active, long inUse, Optional<Instant> nextActivationAt, long waiting,
                          long reservedForOthers) implements LoginOutcome, ClaimResult {
        @Override
        public Kind kind() {
            return Kind.SEATS_EXHAUSTED;
        }
    }

    /** The campaign holds {@code max} sessions of the type already. */
    record CampaignFull(String campaign, long max, long inUse) implements LoginOutcome, ClaimResult {
        @Override
        public Kind kind() {
            return Kind.CAMPAIGN_FULL;
        }
    }

    /** The agent may not work in the campaign. */
    record CampaignNotPermitted() implements LoginOutcome, ClaimResult {
        @Override
        public Kind kind() {
            return Kind.CAMPAIGN_NOT_PERMITTED;
        }
    }

    /** The tenant has no such campaign: a malformed request (400). */
    record UnknownCampaign() implements LoginOutcome, ClaimResult {
        @Override
        public Kind kind() {
            return Kind.INVALID_REQUEST;
        }
    }

    /** No seat is free, and the line for the type holds {@code limit} tickets already. */
    record QueueFull(long limit) implements LoginOutcome, ClaimResult {
        @Override
        public Kind kind() {
            return Kind.QUEUE_FULL;
        }
    }

    /** The agent holds a live session and the second-login policy is reject. */
    record AlreadyLoggedIn(String sessionId) implements LoginOutcome, ClaimResult {
        @Override
        public Kind kind() {
            return Kind.ALREADY_LOGGED_IN;
        }
    }

    /** Unknown tenant, unknown agent or a wrong password: one answer for all three. */
    record InvalidCredentials() implements LoginOutcome {
        @Override
        public Kind kind() {
            return Kind.INVALID_CREDENTIALS;
        }
    }

    /** The agent exists but is disabled. */
    record Disabled() implements LoginOutcome, ClaimResult {
        @Override
        public Kind kind() {
            return Kind.DISABLED;
        }
    }

    /** The agent may not use this license type. */
    record NotPermitted() implements LoginOutcome, ClaimResult {
        @Override
        public Kind kind() {
            return Kind.NOT_PERMITTED;
        }
    }

    /** Too many failed logins of this agent or from this address; try again after {@code retryAfter}. */
    record Locked(Duration retryAfter) implements LoginOutcome, ClaimResult {
        @Override
        public Kind kind() {
            return Kind.LOCKED;
        }
    }

    /** The tenant's account is suspended (API.md "Account standing"): no new logins, queued or not. */
    record AccountSuspended() implements LoginOutcome, ClaimResult {
        @Override
        public Kind kind() {
            return Kind.ACCOUNT_SUSPENDED;
        }
    }

    /** The password cannot be checked in time: the hashing threads are booked; {@code retryAfter} is when they can. */
    record Overloaded(Duration retryAfter) implements LoginOutcome {
        @Override
        public Kind kind() {
            return Kind.OVERLOADED;
        }
    }
}
