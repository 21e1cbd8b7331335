package dev.seatgate.line;

import dev.seatgate.redis.RedisClock;
import dev.seatgate.redis.TenantKeys;
import dev.seatgate.seats.Ticket;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The waits on tickets that this gateway holds open: long polls ({@code POST /v1/queue/wait}) and live sockets that
 * logged in with {@code queue: true}. It answers each as soon as its ticket has news, on whichever gateway the news
 * came from:
 *
 * <ul>
 *   <li><b>At once</b> when a script hands a seat to the ticket, or takes it out of line: the script publishes the
 *       ticket id on the channel of the gateway that last opened a wait on it ({@code lua/line.lua}).</li>
 *   <li><b>Within a tick</b> ({@value #TICK_MILLIS} ms) otherwise: every tick serves the lines of every tenant with
 *       tickets in line ({@link WaitingLine#LINES}) and of this gateway's waits, so that seats that free without a
 *       script (a lease running out, a purchase activating) are handed over by whichever gateway looks first, and a
 *       notice lost on the way (pub/sub while reconnecting) is made up for. Positions are pushed to sockets then.</li>
 * </ul>
 *
 * Thread-safe: waits come from event loops, Redis answers on Lettuce's threads, ticks and timeouts run on the
 * housekeeping thread.
 */
public final class LineWaits {

    private static final Logger log = LoggerFactory.getLogger(LineWaits.class);

    /** The channel prefix of line.lua's LINE_CHANNEL. */
    public static final String CHANNEL_PREFIX = "sg:line:";
    static final long TICK_MILLIS = 1000;
    /** A tenant that had a ticket join this recently stays indexed, whatever a tick saw (clocks differ a little). */
    private static final long FORGET_MARGIN_MILLIS = 5000;

    /** A live socket waiting in line. Its methods may be called from any thread. */
    public interface Listener {
        /** The ticket moved up. */
        void position(long position, long waiting);

        /** A seat was handed to the ticket and collected for this socket: it is the socket's session now. */
        void admitted(TicketState.Admitted admitted);

        /** The ticket left the line without a seat for this socket: expired, cancelled, revoked or admitted. */
        void gone(String reason);

        /** False once the socket closed: its ticket is kept no longer (it lapses one lease TTL later). */
        boolean isOpen();
    }

    /** Told of every seat collected here, with how long its ticket waited. */
    public interface Observer {
        Observer NONE = (licenseType, waited) -> { };

        void admitted(String licenseType, Duration waited);
    }

    /** One open long poll. */
    private static final class Wait {
        final Ticket ticket;
        final long deadline;
        final CompletableFuture<TicketState> answer = new CompletableFuture<>();

        Wait(Ticket ticket, Duration wait) {
            this.ticket = ticket;
            this.deadline = System.nanoTime() + wait.toNanos();
        }
    }

    /** A live socket's ticket, and the position it was told last. Identity matters: one per socket. */
    private static final class Held {
        final Ticket ticket;
        final Listener listener;
        volatile long position;

        Held(Ticket ticket, Listener listener, long position) {
            this.ticket = ticket;
            this.listener = listener;
            this.position = position;
        }
    }

    private final String gatewayId;
    private final WaitingLine line;
    private final RedisClock clock;
    private final ScheduledExecutorService timer;
    private final Duration leaseTtl;
    private final Observer observer;
    private final ByTicket<Wait> waits = new ByTicket<>();
    private final ByTicket<Held> held = new ByTicket<>();
    private volatile boolean stopping;

    public LineWaits(String gatewayId, WaitingLine line, RedisClock clock, ScheduledExecutorService timer,
                     Duration leaseTtl, Observer observer) {
        this.gatewayId = gatewayId;
        this.line = line;
        this.clock = clock;
        this.timer = timer;
        this.leaseTtl = leaseTtl;
        this.observer = observer;
    }

    /** The channel this gateway's notices arrive on. */
    public String channel() {
        return CHANNEL_PREFIX + gatewayId;
    }

    /** Starts the tick. */
    public void start() {
        timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * A long poll: how the ticket stands as soon as a seat is handed to it or it leaves the line, else after
     * {@code wait} (a stopping gateway answers at once, so the client polls another).
     */
    public CompletionStage<TicketState> await(Ticket ticket, Duration wait) {
        boolean open = !wait.isZero() && !stopping;
        queued(ticket.tenant());
        return line.wait(ticket, open ? WaitingLine.Mode.OPEN : WaitingLine.Mode.CLOSE, wait).thenCompose(state -> {
            observe(state);
            if (!(state instanceof TicketState.Waiting) || !open) {
                return CompletableFuture.completedFuture(state);
            }
            var pending = new Wait(ticket, wait);
            waits.add(ticket.ticketId(), pending);
            timer.schedule(() -> answer(pending, WaitingLine.Mode.CLOSE), wait.toMillis(), TimeUnit.MILLISECONDS);
            if (stopping) { // the gateway began to stop while the wait opened: stop() did not see it
                answer(pending, WaitingLine.Mode.CLOSE);
            }
            return pending.answer;
        });
    }

    /** Answers a wait: takes it out of the open waits (once) and asks Redis how its ticket stands. */
    private void answer(Wait pending, WaitingLine.Mode mode) {
        if (!waits.remove(pending.ticket.ticketId(), pending)) {
            return; // answered already, or being checked: that check closes it if its time is up
        }
        line.wait(pending.ticket, mode, Duration.ZERO).whenComplete((state, failure) -> {
            if (failure != null) {
                pending.answer.completeExceptionally(failure);
            } else if (state instanceof TicketState.Waiting && mode == WaitingLine.Mode.CHECK) {
                // no news for this ticket after all: it waits on, or closes if its time came meanwhile
                waits.add(pending.ticket.ticketId(), pending);
                if (System.nanoTime() - pending.deadline >= 0 || stopping) {
                    answer(pending, WaitingLine.Mode.CLOSE);
                }
            } else {
                observe(state);
                pending.answer.complete(state);
            }
        });
    }

    /** A live socket waits on {@code ticket} (its login was queued at {@code position}) until it leaves the line. */
    public void hold(Ticket ticket, long position, Listener listener) {
        held.add(ticket.ticketId(), new Held(ticket, listener, position));
        queued(ticket.tenant());
    }

    /** The socket closed: its ticket is kept no longer, and lapses one lease TTL after the last tick kept it. */
    public void release(Ticket ticket, Listener listener) {
        held.of(ticket.ticketId()).stream().filter(entry -> entry.listener == listener)
                .forEach(entry -> held.remove(ticket.ticketId(), entry));
    }

    /** The socket's client gave up its place (it logged out while in line). */
    public CompletionStage<Optional<TicketState>> leave(Ticket ticket, Listener listener) {
        release(ticket, listener);
        return line.cancel(ticket);
    }

    /** A message on this gateway's channel: a ticket id with news. */
    public void onNotice(String ticketId) {
        waits.of(ticketId).forEach(pending -> answer(pending, WaitingLine.Mode.CHECK));
        held.of(ticketId).forEach(this::check);
    }

    private void check(Held entry) {
        line.wait(entry.ticket, WaitingLine.Mode.CHECK, Duration.ZERO).whenComplete((state, failure) -> {
            if (failure != null) {
                return; // the next tick looks again
            }
            if (state instanceof TicketState.Waiting waiting) {
                moved(entry, waiting.position(), waiting.waiting());
            } else if (held.remove(entry.ticket.ticketId(), entry)) {
                observe(state);
                if (state instanceof TicketState.Admitted admitted) {
                    entry.listener.admitted(admitted);
                } else {
                    entry.listener.gone(state instanceof TicketState.Gone gone ? gone.reason() : "expired");
                }
            }
        });
    }

    private void moved(Held entry, long position, long waiting) {
        if (entry.position != position) {
            entry.position = position;
            entry.listener.position(position, waiting);
        }
    }

    private void observe(TicketState state) {
        if (state instanceof TicketState.Admitted admitted) {
            observer.admitted(admitted.licenseType(), Duration.between(admitted.since(), admitted.admittedAt()));
        }
    }

    /**
     * The tenant has a ticket in line: every gateway's tick serves its lines from now on ({@link WaitingLine#LINES}).
     * Called for every queued login and every wait, so that a line is served even while nobody's wait is open.
     */
    public void queued(String tenant) {
        try {
            line.joined(tenant, clock.estimateMillis(TenantKeys.of(tenant).online()));
        } catch (RuntimeException notConnected) {
            // the login or wait went through a moment ago; the next one covers the tenant
        }
    }

    /**
     * One tick: serves the lines of every tenant with tickets in line or with waits here, and hears how this
     * gateway's tickets stand (keeping the sockets' tickets for one more lease TTL).
     */
    void tick() {
        try {
            line.tenantsWithLines().whenComplete((indexed, failure) -> {
                Set<String> tenants = new HashSet<>(failure == null ? indexed : List.of());
                Map<String, Map<String, Duration>> local = localTickets();
                tenants.addAll(local.keySet());
                tenants.forEach(tenant -> look(tenant, local.getOrDefault(tenant, Map.of())));
            });
        } catch (RuntimeException notConnected) {
            // Redis is away: the next tick tries again
        }
    }

    private Map<String, Map<String, Duration>> localTickets() {
        Map<String, Map<String, Duration>> byTenant = new HashMap<>();
        waits.forEach(pending -> byTenant.computeIfAbsent(pending.ticket.tenant(), tenant -> new HashMap<>())
                .putIfAbsent(pending.ticket.ticketId(), Duration.ZERO));
        held.forEach(entry -> {
            if (entry.listener.isOpen()) {
                byTenant.computeIfAbsent(entry.ticket.tenant(), tenant -> new HashMap<>())
                        .put(entry.ticket.ticketId(), leaseTtl);
            } else {
                held.remove(entry.ticket.ticketId(), entry);
            }
        });
        return byTenant;
    }

    private void look(String tenant, Map<String, Duration> tickets) {
        long before = clock.estimateMillis(TenantKeys.of(tenant).online());
        line.look(tenant, tickets).whenComplete((look, failure) -> {
            if (failure != null) {
                log.debug("looking at the lines of {} failed: {}", tenant, failure.toString());
                return;
            }
            for (WaitingLine.Seen seen : look.tickets()) {
                if (seen.state().equals("waiting")) {
                    held.of(seen.ticketId()).forEach(entry -> moved(entry, seen.position(), seen.waiting()));
                } else {
                    onNotice(seen.ticketId());
                }
            }
            if (look.waiting() == 0 && tickets.isEmpty()) {
                line.forget(tenant, before - FORGET_MARGIN_MILLIS);
            }
        });
    }

    /** The gateway stops: every open wait is answered now with its position, so its client polls another gateway. */
    public void stop() {
        stopping = true;
        waits.forEach(pending -> answer(pending, WaitingLine.Mode.CLOSE));
    }
}
