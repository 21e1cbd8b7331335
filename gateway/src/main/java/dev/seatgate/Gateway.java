package dev.seatgate;

import dev.seatgate.agents.AgentDirectory;
import dev.seatgate.agents.Authenticator;
import dev.seatgate.agents.CredentialCache;
import dev.seatgate.agents.LoginLockout;
import dev.seatgate.agents.PasswordHasher;
import dev.seatgate.campaigns.CampaignDirectory;
import dev.seatgate.config.ConfigException;
import dev.seatgate.config.GatewayConfig;
import dev.seatgate.config.TlsFiles;
import dev.seatgate.http.HttpServer;
import dev.seatgate.http.InFlight;
import dev.seatgate.http.Routes;
import dev.seatgate.licenses.BillingCycles;
import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.licenses.LicenseLedger;
import dev.seatgate.line.LineWaits;
import dev.seatgate.line.WaitingLine;
import dev.seatgate.live.LiveLeases;
import dev.seatgate.live.LiveSessions;
import dev.seatgate.metrics.GatewayMetrics;
import dev.seatgate.metrics.SeatGauges;
import dev.seatgate.redis.RedisClock;
import dev.seatgate.redis.RedisConnector;
import dev.seatgate.redis.ReplicatedWrites;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.seats.Admission;
import dev.seatgate.seats.EndReason;
import dev.seatgate.seats.LoginOutcome;
import dev.seatgate.seats.SeatLedger;
import dev.seatgate.seats.SessionEnds;
import dev.seatgate.standing.AccountStanding;
import dev.seatgate.standing.StandingTick;
import dev.seatgate.tenants.TenantDirectory;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running gateway: the Redis connection, the ledgers and directories on top of it, and the two HTTP
 * listeners. {@link Main} starts one per process; tests start several in one JVM.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gateway.class);
    /** How often the local estimate of Redis' clock is corrected. */
    private static final Duration CLOCK_SYNC_PERIOD = Duration.ofSeconds(5);
    /** How long a starting gateway waits for Redis before it opens its ports anyway (and answers 503). */
    private static final Duration STARTUP_REDIS_WAIT = Duration.ofSeconds(3);

    private final GatewayConfig config;
    private final GatewayMetrics metrics;
    private final RedisConnector redis;
    private final ReplicatedWrites replicatedWrites;
    private final PasswordHasher hasher;
    private final ScheduledExecutorService housekeeping;
    private final InFlight inFlight = new InFlight();
    private final HttpServer server;
    private final LiveSessions live;
    private final LineWaits lineWaits;
    private final AtomicBoolean closed = new AtomicBoolean();

    private Gateway(GatewayConfig config) {
        this.config = config;
        LicenseCatalog catalog = LicenseCatalog.fromConfig(config.licenseCatalog());
        this.metrics = new GatewayMetrics(catalog.names(), LoginOutcome.Kind.labels(), EndReason.metricNames());
        this.redis = RedisConnector.start(config.redisUri(), config.redisTimeout(), metrics.registry());
        metrics.redisConnection(redis::isConnected);
        if (!redis.awaitFirstAttempt(STARTUP_REDIS_WAIT)) {
            Optional<String> refused = redis.refusal();
            if (refused.isPresent()) {
                redis.close();
                throw new ConfigException(refused.get());
            }
            log.warn("Redis is not reachable yet; serving 503 until it is");
        }
        this.hasher = new PasswordHasher(config.hashing());
        this.housekeeping = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "seatgate-housekeeping");
            thread.setDaemon(true);
            return thread;
        });
        var scripts = new ScriptRunner(redis, config.clockOffset(), metrics::scriptLoaded);
        this.replicatedWrites = config.purchaseReplicas() == 0 ? ReplicatedWrites.masterOnly(scripts)
                : ReplicatedWrites.waitingFor(config.purchaseReplicas(), config.redisUri(), config.redisTimeout(),
                        config.clockOffset(), metrics::scriptLoaded);
        try {
            var clock = new RedisClock(redis, config.clockOffset());
            var tenants = new TenantDirectory(redis, scripts);
            SessionEnds sessionEnds = (reason, sessions) -> metrics.sessionsEnded(reason.metricName(), sessions);
            var agents = new AgentDirectory(redis, scripts, SeatLedger.SESSION_MEMORY,
                    revoked -> sessionEnds.ended(EndReason.REVOKED, revoked));
            var credentials = new CredentialCache(config.credentialCacheSize());
            redis.subscribe(CredentialCache.INVALIDATION_CHANNEL, credentials::onInvalidation);
            var lockout = new LoginLockout(scripts, config.lockout());
            var authenticator = new Authenticator(agents, hasher, credentials, lockout, metrics);
            var seats = new SeatLedger(scripts, clock, SeatLedger.Rules.of(config, catalog.names()), sessionEnds);
            var admission = new Admission(authenticator, lockout, seats);
            var licenses = new LicenseLedger(redis, scripts, replicatedWrites, clock, catalog, config.activationDelay());
            var billingCycles = new BillingCycles(redis, scripts, clock, tenants, catalog);
            String gatewayId = LiveSessions.newGatewayId();
            this.live = new LiveSessions(gatewayId,
                    new LiveLeases(scripts, gatewayId, config.leaseTtl(), config.reconnectGrace(), sessionEnds), clock,
                    (reason, latency) -> metrics.livePushed(reason.metricName(), latency));
            redis.subscribe(live.channel(), live::onEnd);
            housekeeping.scheduleWithFixedDelay(live::renewAll, config.heartbeatInterval().toMillis(),
                    config.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
            metrics.liveSockets(live::attached);
            var line = new WaitingLine(redis, scripts, gatewayId, config.leaseTtl(), config.resumeTtl(),
                    catalog.names(), sessionEnds);
            this.lineWaits = new LineWaits(gatewayId, line, clock, housekeeping, config.leaseTtl(),
                    metrics::queueWait);
            redis.subscribe(lineWaits.channel(), lineWaits::onNotice);
            lineWaits.start();
            var standing = new AccountStanding(redis, scripts, catalog.names(), sessionEnds);
            new StandingTick(standing, clock).start(housekeeping);

            housekeeping.scheduleWithFixedDelay(() -> ignoringOutage(clock::sync), 0,
                    CLOCK_SYNC_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
            billingCycles.start(housekeeping);
            new SeatGauges(metrics, redis, licenses, catalog, config.metricsTenantMinSeats(),
                    config.metricsTenants()).start(housekeeping, config.metricsRefresh());

            var routes = new Routes(config, catalog, tenants, agents, hasher, admission, seats, licenses, line,
                    lineWaits, new CampaignDirectory(scripts, catalog.names()), billingCycles, clock,
                    () -> scriptsLoaded(scripts), inFlight, metrics, standing);
            var agentApi = new HttpServer.Listener("agent API", config.agentBind(), config.agentPort(), routes.agent(),
                    List.of(routes.live(live)));
            var adminApi = new HttpServer.Listener("admin API", config.adminBind(), config.adminPort(), routes.admin());
            this.server = HttpServer.start(List.of(agentApi, adminApi),
                    new HttpServer.Options(config.idleTimeout(), config.httpLimits(),
                            config.tls().map(TlsFiles::serverContext)), inFlight);
            metrics.connectionsRefused(server::connectionsRefused);
            int maxConnections = config.httpLimits().maxConnections();
            metrics.openConnections("agent", () -> server.openConnections(agentApi), maxConnections);
            metrics.openConnections("admin", () -> server.openConnections(adminApi), maxConnections);
            metrics.hashingPool(hasher::queued, hasher::busy, config.hashing().threads());
        } catch (RuntimeException e) {
            housekeeping.shutdownNow();
            hasher.close();
            replicatedWrites.close();
            redis.close();
            throw e;
        }
    }

    public static Gateway start(GatewayConfig config) {
        var gateway = new Gateway(config);
        log.info("seatgate listening: agent API on {}:{}, admin API on {}:{}", config.agentBind(),
                gateway.agentPort(), config.adminBind(), gateway.adminPort());
        return gateway;
    }

    public int agentPort() {
        return server.port(0);
    }

    public int adminPort() {
        return server.port(1);
    }

    /**
     * Stops gracefully: stop accepting, let requests in flight finish (up to the shutdown grace), close
     * every connection, then close Redis. Closing again does nothing.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        inFlight.startDraining();
        server.stopAccepting();
        lineWaits.stop(); // long polls answer now with their position: their clients poll another gateway
        try {
            int left = inFlight.awaitIdle(config.shutdownGrace());
            if (left > 0) {
                log.warn("shutting down with {} requests still in flight after {}", left, config.shutdownGrace());
            }
            // Live sockets' sessions keep their seats for the reconnect grace: their softphones attach elsewhere.
            CompletableFuture.allOf(live.detachAll().stream().map(CompletionStage::toCompletableFuture)
                    .toArray(CompletableFuture[]::new)).get(config.redisTimeout().toMillis() * 2, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            log.warn("live sessions not detached at shutdown ({}); they lapse within one lease TTL", e.toString());
        }
        server.close();
        housekeeping.shutdownNow();
        hasher.close();
        replicatedWrites.close();
        redis.close();
        log.info("seatgate stopped");
    }

    /** The readiness check: Redis answers and holds the script library (loaded again if it lost it). */
    private static CompletionStage<Void> scriptsLoaded(ScriptRunner scripts) {
        return scripts.loaded().thenCompose(loaded -> loaded ? CompletableFuture.completedFuture(null) : scripts.load());
    }

    /** Runs background Redis work that may fail while Redis is away; the next run tries again. */
    private static void ignoringOutage(Supplier<CompletionStage<Void>> work) {
        try {
            work.get().exceptionally(failure -> null);
        } catch (RuntimeException notConnected) {
            // not connected yet
        }
    }
}
