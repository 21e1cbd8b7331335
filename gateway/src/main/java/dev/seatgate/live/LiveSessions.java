package dev.seatgate.live;

import dev.seatgate.redis.RedisClock;
import dev.seatgate.redis.TenantKeys;
import dev.seatgate.seats.EndReason;
import dev.seatgate.seats.SessionResult;
import dev.seatgate.seats.SessionToken;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions this gateway holds on live sockets ({@code GET /v1/live}), whatever the transport's details:
 *
 * <ul>
 *   <li><b>Ends are pushed at once.</b> Each attached session is marked in Redis with this gateway's id, and every
 *       script that ends a session publishes the end on that gateway's channel ({@code lib.lua end_session}), so a
 *       takeover, revocation or logout decided on any gateway reaches the socket within a round trip.</li>
 *   <li><b>Leases cost one script per tenant per tick</b>, not one heartbeat per session: {@link #renewAll} renews
 *       every attached session of a tenant at once, in batches of {@value #RENEW_BATCH}. The renewal also finds
 *       what pub/sub may have missed (a message lost while the subscription reconnected).</li>
 *   <li><b>A closed socket keeps its seat for the reconnect grace</b> ({@link #detach}); a socket that attaches the
 *       session again within it, on any gateway, keeps the session. A gateway that dies stops renewing: its
 *       sessions lapse within one lease TTL.</li>
 * </ul>
 *
 * Thread-safe: sockets call in from their event loops, Redis answers on Lettuce's threads, the tick runs on the
 * housekeeping thread.
 */
public final class LiveSessions {

    private static final Logger log = LoggerFactory.getLogger(LiveSessions.class);

    /** The channel prefix of lib.lua's LIVE_CHANNEL: a gateway hears its sessions' ends on prefix + its id. */
    public static final String CHANNEL_PREFIX = "sg:live:";
    /** Sessions renewed by one script call: bounds the time one call holds Redis. */
    static final int RENEW_BATCH = 500;

    /** A live socket as the sessions see it. Either method may be called from any thread, at most once. */
    public interface Socket {
        /** The session ended (on any gateway): tell the client why and close. */
        void ended(EndReason reason);

        /** A socket on another gateway attached the session since: this one has nothing left to hold. */
        void moved();

        /** The gateway stops; the session was detached (it keeps its seat for the grace): close the socket. */
        void goingAway();
    }

    /**
     * Told of every end pushed to a socket, with how long after the end (by Redis' clock) it went out: known for
     * the ends heard on the channel, not for those the renewal found.
     */
    public interface PushObserver {
        PushObserver NONE = (reason, latency) -> { };

        void pushed(EndReason reason, Optional<Duration> latency);
    }

    private record Attached(String tenant, String sessionId, Socket socket) {
    }

    private final String gatewayId;
    private final LiveLeases leases;
    private final RedisClock clock;
    private final PushObserver observer;
    private final ConcurrentHashMap<String, Attached> bySession = new ConcurrentHashMap<>();

    public LiveSessions(String gatewayId, LiveLeases leases, RedisClock clock, PushObserver observer) {
        this.gatewayId = gatewayId;
        this.leases = leases;
        this.clock = clock;
        this.observer = observer;
    }

    /** A new id for a gateway process: 96 random bits, so that two gateways never share a channel. */
    public static String newGatewayId() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The channel this gateway's ends arrive on. */
    public String channel() {
        return CHANNEL_PREFIX + gatewayId;
    }

    /** Sockets attached to a session now. */
    public int attached() {
        return bySession.size();
    }

    /**
     * Holds the session on {@code socket}: registered first, so that an end published while Redis attaches it is
     * not missed, and dropped again unless the session turns out to be live.
     */
    public CompletionStage<SessionResult> attach(SessionToken token, Socket socket) {
        var entry = new Attached(token.tenant(), token.sessionId(), socket);
        Attached previous = bySession.put(token.sessionId(), entry);
        if (previous != null && previous.socket() != socket) {
            previous.socket().moved(); // the same session attached twice here: the newer socket holds it
        }
        return leases.attach(token).whenComplete((result, failure) -> {
            if (failure != null || !(result instanceof SessionResult.Extended)) {
                bySession.remove(token.sessionId(), entry);
            }
        });
    }

    /** The socket logged the session out (which freed the seat): nothing is held any more. */
    public void forget(String sessionId, Socket socket) {
        bySession.computeIfPresent(sessionId, (id, held) -> held.socket() == socket ? null : held);
    }

    /** The socket closed without a logout: the session keeps its seat for the reconnect grace, then lapses. */
    public void detach(String sessionId, Socket socket) {
        Attached held = bySession.get(sessionId);
        if (held == null || held.socket() != socket || !bySession.remove(sessionId, held)) {
            return;
        }
        leases.detach(held.tenant(), sessionId).whenComplete((until, failure) -> {
            if (failure != null) { // Redis away: the lease lapses within one TTL all the same
                log.debug("could not detach session {}: {}", sessionId, failure.toString());
            }
        });
    }

    /** A message on this gateway's channel: "sessionId reason endedAt" (lib.lua end_session). */
    public void onEnd(String message) {
        String[] parts = message.split(" ");
        if (parts.length != 3) {
            log.warn("ignoring a malformed message on {}: {}", channel(), message);
            return;
        }
        Attached held = bySession.remove(parts[0]);
        if (held == null) {
            return; // detached or ended here already
        }
        EndReason reason = EndReason.fromWire(parts[1]);
        long endedAt = Long.parseLong(parts[2]);
        push(held, reason, Optional.of(Duration.ofMillis(Math.max(0,
                clock.estimateMillis(TenantKeys.of(held.tenant()).online()) - endedAt))));
    }

    private void push(Attached held, EndReason reason, Optional<Duration> latency) {
        held.socket().ended(reason);
        observer.pushed(reason, latency);
    }

    /**
     * One tick: renews the lease of every attached session, one script per tenant and batch; pushes the ends the
     * renewal finds. A tick that fails (Redis away) changes nothing: the next one tries again, and the leases
     * outlast a few missed ticks (a tick every heartbeat interval, a lease of a TTL).
     */
    public void renewAll() {
        Map<String, List<String>> byTenant = new HashMap<>();
        bySession.values().forEach(held ->
                byTenant.computeIfAbsent(held.tenant(), tenant -> new ArrayList<>()).add(held.sessionId()));
        byTenant.forEach((tenant, sessions) -> {
            for (int from = 0; from < sessions.size(); from += RENEW_BATCH) {
                List<String> batch = sessions.subList(from, Math.min(sessions.size(), from + RENEW_BATCH));
                CompletionStage<Map<String, LiveLeases.Dropped>> renewed;
                try {
                    renewed = leases.renew(tenant, batch);
                } catch (RuntimeException notConnected) {
                    return; // Redis away: the next tick tries again
                }
                renewed.whenComplete((dropped, failure) -> {
                    if (failure != null) {
                        log.debug("renewing {} live sessions of {} failed: {}", batch.size(), tenant, failure.toString());
                        return;
                    }
                    dropped.forEach((sessionId, why) -> {
                        Attached held = bySession.remove(sessionId);
                        if (held == null) {
                            return;
                        }
                        if (why instanceof LiveLeases.Dropped.Ended ended) {
                            push(held, ended.reason(), Optional.empty());
                        } else {
                            held.socket().moved();
                        }
                    });
                });
            }
        });
    }

    /**
     * The gateway stops: every attached session is detached (it keeps its seat for the grace, so its softphone can
     * attach again on another gateway) before the sockets are closed.
     */
    public List<CompletionStage<?>> detachAll() {
        var detaching = new ArrayList<CompletionStage<?>>();
        for (Attached held : List.copyOf(bySession.values())) {
            if (bySession.remove(held.sessionId(), held)) {
                detaching.add(leases.detach(held.tenant(), held.sessionId()));
                held.socket().goingAway();
            }
        }
        return detaching;
    }
}
