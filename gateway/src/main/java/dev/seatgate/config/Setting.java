package dev.seatgate.config;

/**
 * Every setting, with its environment variable and its key in the YAML config file. An environment
 * variable overrides the file; the file overrides the default in {@link GatewayConfig}.
 */
public enum Setting {
    REDIS_URI("SEATGATE_REDIS_URI", "redisUri"),
    AGENT_BIND("SEATGATE_AGENT_BIND", "agentBind"),
    AGENT_PORT("SEATGATE_AGENT_PORT", "agentPort"),
    ADMIN_BIND("SEATGATE_ADMIN_BIND", "adminBind"),
    ADMIN_PORT("SEATGATE_ADMIN_PORT", "adminPort"),
    ADMIN_TOKEN("SEATGATE_ADMIN_TOKEN", "adminToken"),
    TENANT_ADMIN_TOKENS("SEATGATE_TENANT_ADMIN_TOKENS", "tenantAdminTokens"),
    METRICS_TOKEN("SEATGATE_METRICS_TOKEN", "metricsToken"),
    TLS_CERTIFICATE("SEATGATE_TLS_CERTIFICATE", "tlsCertificate"),
    TLS_PRIVATE_KEY("SEATGATE_TLS_PRIVATE_KEY", "tlsPrivateKey"),
    MAX_CONNECTIONS("SEATGATE_MAX_CONNECTIONS", "maxConnections"),
    REQUEST_TIMEOUT("SEATGATE_REQUEST_TIMEOUT", "requestTimeout"),
    MAX_HEADER_BYTES("SEATGATE_MAX_HEADER_BYTES", "maxHeaderBytes"),
    MAX_HEADERS("SEATGATE_MAX_HEADERS", "maxHeaders"),
    ACTIVATION_DELAY("SEATGATE_ACTIVATION_DELAY", "activationDelay"),
    LEASE_TTL("SEATGATE_LEASE_TTL", "leaseTtl"),
    HEARTBEAT_INTERVAL("SEATGATE_HEARTBEAT_INTERVAL", "heartbeatInterval"),
    SECOND_LOGIN("SEATGATE_SECOND_LOGIN", "secondLogin"),
    RESUME_TTL("SEATGATE_RESUME_TTL", "resumeTtl"),
    RECONNECT_GRACE("SEATGATE_RECONNECT_GRACE", "reconnectGrace"),
    QUEUE_LIMIT("SEATGATE_QUEUE_LIMIT", "queueLimit"),
    REDIS_TIMEOUT("SEATGATE_REDIS_TIMEOUT", "redisTimeout"),
    PURCHASE_REPLICAS("SEATGATE_PURCHASE_REPLICAS", "purchaseReplicas"),
    IDLE_TIMEOUT("SEATGATE_IDLE_TIMEOUT", "idleTimeout"),
    SHUTDOWN_GRACE("SEATGATE_SHUTDOWN_GRACE", "shutdownGrace"),
    CLOCK_OFFSET("SEATGATE_CLOCK_OFFSET", "clockOffset"),
    PASSWORD_MEMORY_KIB("SEATGATE_PASSWORD_MEMORY_KIB", "passwordMemoryKib"),
    PASSWORD_PASSES("SEATGATE_PASSWORD_PASSES", "passwordPasses"),
    HASH_THREADS("SEATGATE_HASH_THREADS", "hashThreads"),
    HASH_QUEUE_WAIT("SEATGATE_HASH_QUEUE_WAIT", "hashQueueWait"),
    CREDENTIAL_CACHE_SIZE("SEATGATE_CREDENTIAL_CACHE_SIZE", "credentialCacheSize"),
    LOCKOUT_AGENT_FAILURES("SEATGATE_LOCKOUT_AGENT_FAILURES", "lockoutAgentFailures"),
    LOCKOUT_ADDRESS_FAILURES("SEATGATE_LOCKOUT_ADDRESS_FAILURES", "lockoutAddressFailures"),
    LOCKOUT_WINDOW("SEATGATE_LOCKOUT_WINDOW", "lockoutWindow"),
    TRUSTED_PROXIES("SEATGATE_TRUSTED_PROXIES", "trustedProxies"),
    METRICS_REFRESH("SEATGATE_METRICS_REFRESH", "metricsRefresh"),
    METRICS_TENANT_MIN_SEATS("SEATGATE_METRICS_TENANT_MIN_SEATS", "metricsTenantMinSeats"),
    METRICS_TENANTS("SEATGATE_METRICS_TENANTS", "metricsTenants"),
    /** Environment only (read by logback): TRACE, DEBUG, INFO, WARN, ERROR. */
    LOG_LEVEL("SEATGATE_LOG_LEVEL", null),
    /** Environment only (read by logback): text or json. */
    LOG_FORMAT("SEATGATE_LOG_FORMAT", null),
    /** Environment only (read by logback): INFO logs one event line per agent API request; OFF does not. */
    EVENT_LOG("SEATGATE_EVENT_LOG", null),
    /** File only: a mapping of type name to capabilities, unit monthly price and currency. */
    LICENSE_CATALOG(null, "licenseCatalog");

    private final String envName;
    private final String fileKey;

    Setting(String envName, String fileKey) {
        this.envName = envName;
        this.fileKey = fileKey;
    }

    /** The environment variable, or null for settings that only the config file can set. */
    public String envName() {
        return envName;
    }

    /** The key in the config file, or null for settings that only the environment can set. */
    public String fileKey() {
        return fileKey;
    }
}
