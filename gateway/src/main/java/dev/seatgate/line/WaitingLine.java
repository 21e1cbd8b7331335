package dev.seatgate.line;

import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.Page;
import dev.seatgate.redis.PageCursor;
import dev.seatgate.redis.RedisConnector;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import dev.seatgate.seats.AccountNotice;
import dev.seatgate.seats.EndReason;
import dev.seatgate.seats.LoginOutcome;
import dev.seatgate.seats.ResumeToken;
import dev.seatgate.seats.SeatLedger;
import dev.seatgate.seats.SessionEnds;
import dev.seatgate.seats.SessionToken;
import dev.seatgate.seats.Ticket;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The waiting lines in Redis (API.md "The waiting line"; the keys and the hand-over are described in
 * {@code lua/line.lua}): a ticket's wait and its collected session, leaving the line, an admin's list and removal,
 * and a gateway's periodic look at a tenant's lines. Tickets join the line in the claim itself ({@code claim.lua}),
 * so the order of arrival is the order in which Redis ran the claims, whatever gateway took them.
 */
public final class WaitingLine {

    private static final LuaScript WAIT = LuaScript.load("queue_wait");
    private static final LuaScript CANCEL = LuaScript.load("queue_cancel");
    private static final LuaScript TICK = LuaScript.load("queue_tick");
    private static final LuaScript LIST = LuaScript.load("queue");
    private static final LuaScript FORGET = LuaScript.load("queue_forget");

    /** Tenants with tickets in line, scored by the last time one joined (not tagged: read by every gateway's tick). */
    public static final String LINES = "sg:lines";

    /** What a wait does to its ticket. */
    public enum Mode {
        /** A wait begins on this gateway: the ticket is kept for the wait and one lease TTL more. */
        OPEN,
        /** A wait ended without a seat: the ticket is kept for one lease TTL from now. */
        CLOSE,
        /** A notice came: only look. */
        CHECK;

        String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** One waiting ticket, as the admin API lists it. */
    public record Waiter(String agentId, String licenseType, String campaign, long position, Instant since) {
    }

    /** A ticket of this gateway's waits, as the tick found it: {@code state} waiting, admitted, or why it left. */
    public record Seen(String ticketId, String state, long position, long waiting) {
    }

    /** A tick's look at one tenant: every ticket in its lines, and this gateway's tickets. */
    public record Look(long waiting, List<Seen> tickets) {
    }

    private final RedisConnector redis;
    private final ScriptRunner scripts;
    private final String gatewayId;
    private final Duration leaseTtl;
    private final String resumeTtlMillis;
    private final String sessionMemoryMillis = Long.toString(SeatLedger.SESSION_MEMORY.toMillis());
    private final List<String> licenseTypes;
    private final SessionEnds ends;

    public WaitingLine(RedisConnector redis, ScriptRunner scripts, String gatewayId, Duration leaseTtl,
                       Duration resumeTtl, List<String> licenseTypes, SessionEnds ends) {
        this.redis = redis;
        this.scripts = scripts;
        this.gatewayId = gatewayId;
        this.leaseTtl = leaseTtl;
        this.resumeTtlMillis = Long.toString(resumeTtl.toMillis());
        this.licenseTypes = licenseTypes;
        this.ends = ends;
    }

    /**
     * How the ticket stands, after its line was served; a seat handed to it is collected now, under a new session
     * secret and resume token that only this answer carries. {@code OPEN} keeps the ticket for {@code wait} and one
     * lease TTL more; {@code CLOSE} for one lease TTL.
     */
    public CompletionStage<TicketState> wait(Ticket ticket, Mode mode, Duration wait) {
        TenantKeys keys = TenantKeys.of(ticket.tenant());
        SessionToken session = SessionToken.issue(ticket.tenant());
        ResumeToken resume = ResumeToken.issue();
        long keepMillis = switch (mode) {
            case OPEN -> wait.plus(leaseTtl).toMillis();
            case CLOSE -> leaseTtl.toMillis();
            case CHECK -> 0;
        };
        return scripts.run(WAIT, new String[] {keys.ticket(ticket.ticketId())}, keys.prefix(), ticket.ticketId(),
                ticket.secretHash(), mode.wire(), gatewayId, Long.toString(keepMillis), sessionMemoryMillis,
                session.secretHash(), resume.tokenId(), resume.secretHash(), resumeTtlMillis).thenApply(reply ->
                switch ((String) reply.get(0)) {
                    case "WAITING" -> new TicketState.Waiting((Long) reply.get(1), (Long) reply.get(2),
                            instant(reply.get(3)));
                    case "ADMITTED" -> {
                        var token = new SessionToken(ticket.tenant(), (String) reply.get(1), session.secret());
                        Optional<String> replaced = Optional.of((String) reply.get(3)).filter(id -> !id.isEmpty());
                        if (replaced.isPresent()) {
                            ends.ended(EndReason.SUPERSEDED, 1);
                        }
                        yield new TicketState.Admitted((String) reply.get(5), (String) reply.get(6),
                                new LoginOutcome.Admitted(token, instant(reply.get(2)), replaced, resume,
                                        instant(reply.get(4)), campaign(reply.get(9)),
                                        AccountNotice.fromReply(reply, 10)),
                                millis(reply.get(7)), millis(reply.get(8)));
                    }
                    case "GONE" -> new TicketState.Gone((String) reply.get(1));
                    case "UNKNOWN" -> new TicketState.Unknown();
                    default -> throw unexpected(WAIT, reply);
                });
    }

    /**
     * The ticket leaves the line (cancelled); a seat handed to it and not collected goes to the next in line. Empty
     * when it left now; else why it could not: it had left already ({@link TicketState.Gone}), or is unknown.
     */
    public CompletionStage<Optional<TicketState>> cancel(Ticket ticket) {
        TenantKeys keys = TenantKeys.of(ticket.tenant());
        return scripts.run(CANCEL, new String[] {keys.tenant()}, keys.prefix(), sessionMemoryMillis, "ticket",
                ticket.ticketId(), ticket.secretHash()).thenApply(reply -> switch ((String) reply.get(0)) {
                    case "OK" -> Optional.empty();
                    case "GONE" -> Optional.of(new TicketState.Gone((String) reply.get(1)));
                    case "UNKNOWN", "NO_TENANT" -> Optional.of(new TicketState.Unknown());
                    default -> throw unexpected(CANCEL, reply);
                });
    }

    /** What removing an agent from a tenant's line found. */
    public enum Removal { REMOVED, NO_AGENT, NO_TENANT }

    /** An admin takes the agent's tickets (every type) out of the line: they get 410 revoked. */
    public CompletionStage<Removal> remove(String tenant, String agentId) {
        TenantKeys keys = TenantKeys.of(tenant);
        String[] args = Stream.concat(Stream.of(keys.prefix(), sessionMemoryMillis, "agent", agentId),
                licenseTypes.stream()).toArray(String[]::new);
        return scripts.run(CANCEL, new String[] {keys.tenant()}, args).thenApply(reply -> switch ((String) reply.get(0)) {
            case "OK" -> Removal.REMOVED;
            case "NOT_FOUND" -> Removal.NO_AGENT;
            case "NO_TENANT" -> Removal.NO_TENANT;
            default -> throw unexpected(CANCEL, reply);
        });
    }

    /** A page of the tenant's waiting tickets, oldest first; empty when the tenant does not exist. */
    public CompletionStage<Optional<Page<Waiter>>> list(String tenant, PageCursor cursor, int limit) {
        TenantKeys keys = TenantKeys.of(tenant);
        String after = cursor.scan();
        String[] args = Stream.concat(Stream.of(keys.prefix(), after, Integer.toString(limit)), licenseTypes.stream())
                .toArray(String[]::new);
        return scripts.run(LIST, new String[] {keys.tenant()}, args).thenApply(reply -> {
            if (!"OK".equals(reply.get(0))) {
                return Optional.empty();
            }
            var waiters = new ArrayList<Waiter>(reply.size() - 2);
            for (Object row : reply.subList(2, reply.size())) {
                List<?> fields = (List<?>) row;
                waiters.add(new Waiter((String) fields.get(0), (String) fields.get(1),
                        campaign(fields.get(4)).orElse(null), (Long) fields.get(2), millis(fields.get(3))));
            }
            String last = (String) reply.get(1);
            return Optional.of(new Page<>(waiters, Page.nextFrom(last.isEmpty() ? "" : last + ".")));
        });
    }

    /**
     * One tick's look at a tenant's lines: free seats are handed over, and {@code tickets} (this gateway's: id →
     * how long to keep it, zero to leave it as it is) are reported on.
     */
    public CompletionStage<Look> look(String tenant, Map<String, Duration> tickets) {
        TenantKeys keys = TenantKeys.of(tenant);
        var args = new ArrayList<String>(4 + licenseTypes.size() + 2 * tickets.size());
        args.addAll(List.of(keys.prefix(), sessionMemoryMillis, Integer.toString(licenseTypes.size())));
        args.addAll(licenseTypes);
        tickets.forEach((id, keep) -> {
            args.add(id);
            args.add(Long.toString(keep.toMillis()));
        });
        return scripts.run(TICK, new String[] {keys.online()}, args.toArray(String[]::new)).thenApply(reply -> {
            var seen = new ArrayList<Seen>(reply.size() - 1);
            for (Object row : reply.subList(1, reply.size())) {
                List<?> fields = (List<?>) row;
                seen.add(new Seen((String) fields.get(0), (String) fields.get(1), (Long) fields.get(2),
                        (Long) fields.get(3)));
            }
            return new Look((Long) reply.get(0), seen);
        });
    }

    /** Records in {@link #LINES} that the tenant has a ticket in line at {@code at} (ms, Redis' clock). */
    public CompletionStage<Long> joined(String tenant, long at) {
        return redis.commands().zadd(LINES, (double) at, tenant);
    }

    /** The tenants {@link #LINES} lists. */
    public CompletionStage<List<String>> tenantsWithLines() {
        return redis.commands().zrange(LINES, 0, -1);
    }

    /** Forgets a tenant in {@link #LINES} unless a ticket joined its lines since {@code emptyAt} (ms, Redis' clock). */
    public CompletionStage<List<Object>> forget(String tenant, long emptyAt) {
        return scripts.run(FORGET, new String[] {LINES}, tenant, Long.toString(emptyAt));
    }

    /** A campaign as scripts answer it: '' for none. */
    private static Optional<String> campaign(Object reply) {
        return Optional.of((String) reply).filter(name -> !name.isEmpty());
    }

    private static Instant instant(Object epochMillis) {
        return Instant.ofEpochMilli((Long) epochMillis);
    }

    private static Instant millis(Object text) {
        return Instant.ofEpochMilli(Long.parseLong((String) text));
    }

    private static IllegalStateException unexpected(LuaScript script, List<Object> reply) {
        return new IllegalStateException("unexpected reply from " + script.name() + ".lua: " + reply);
    }
}
