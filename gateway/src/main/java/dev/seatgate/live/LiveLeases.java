package dev.seatgate.live;

import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import dev.seatgate.seats.EndReason;
import dev.seatgate.seats.SeatLedger;
import dev.seatgate.seats.SessionEnds;
import dev.seatgate.seats.SessionResult;
import dev.seatgate.seats.SessionToken;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The leases of sessions held on live sockets, in Redis: attaching a session to this gateway, renewing every
 * attached session of a tenant in one script per tick, and detaching one whose socket closed (it keeps its seat
 * for the reconnect grace). Each script's contract is in its header comment.
 */
public final class LiveLeases {

    private static final LuaScript ATTACH = LuaScript.load("attach");
    private static final LuaScript RENEW_ATTACHED = LuaScript.load("renew_attached");
    private static final LuaScript DETACH = LuaScript.load("detach");

    /** The scripts, for loading at start and the readiness check. */
    public static final List<LuaScript> SCRIPTS = List.of(ATTACH, RENEW_ATTACHED, DETACH);

    /** Why a renewal let a session go: it ended (with its reason), or another gateway holds it now. */
    public sealed interface Dropped {
        record Ended(EndReason reason) implements Dropped {
        }

        record Moved() implements Dropped {
        }
    }

    private final ScriptRunner scripts;
    private final String gatewayId;
    private final String leaseTtlMillis;
    private final String graceMillis;
    private final String sessionMemoryMillis = Long.toString(SeatLedger.SESSION_MEMORY.toMillis());
    private final SessionEnds ends;

    /**
     * @param gatewayId      this gateway's id for as long as it runs: the sessions it holds are marked with it
     * @param reconnectGrace how long a session whose socket closed keeps its seat
     */
    public LiveLeases(ScriptRunner scripts, String gatewayId, Duration leaseTtl, Duration reconnectGrace,
                      SessionEnds ends) {
        this.scripts = scripts;
        this.gatewayId = gatewayId;
        this.leaseTtlMillis = Long.toString(leaseTtl.toMillis());
        this.graceMillis = Long.toString(reconnectGrace.toMillis());
        this.ends = ends;
    }

    /** Extends the session's lease as a heartbeat does and marks it as held here. */
    public CompletionStage<SessionResult> attach(SessionToken token) {
        TenantKeys keys = TenantKeys.of(token.tenant());
        return scripts.run(ATTACH, new String[] {keys.session(token.sessionId())}, keys.prefix(), token.sessionId(),
                token.secretHash(), leaseTtlMillis, sessionMemoryMillis, gatewayId).thenApply(reply ->
                switch ((String) reply.get(0)) {
                    case "OK" -> new SessionResult.Extended(Instant.ofEpochMilli((Long) reply.get(1)));
                    case "GONE" -> new SessionResult.Gone(EndReason.fromWire((String) reply.get(1)));
                    case "EXPIRED" -> {
                        ends.ended(EndReason.EXPIRED, 1);
                        yield new SessionResult.Gone(EndReason.EXPIRED);
                    }
                    case "UNKNOWN" -> new SessionResult.Unknown();
                    default -> throw new IllegalStateException("unexpected reply from attach.lua: " + reply);
                });
    }

    /**
     * Renews the leases of these sessions of one tenant, all held here; answers the sessions it let go and why
     * (at most a few per tick: the renewed ones are the rest).
     */
    public CompletionStage<Map<String, Dropped>> renew(String tenant, List<String> sessionIds) {
        TenantKeys keys = TenantKeys.of(tenant);
        var args = new ArrayList<String>(4 + sessionIds.size());
        args.addAll(List.of(keys.prefix(), leaseTtlMillis, sessionMemoryMillis, gatewayId));
        args.addAll(sessionIds);
        return scripts.run(RENEW_ATTACHED, new String[] {keys.online()}, args.toArray(String[]::new))
                .thenApply(reply -> {
                    var dropped = new LinkedHashMap<String, Dropped>();
                    for (int i = 1; i + 1 < reply.size(); i += 2) {
                        String why = (String) reply.get(i + 1);
                        if (why.equals("moved")) {
                            dropped.put((String) reply.get(i), new Dropped.Moved());
                        } else {
                            EndReason reason = why.equals("unknown") ? EndReason.EXPIRED : EndReason.fromWire(why);
                            dropped.put((String) reply.get(i), new Dropped.Ended(reason));
                        }
                    }
                    long expiredNow = dropped.values().stream()
                            .filter(why -> why instanceof Dropped.Ended ended && ended.reason() == EndReason.EXPIRED)
                            .count();
                    if (expiredNow > 0) {
                        ends.ended(EndReason.EXPIRED, expiredNow);
                    }
                    return dropped;
                });
    }

    /** The socket closed without a logout: the seat is held for the grace, then freed. Answers until when. */
    public CompletionStage<Optional<Instant>> detach(String tenant, String sessionId) {
        TenantKeys keys = TenantKeys.of(tenant);
        return scripts.run(DETACH, new String[] {keys.session(sessionId)}, keys.prefix(), sessionId, gatewayId,
                graceMillis).thenApply(reply -> "OK".equals(reply.get(0))
                        ? Optional.of(Instant.ofEpochMilli((Long) reply.get(1))) : Optional.empty());
    }
}
