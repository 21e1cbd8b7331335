package dev.seatgate.config;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a gateway instance is configured with, validated by {@link ConfigLoader}. Immutable.
 * The defaults below are the ones documented in API.md and the README.
 */
public record GatewayConfig(
        String redisUri,
        String agentBind,
        int agentPort,
        String adminBind,
        int adminPort,
        Optional<String> adminToken,
        Map<String, String> tenantAdminTokens,
        Optional<String> metricsToken,
        Optional<TlsFiles> tls,
        HttpLimits httpLimits,
        Duration activationDelay,
        Duration leaseTtl,
        Duration heartbeatInterval,
        SecondLoginPolicy secondLogin,
        Duration resumeTtl,
        Duration reconnectGrace,
        int queueLimit,
        Duration redisTimeout,
        int purchaseReplicas,
        Duration idleTimeout,
        Duration shutdownGrace,
        Duration clockOffset,
        HashingConfig hashing,
        int credentialCacheSize,
        LockoutPolicy lockout,
        TrustedProxies trustedProxies,
        Duration metricsRefresh,
        int metricsTenantMinSeats,
        Set<String> metricsTenants,
        Optional<ConfigSection> licenseCatalog) {

    /** Redis on the local machine, as the Quick start runs it. */
    public static final String DEFAULT_REDIS_URI = "redis://127.0.0.1:6379";
    /** The agent API listens on every interface: softphones connect from the contact center's network. */
    public static final String DEFAULT_AGENT_BIND = "0.0.0.0";
    /** The agent API port. */
    public static final int DEFAULT_AGENT_PORT = 8080;
    /** The admin API is loopback-only unless an operator opens it on purpose. */
    public static final String DEFAULT_ADMIN_BIND = "127.0.0.1";
    /** The admin API port. */
    public static final int DEFAULT_ADMIN_PORT = 8081;
    /** The provider promises 5 to 10 minutes between a purchase and its seats being usable. */
    public static final Duration DEFAULT_ACTIVATION_DELAY = Duration.ofMinutes(5);
    /** A crashed softphone's seat is free again at most this long after its last heartbeat. */
    public static final Duration DEFAULT_LEASE_TTL = Duration.ofSeconds(30);
    /** Three heartbeats fit in one lease, so one lost heartbeat never costs a seat. */
    public static final Duration DEFAULT_HEARTBEAT_INTERVAL = Duration.ofSeconds(10);
    /** A second login replaces the first on the same seat. */
    public static final SecondLoginPolicy DEFAULT_SECOND_LOGIN = SecondLoginPolicy.TAKEOVER;
    /** A softphone that logged in with its password logs in again without it for this long (API.md v1.1). */
    public static final Duration DEFAULT_RESUME_TTL = Duration.ofDays(7);
    /** How long a live socket's session keeps its seat after the socket closed without a logout (API.md). */
    public static final Duration DEFAULT_RECONNECT_GRACE = Duration.ofSeconds(15);
    /** The most tickets one waiting line (a tenant's license type) holds (API.md v1.1). */
    public static final int DEFAULT_QUEUE_LIMIT = 1000;
    /** A Redis call slower than this fails the request with 503 and claims nothing. */
    public static final Duration DEFAULT_REDIS_TIMEOUT = Duration.ofSeconds(1);
    /** Purchases and removals are acknowledged once Redis has them; WAIT for replicas is opt-in. */
    public static final int DEFAULT_PURCHASE_REPLICAS = 0;
    /** A keep-alive connection with no traffic for this long is closed. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);
    /** On SIGTERM, in-flight requests get this long to finish before the gateway closes anyway. */
    public static final Duration DEFAULT_SHUTDOWN_GRACE = Duration.ofSeconds(10);
    /** Added to Redis' TIME everywhere; only for tests and drills (see the README). */
    public static final Duration DEFAULT_CLOCK_OFFSET = Duration.ZERO;

    /** Verified credentials remembered per gateway (an HMAC each, never the password); 0 turns the cache off. */
    public static final int DEFAULT_CREDENTIAL_CACHE_SIZE = 100_000;
    /** Failed logins of one agent within the window before it is locked out until the window passes. */
    public static final int DEFAULT_LOCKOUT_AGENT_FAILURES = 10;
    /** Failed logins from one client address within the window before it is locked out. */
    public static final int DEFAULT_LOCKOUT_ADDRESS_FAILURES = 100;
    /** The window failed logins are counted in. */
    public static final Duration DEFAULT_LOCKOUT_WINDOW = Duration.ofMinutes(15);

    /** How often each gateway reads the seat gauges from Redis. */
    public static final Duration DEFAULT_METRICS_REFRESH = Duration.ofSeconds(15);
    /** Tenants owning at least this many seats get per-tenant seat series; all count in the totals. */
    public static final int DEFAULT_METRICS_TENANT_MIN_SEATS = 10;
}
