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
import java.util.concurrent.atomic.AtomicLong;

/**
 * The leases of sessions held on live sockets, in Redis: attaching a session to a socket of this gateway, renewing
 * every attached session of a tenant in one script per tick, and detaching one whose socket closed (it keeps its
 * seat for the reconnect grace). Each attachment has a holder id of its own ("gatewayId:n"), which the session
 * records: renewals and detaches act only for the attachment that holds the session now. Each script's contract
 * is in its header comment.
 */
public final class LiveLeases {

    private static final LuaScript ATTACH = LuaScript.load("attach");
    private static final LuaScript RENEW_ATTACHED = LuaScript.load("renew_attached");
    private static final LuaScript DETACH = LuaScript.load("detach");

    /** Why a renewal let a session go: it ended (with its reason), or another gateway holds it now. */
    public sealed interface Dropped {
        record Ended(EndReason reason) implements Dropped {
        }

        record Moved() implements Dropped {
        }
    }

    private final ScriptRunner scripts;
    private final String gatewayId;
    private final AtomicLong attachments = new AtomicLong();
    private final String leaseTtlMillis;
    private final String graceMillis;
    private final String sessionMemoryMillis = Long.toString(SeatLedger.SESSION_MEMORY.toMillis());
    private final SessionEnds ends;

    /**
     * @param gatewayId      this gateway's id for as long as it runs: the holders of its attachments start with it
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

    /** A new holder id, for one attachment of one socket. */
    public String newHolder() {
        return gatewayId + ":" + attachments.incrementAndGet();
    }

    /** Extends the session's lease as a heartbeat does and marks it as held by {@code holder}. */
    public CompletionStage<SessionResult> attach(SessionToken token, String holder) {
        TenantKeys keys = TenantKeys.of(token.tenant());
        return scripts.run(ATTACH, new String[] {keys.session(token.sessionId())}, keys.prefix(), token.sessionId(),
                token.secretHash(), leaseTtlMillis, sessionMemoryMillis, holder).thenApply(reply ->
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
     * Renews the leases of these sessions of one tenant, each with the holder of its attachment here (session id
     * to holder); answers the sessions it let go and why (the renewed ones are the rest).
     */
    public CompletionStage<Map<String, Dropped>> renew(String tenant, Map<String, String> holderBySession) {
        TenantKeys keys = TenantKeys.of(tenant);
        var args = new ArrayList<String>(3 + 2 * holderBySession.size());
        args.addAll(List.of(keys.prefix(), leaseTtlMillis, sessionMemoryMillis));
        holderBySession.forEach((sessionId, holder) -> {
            args.add(sessionId);
            args.add(holder);
        });
        String[] argv = args.toArray(String[]::new);
        return scripts.run(RENEW_ATTACHED, new String[] {keys.online()}, argv).thenApply(reply -> {
            var dropped = new LinkedHashMap<String, Dropped>();
            long lapsed = 0;
            for (int i = 1; i + 1 < reply.size(); i += 2) {
                String why = (String) reply.get(i + 1);
                switch (why) {
                    case "moved" -> dropped.put((String) reply.get(i), new Dropped.Moved());
                    case "lapsed" -> { // ended by this call: counted here, once
                        lapsed++;
                        dropped.put((String) reply.get(i), new Dropped.Ended(EndReason.EXPIRED));
                    }
                    case "unknown" -> dropped.put((String) reply.get(i), new Dropped.Ended(EndReason.EXPIRED));
                    default -> dropped.put((String) reply.get(i), new Dropped.Ended(EndReason.fromWire(why)));
                }
            }
            if (lapsed > 0) {
                ends.ended(EndReason.EXPIRED, lapsed);
            }
            return dropped;
        });
    }

    /**
     * The socket of {@code holder} closed without a logout: the seat is held for the grace, then freed, unless
     * another attachment holds the session since. Answers until when it is held, if it was detached.
     */
    public CompletionStage<Optional<Instant>> detach(String tenant, String sessionId, String holder) {
        TenantKeys keys = TenantKeys.of(tenant);
        String[] key = {keys.session(sessionId)};
        return scripts.run(DETACH, key, keys.prefix(), sessionId, holder, graceMillis)
                .thenApply(reply -> "OK".equals(reply.get(0))
                        ? Optional.of(Instant.ofEpochMilli((Long) reply.get(1))) : Optional.empty());
    }
}
