package dev.seatgate.line;

import dev.seatgate.seats.LoginOutcome;
import java.time.Instant;

/** How a ticket stands, as a wait on it learns (queue_wait.lua). */
public sealed interface TicketState {

    /** In line: {@code position} of {@code waiting} for its type; it leaves unless waited on again before {@code pollBefore}. */
    record Waiting(long position, long waiting, Instant pollBefore) implements TicketState {
    }

    /**
     * A seat was handed to the ticket, and this wait collected the session: the login answer. {@code since} is when the
     * agent joined the line, {@code admittedAt} when the seat was handed over.
     */
    record Admitted(String agentId, String licenseType, LoginOutcome.Admitted login, Instant since, Instant admittedAt)
            implements TicketState {
    }

    /** The ticket left the line: {@code reason} is expired, cancelled, revoked or admitted (answered before). */
    record Gone(String reason) implements TicketState {
    }

    /** Never issued, forgotten, or not the ticket's secret. */
    record Unknown() implements TicketState {
    }
}
