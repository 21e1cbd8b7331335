package dev.seatgate.live;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.seatgate.redis.RedisClock;
import dev.seatgate.redis.RedisUnavailableException;
import dev.seatgate.redis.TenantKeys;
import dev.seatgate.seats.EndReason;
import dev.seatgate.seats.SessionResult;
import dev.seatgate.seats.SessionToken;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sessions this gateway holds on live sockets ({@code GET /v1/live}), whatever the transport's details:
 *
 * <ul>
 *   <li><b>Ends are pushed at once.</b> Each attached session is marked in Redis with its holder (this gateway's id
 *       and the attachment's), and every script that ends a session publishes the end on that gateway's channel
 *       ({@code lib.lua end_session}), so a takeover, revocation or logout decided on any gateway reaches the socket
 *       within a round trip. An end heard while its attachment is still being confirmed is remembered for a while,
 *       and pushed as soon as it is.</li>
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
    /** How long an end heard on the channel is remembered, for an attachment confirmed after it arrived. */
    private static final Duration RECENT_ENDS = Duration.ofSeconds(30);

    /** A live socket as the sessions see it. Its methods may be called from any thread. */
    public interface Socket {
        /** The session ended (on any gateway): tell the client why and close. */
        void ended(EndReason reason);

        /** Another socket (here or on another gateway) attached the session since: this one holds nothing now. */
        void moved();

        /** The gateway stops; the session was detached (it keeps its seat for the grace): close the socket. */
        void goingAway();

        /** False once the connection closed: such a socket holds nothing. */
        boolean isOpen();
    }

    /**
     * Told of every end pushed to a socket, with how long after the end (by Redis' clock) it went out: known for
     * the ends heard on the channel, not for those the renewal found.
     */
    public interface PushObserver {
        PushObserver NONE = (reason, latency) -> { };

        void pushed(EndReason reason, Optional<Duration> latency);
    }

    /** One socket's hold on one session: {@code holder} is the attachment's id, as Redis records it. */
    private record Attached(String tenant, String sessionId, String holder, Socket socket) {
    }

    /** An end heard on the channel. */
    private record Ended(EndReason reason, long endedAt) {
    }

    private final String gatewayId;
    private final LiveLeases leases;
    private final RedisClock clock;
    private final PushObserver observer;
    private final ConcurrentHashMap<String, Attached> bySession = new ConcurrentHashMap<>();
    private final Cache<String, Ended> recentEnds = Caffeine.newBuilder()
            .expireAfterWrite(RECENT_ENDS).maximumSize(100_000).build();
    private volatile boolean stopping;

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

    /** Sessions held on this gateway's sockets now. */
    public int attached() {
        return bySession.size();
    }

    /**
     * Holds the session on {@code socket} once Redis confirms it (a wrong token takes nothing from the socket that
     * holds the session now). When the socket closed meanwhile, the session is detached again at once.
     */
    public CompletionStage<SessionResult> attach(SessionToken token, Socket socket) {
        if (stopping) {
            return CompletableFuture.failedFuture(new RedisUnavailableException("the gateway is stopping"));
        }
        String holder = leases.newHolder();
        return leases.attach(token, holder).thenApply(result -> {
            if (result instanceof SessionResult.Extended) {
                hold(new Attached(token.tenant(), token.sessionId(), holder, socket));
            }
            return result;
        });
    }

    private void hold(Attached entry) {
        if (!entry.socket().isOpen() || stopping) {
            detach(entry);
            return;
        }
        Attached previous = bySession.put(entry.sessionId(), entry);
        if (previous != null && previous.socket() != entry.socket()) {
            previous.socket().moved(); // attached again on another socket of this gateway: the newer one holds it
        }
        Ended ended = recentEnds.getIfPresent(entry.sessionId());
        if (ended != null && bySession.remove(entry.sessionId(), entry)) {
            push(entry, ended.reason(), Optional.of(latency(entry, ended.endedAt())));
        }
    }

    /** The socket logged the session out (which freed the seat): nothing is held any more. */
    public void forget(String sessionId, Socket socket) {
        bySession.computeIfPresent(sessionId, (id, held) -> held.socket() == socket ? null : held);
    }

    /** The socket closed without a logout: the session keeps its seat for the reconnect grace, then lapses. */
    public void detach(String sessionId, Socket socket) {
        Attached held = bySession.get(sessionId);
        if (held != null && held.socket() == socket && bySession.remove(sessionId, held)) {
            detach(held);
        }
    }

    private CompletionStage<?> detach(Attached held) {
        return leases.detach(held.tenant(), held.sessionId(), held.holder()).whenComplete((until, failure) -> {
            if (failure != null) { // Redis away: the lease lapses within one TTL all the same
                log.debug("could not detach session {}: {}", held.sessionId(), failure.toString());
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
        var ended = new Ended(EndReason.fromWire(parts[1]), Long.parseLong(parts[2]));
        recentEnds.put(parts[0], ended); // for an attachment of it that Redis confirmed but this gateway not yet
        Attached held = bySession.remove(parts[0]);
        if (held != null) {
            push(held, ended.reason(), Optional.of(latency(held, ended.endedAt())));
        }
    }

    private Duration latency(Attached held, long endedAt) {
        return Duration.ofMillis(Math.max(0, clock.estimateMillis(TenantKeys.of(held.tenant()).online()) - endedAt));
    }

    private void push(Attached held, EndReason reason, Optional<Duration> latency) {
        held.socket().ended(reason);
        observer.pushed(reason, latency);
    }

    /**
     * One tick: renews the lease of every attached session, one script per tenant and batch; pushes the ends the
     * renewal finds. A tick that fails (Redis away) changes nothing: the next one tries again, and the leases
     * outlast a few missed ticks (a tick every heartbeat interval, a lease of a TTL). Entries whose socket closed
     * without being detached are detached here.
     */
    public void renewAll() {
        Map<String, List<Attached>> byTenant = new HashMap<>();
        for (Attached held : bySession.values()) {
            if (held.socket().isOpen()) {
                byTenant.computeIfAbsent(held.tenant(), tenant -> new ArrayList<>()).add(held);
            } else if (bySession.remove(held.sessionId(), held)) {
                detach(held);
            }
        }
        byTenant.forEach((tenant, held) -> {
            for (int from = 0; from < held.size(); from += RENEW_BATCH) {
                renew(tenant, held.subList(from, Math.min(held.size(), from + RENEW_BATCH)));
            }
        });
    }

    private void renew(String tenant, List<Attached> batch) {
        Map<String, Attached> bySessionId = new LinkedHashMap<>();
        Map<String, String> holders = new LinkedHashMap<>();
        for (Attached held : batch) {
            bySessionId.put(held.sessionId(), held);
            holders.put(held.sessionId(), held.holder());
        }
        leases.renew(tenant, holders).whenComplete((dropped, failure) -> {
            if (failure != null) {
                log.debug("renewing {} live sessions of {} failed: {}", batch.size(), tenant, failure.toString());
                return;
            }
            dropped.forEach((sessionId, why) -> {
                Attached held = bySessionId.get(sessionId);
                if (held == null || !bySession.remove(sessionId, held)) {
                    return; // pushed, detached or attached anew since the tick began: that entry is not this one
                }
                if (why instanceof LiveLeases.Dropped.Ended ended) {
                    push(held, ended.reason(), Optional.empty());
                } else {
                    held.socket().moved();
                }
            });
        });
    }

    /**
     * The gateway stops: no more attachments; every attached session is detached (it keeps its seat for the grace,
     * so its softphone can attach again on another gateway) and its socket closed.
     */
    public List<CompletionStage<?>> detachAll() {
        stopping = true;
        var detaching = new ArrayList<CompletionStage<?>>();
        for (Attached held : List.copyOf(bySession.values())) {
            if (bySession.remove(held.sessionId(), held)) {
                detaching.add(detach(held));
                held.socket().goingAway();
            }
        }
        return detaching;
    }
}
