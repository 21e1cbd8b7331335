package dev.seatgate.metrics;

import static dev.seatgate.metrics.MetricNames.KIND;
import static dev.seatgate.metrics.MetricNames.LICENSE_TYPE;
import static dev.seatgate.metrics.MetricNames.OPERATION;
import static dev.seatgate.metrics.MetricNames.OUTCOME;
import static dev.seatgate.metrics.MetricNames.REASON;
import static dev.seatgate.metrics.MetricNames.RESULT;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The gateway's meters, on one Prometheus registry that {@code GET /metrics} scrapes. Counters of outcomes
 * are registered up front for every label combination, so that a rate over a series that has not moved yet
 * is 0 rather than absent (alerts and dashboards need no {@code or vector(0)}).
 */
public final class GatewayMetrics {

    /** The timed agent API operations. */
    public static final List<String> OPERATIONS = List.of("login", "heartbeat", "logout", "queue_wait", "queue_cancel");
    /** Why Redis failed us. */
    public static final List<String> REDIS_ERROR_KINDS = List.of("timeout", "connection", "server", "out_of_memory",
            "not_replicated");

    private final PrometheusMeterRegistry registry;
    private final ConcurrentMap<String, Counter> logins = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> durations = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> ended = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> redisErrors = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> livePushes = new ConcurrentHashMap<>();
    private final Timer pushLatency;
    private final ConcurrentMap<String, Timer> queueWaits = new ConcurrentHashMap<>();
    private final Counter cacheHits;
    private final Counter hashed;
    private final Counter scriptLoads;

    /**
     * The label values are registered up front; each list is read from the one place that defines it.
     *
     * @param licenseTypes  the catalog's types
     * @param loginOutcomes every way a login can end ({@code LoginOutcome.Kind})
     * @param endReasons    every reason a session ends ({@code EndReason})
     */
    public GatewayMetrics(Collection<String> licenseTypes, List<String> loginOutcomes, List<String> endReasons) {
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // One namespace for everything this process exports: JVM, process and Lettuce meters too.
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                if (id.getName().startsWith(MetricNames.PREFIX)) {
                    return id;
                }
                if (id.getName().startsWith("lettuce.")) {
                    return id.withName(MetricNames.REDIS_COMMAND_PREFIX + id.getName().substring("lettuce.".length()));
                }
                return id.withName(MetricNames.PREFIX + id.getName());
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        for (String type : licenseTypes) {
            loginOutcomes.forEach(outcome -> login(type, outcome, false));
        }
        loginOutcomes.forEach(outcome -> login(MetricNames.UNKNOWN_TYPE, outcome, false));
        OPERATIONS.forEach(this::timer);
        endReasons.forEach(reason -> sessionsEnded(reason, 0));
        endReasons.forEach(this::livePushCounter);
        this.pushLatency = Timer.builder(MetricNames.LIVE_PUSH_LATENCY)
                .description("from a session's end (Redis' clock) to its push on a live socket")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry);
        licenseTypes.forEach(this::queueWaitTimer);
        REDIS_ERROR_KINDS.forEach(kind -> redisError(kind, false));
        this.cacheHits = Counter.builder(MetricNames.CREDENTIAL_CHECKS).tag(RESULT, "cache_hit")
                .description("Password checks answered by the credential cache").register(registry);
        this.hashed = Counter.builder(MetricNames.CREDENTIAL_CHECKS).tag(RESULT, "hashed")
                .description("Password checks that computed the slow hash").register(registry);
        this.scriptLoads = Counter.builder(MetricNames.REDIS_SCRIPT_LOADS)
                .description("loads of the script library into Redis (FUNCTION LOAD)").register(registry);
    }

    public MeterRegistry registry() {
        return registry;
    }

    /** The Prometheus text exposition of every meter. */
    public String scrape() {
        return registry.scrape();
    }

    public void login(String licenseType, String outcome) {
        login(licenseType, outcome, true);
    }

    private void login(String licenseType, String outcome, boolean count) {
        Counter counter = logins.computeIfAbsent(licenseType + "/" + outcome, key -> Counter.builder(MetricNames.LOGINS)
                .tag(LICENSE_TYPE, licenseType).tag(OUTCOME, outcome)
                .description("Logins by license type and outcome").register(registry));
        if (count) {
            counter.increment();
        }
    }

    /** Records how long an agent API request took. */
    public void requestDuration(String operation, long nanos) {
        timer(operation).record(Duration.ofNanos(nanos));
    }

    private Timer timer(String operation) {
        return durations.computeIfAbsent(operation, key -> Timer.builder(MetricNames.REQUEST_DURATION)
                .tag(OPERATION, operation)
                .description("Agent API request latency")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1))
                .maximumExpectedValue(Duration.ofSeconds(10))
                .register(registry));
    }

    /** Counts sessions this gateway's scripts ended. */
    public void sessionsEnded(String reason, long count) {
        Counter counter = ended.computeIfAbsent(reason, key -> Counter.builder(MetricNames.SESSIONS_ENDED)
                .tag(REASON, reason).description("Sessions ended, by reason").register(registry));
        if (count > 0) {
            counter.increment(count);
        }
    }

    public void redisError(String kind) {
        redisError(kind, true);
    }

    private void redisError(String kind, boolean count) {
        Counter counter = redisErrors.computeIfAbsent(kind, key -> Counter.builder(MetricNames.REDIS_ERRORS)
                .tag(KIND, kind).description("Work that failed because of Redis").register(registry));
        if (count) {
            counter.increment();
        }
    }

    public void credentialCheck(boolean cacheHit) {
        (cacheHit ? cacheHits : hashed).increment();
    }

    public void scriptLoaded() {
        scriptLoads.increment();
    }

    /** Exports the count of connections the HTTP listeners refused, as {@code refused} reads it. */
    public void connectionsRefused(LongSupplier refused) {
        FunctionCounter.builder(MetricNames.HTTP_CONNECTIONS_REFUSED, refused, LongSupplier::getAsLong)
                .description("connections closed at once because their listener was full").register(registry);
    }

    /**
     * Exports how many connections one listener holds open, as {@code open} reads it, beside its limit: the
     * two together say how close the listener is to refusing connections.
     *
     * @param listener the {@link MetricNames#LISTENER} label: {@code agent} or {@code admin}
     */
    public void openConnections(String listener, IntSupplier open, int limit) {
        Gauge.builder(MetricNames.HTTP_CONNECTIONS_OPEN, open::getAsInt).tag(MetricNames.LISTENER, listener)
                .description("connections the listener holds open").register(registry);
        Gauge.builder(MetricNames.HTTP_CONNECTIONS_LIMIT, () -> limit).tag(MetricNames.LISTENER, listener)
                .description("the most connections the listener holds; more are refused").register(registry);
    }

    /**
     * Exports the hashing pool: checks waiting for a thread ({@code queued}), threads hashing now ({@code busy}),
     * and how many threads there are. Busy near the thread count with checks queued is a saturated pool.
     */
    public void hashingPool(IntSupplier queued, IntSupplier busy, int threads) {
        Gauge.builder(MetricNames.HASHING_QUEUED, queued::getAsInt)
                .description("password checks waiting for a hashing thread").register(registry);
        Gauge.builder(MetricNames.HASHING_BUSY, busy::getAsInt)
                .description("hashing threads computing a hash now").register(registry);
        Gauge.builder(MetricNames.HASHING_THREADS, () -> threads)
                .description("hashing threads of this gateway").register(registry);
    }

    /** Exports how many live sockets hold a session, as {@code attached} reads it. */
    public void liveSockets(IntSupplier attached) {
        Gauge.builder(MetricNames.LIVE_SOCKETS, attached::getAsInt)
                .description("live sockets holding a session on this gateway").register(registry);
    }

    /** Counts an end pushed to a live socket and, when known, how long after the end it went out. */
    public void livePushed(String reason, Optional<Duration> latency) {
        livePushCounter(reason).increment();
        latency.ifPresent(pushLatency::record);
    }

    private Counter livePushCounter(String reason) {
        return livePushes.computeIfAbsent(reason, key -> Counter.builder(MetricNames.LIVE_PUSHES).tag(REASON, reason)
                .description("session ends pushed to live sockets, by reason").register(registry));
    }

    /** Records how long a ticket of the type waited in line, from joining it to the seat's hand-over. */
    public void queueWait(String licenseType, Duration waited) {
        queueWaitTimer(licenseType).record(waited);
    }

    private Timer queueWaitTimer(String licenseType) {
        return queueWaits.computeIfAbsent(licenseType, key -> Timer.builder(MetricNames.QUEUE_WAIT)
                .tag(LICENSE_TYPE, licenseType)
                .description("how long admitted tickets waited in line, from joining it to the seat's hand-over")
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofHours(1))
                .register(registry));
    }

    /** Exports 1 while {@code connected} says so. */
    public void redisConnection(BooleanSupplier connected) {
        Gauge.builder(MetricNames.REDIS_CONNECTED, () -> connected.getAsBoolean() ? 1 : 0)
                .description("1 while the Redis connection is up").register(registry);
    }
}
