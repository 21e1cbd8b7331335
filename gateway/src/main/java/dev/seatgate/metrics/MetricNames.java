package dev.seatgate.metrics;

/**
 * Every metric seatgate exports, in one place. Names are Micrometer's dotted form; Prometheus sees them with
 * dots as underscores and unit suffixes added ({@code seatgate.logins} → {@code seatgate_logins_total}).
 * Label values are bounded: license types come from the catalog, tenants only from the seat gauges' opt-in.
 */
public final class MetricNames {

    /** Everything seatgate exports starts with this, JVM, process and Lettuce metrics included. */
    public static final String PREFIX = "seatgate.";

    /** Counter: logins by {@link #LICENSE_TYPE} and {@link #OUTCOME}. */
    public static final String LOGINS = "seatgate.logins";
    /** Timer with a histogram (aggregatable across gateways): agent API requests by {@link #OPERATION}. */
    public static final String REQUEST_DURATION = "seatgate.request.duration";
    /** Counter: sessions this gateway ended, by {@link #REASON}; summed over gateways, every end once. */
    public static final String SESSIONS_ENDED = "seatgate.sessions.ended";
    /** Counter: password checks by {@link #RESULT}: cache hit, or hashed. */
    public static final String CREDENTIAL_CHECKS = "seatgate.credential.checks";

    /** Gauge: password checks waiting for a hashing thread on this gateway. */
    public static final String HASHING_QUEUED = "seatgate.hashing.queued";
    /** Gauge: hashing threads computing a hash now; against {@link #HASHING_THREADS}, how saturated the pool is. */
    public static final String HASHING_BUSY = "seatgate.hashing.busy";
    /** Gauge: the hashing threads this gateway has (SEATGATE_HASH_THREADS). */
    public static final String HASHING_THREADS = "seatgate.hashing.threads";

    /** Gauge: seats of all tenants together, by {@link #LICENSE_TYPE} and {@link #STATE}; read from Redis. */
    public static final String SEATS = "seatgate.seats";
    /** Gauge: seats of one tenant (large or listed tenants only), by tenant, type and state; from Redis. */
    public static final String TENANT_SEATS = "seatgate.tenant.seats";
    /**
     * Gauge: a campaign's sessions of a type ({@code state="in_use"}), its cap ({@code max}, when it has one) and its
     * reservation ({@code reserved}), for the tenants that get per-tenant series; by tenant, {@link #CAMPAIGN}, type.
     */
    public static final String TENANT_CAMPAIGN_SEATS = "seatgate.tenant.campaign.seats";
    /** Gauge: tenants whose seats were read at the last refresh. */
    public static final String SEATS_TENANTS = "seatgate.seats.tenants";
    /** Gauge: when the seat gauges were last read from Redis, seconds since the epoch. */
    public static final String SEATS_REFRESHED = "seatgate.seats.refreshed.timestamp";

    /** Counter: connections closed as soon as accepted because the listener held SEATGATE_MAX_CONNECTIONS. */
    public static final String HTTP_CONNECTIONS_REFUSED = "seatgate.http.connections.refused";
    /** Gauge: connections a listener holds open now, by {@link #LISTENER}. */
    public static final String HTTP_CONNECTIONS_OPEN = "seatgate.http.connections.open";
    /** Gauge: the most connections a listener holds (SEATGATE_MAX_CONNECTIONS), by {@link #LISTENER}. */
    public static final String HTTP_CONNECTIONS_LIMIT = "seatgate.http.connections.limit";

    /** Gauge: live sockets ({@code GET /v1/live}) holding a session on this gateway. */
    public static final String LIVE_SOCKETS = "seatgate.live.sockets";
    /** Counter: session ends pushed to live sockets, by {@link #REASON}. */
    public static final String LIVE_PUSHES = "seatgate.live.pushes";
    /** Timer: from a session's end (Redis' clock) to its push on the socket, for ends heard on the channel. */
    public static final String LIVE_PUSH_LATENCY = "seatgate.live.push.latency";

    /** Gauge: tickets waiting in line, over all tenants, by {@link #LICENSE_TYPE} (same on every gateway). */
    public static final String QUEUE_WAITING = "seatgate.queue.waiting";
    /** Timer: how long admitted tickets waited, from joining the line to the hand-over, by {@link #LICENSE_TYPE}. */
    public static final String QUEUE_WAIT = "seatgate.queue.wait";

    /** Counter: requests or background work that failed because of Redis, by {@link #KIND}. */
    public static final String REDIS_ERRORS = "seatgate.redis.errors";
    /** Gauge: 1 while the Redis connection is up, else 0. */
    public static final String REDIS_CONNECTED = "seatgate.redis.connected";
    /** Counter: Lua scripts loaded into Redis (at start, and again after Redis lost them). */
    public static final String REDIS_SCRIPT_LOADS = "seatgate.redis.script.loads";
    /** Lettuce's command latency meters ({@code lettuce.command.*}) are exported under this prefix. */
    public static final String REDIS_COMMAND_PREFIX = "seatgate.redis.";

    // Labels
    public static final String LICENSE_TYPE = "license_type";
    public static final String OUTCOME = "outcome";
    public static final String OPERATION = "operation";
    public static final String REASON = "reason";
    public static final String RESULT = "result";
    public static final String STATE = "state";
    public static final String TENANT = "tenant";
    public static final String CAMPAIGN = "campaign";
    public static final String KIND = "kind";
    /** Which HTTP listener: {@code agent} or {@code admin}. */
    public static final String LISTENER = "listener";

    /** The license_type of a login that named none, or one not in the catalog. */
    public static final String UNKNOWN_TYPE = "unknown";

    private MetricNames() {
    }
}
