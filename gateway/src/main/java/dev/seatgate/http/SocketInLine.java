package dev.seatgate.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seatgate.line.LineWaits;
import dev.seatgate.line.TicketState;
import dev.seatgate.seats.Ticket;

/**
 * A live socket's place in the waiting line (API.md "Live sessions"): from a login over the socket that had to wait
 * ({@code queued}), through the pushes of its position, until a seat is handed over ({@code admitted}: the socket holds
 * that session from then on) or the ticket leaves the line (an {@code error} 410; the socket stays open for another
 * login). Its state is touched on the socket's event loop only; {@link LineWaits} calls in from other threads, and
 * each call hops onto the loop.
 */
final class SocketInLine implements LineWaits.Listener {

    private final LiveSocketHandler socket;
    private final LineWaits lineWaits;
    private final QueueApi queue;
    /** The ticket the socket waits with, or null. */
    private Ticket ticket;

    SocketInLine(LiveSocketHandler socket, LineWaits lineWaits, QueueApi queue) {
        this.socket = socket;
        this.lineWaits = lineWaits;
        this.queue = queue;
    }

    boolean waiting() {
        return ticket != null;
    }

    /** The socket's login was queued: the client hears so, and the socket waits on the ticket from now on. */
    void join(ApiResponse accepted) {
        ObjectNode message = LiveMessages.queued(accepted);
        ticket = Ticket.parse(message.path("ticket").asText()).orElseThrow();
        socket.send(message);
        lineWaits.hold(ticket, message.path("position").asLong(), this);
    }

    @Override
    public void position(long position, long waiting) {
        socket.onLoop(() -> {
            if (ticket != null) {
                socket.send(LiveMessages.position(position, waiting));
            }
        });
    }

    @Override
    public void admitted(TicketState.Admitted admitted) {
        socket.onLoop(() -> {
            Ticket held = ticket;
            ticket = null;
            if (held != null && socket.isOpen()) { // a closed socket's session lapses one lease TTL after the hand-over
                socket.holdAdmitted(queue.answer(held, admitted));
            }
        });
    }

    @Override
    public void gone(String reason) {
        socket.onLoop(() -> {
            ticket = null;
            socket.send(socket.errorMessage(QueueApi.notWaiting(new TicketState.Gone(reason))));
        });
    }

    @Override
    public boolean isOpen() {
        return socket.isOpen();
    }

    /** The client logged out while in line: its ticket leaves the line, then {@code then} runs on the loop. */
    void leave(Runnable then) {
        Ticket leaving = ticket;
        ticket = null;
        lineWaits.leave(leaving, this).whenComplete((state, failure) -> socket.onLoop(then));
    }

    /** The socket closed: the ticket stays in line one lease TTL more, so the client may go on waiting over HTTP. */
    void release() {
        if (ticket != null) {
            lineWaits.release(ticket, this);
            ticket = null;
        }
    }
}
