package dev.seatgate.redis;

import dev.seatgate.config.ConfigException;
import dev.seatgate.config.RedisUris;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one connection to Redis (standalone, Sentinel-managed, or Cluster), shared by every
 * request: Lettuce multiplexes one connection across threads, and a pool would not help.
 *
 * <p>Commands time out, and are neither buffered while disconnected nor replayed after ({@link RedisClients}
 * says why). If Redis is down when the gateway starts, the gateway still starts, answers 503, and keeps trying.
 *
 * <p>A Redis that answers is used only once {@link RedisPreflight} finds it fit (version 7 or later,
 * {@code maxmemory-policy noeviction}), checked again every half minute; a Redis that refuses the URI's
 * credentials, or is unfit, is {@linkplain #refusal() refused} with one line that says why: the gateway does
 * not start, or, when it happens later, answers 503 until it is fixed.
 */
public final class RedisConnector implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisConnector.class);
    /** How long to wait between attempts while the first connection cannot be made. */
    private static final Duration CONNECT_RETRY = Duration.ofSeconds(1);
    /** While Redis stays away, one warning per this many failed attempts (about one a minute). */
    private static final int WARN_EVERY_ATTEMPTS = 60;
    /** How often a connected Redis is checked again, and a refused one while it stays refused. */
    private static final Duration RECHECK_FIT = Duration.ofSeconds(30);
    private static final Duration RECHECK_REFUSED = Duration.ofSeconds(5);

    /**
     * Reconnect attempts back off from 10 ms to at most 1 s (Lettuce's default grows to 30 s): after an
     * outage or a failover, logins come back within a second of Redis.
     */
    private static final Delay RECONNECT_DELAY = Delay.exponential(Duration.ofMillis(10), Duration.ofSeconds(1), 2,
            TimeUnit.MILLISECONDS);

    private final ClientResources resources;
    private final AbstractRedisClient client;
    private final Supplier<CompletableFuture<? extends StatefulConnection<String, String>>> opener;
    private final RedisSubscriptions subscriptions;
    private final String description;
    private volatile StatefulConnection<String, String> connection;
    private volatile RedisClusterAsyncCommands<String, String> commands;
    private volatile boolean closed;
    /** Why Redis is not used although it answers (credentials refused, or unfit); null when it is used. */
    private volatile String refusal;
    private int failedAttempts;
    /**
     * Completes when Redis first answers (true) or first refuses us (false). An attempt that merely fails (not up yet,
     * a connection cut during the handshake) leaves it open: the retry a second later may settle it.
     */
    private final CompletableFuture<Boolean> firstAttempt = new CompletableFuture<>();

    private RedisConnector(ClientResources resources, AbstractRedisClient client,
                           Supplier<CompletableFuture<? extends StatefulConnection<String, String>>> opener,
                           Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> pubSubOpener,
                           String description) {
        this.resources = resources;
        this.client = client;
        this.opener = opener;
        this.subscriptions = new RedisSubscriptions(pubSubOpener, resources, CONNECT_RETRY);
        this.description = description;
    }

    /**
     * Starts connecting and returns at once; {@link #commands()} throws {@link RedisUnavailableException}
     * until the first connection is up.
     *
     * @throws ConfigException when the URI cannot be parsed
     */
    public static RedisConnector start(String uri, Duration timeout) {
        return start(uri, timeout, DefaultClientResources.builder().reconnectDelay(RECONNECT_DELAY).build());
    }

    /** The same, recording every command's latency in {@code registry} (Lettuce's Micrometer recorder). */
    public static RedisConnector start(String uri, Duration timeout, MeterRegistry registry) {
        return start(uri, timeout, DefaultClientResources.builder()
                .reconnectDelay(RECONNECT_DELAY)
                .commandLatencyRecorder(new MicrometerCommandLatencyRecorder(registry, MicrometerOptions.create()))
                .build());
    }

    private static RedisConnector start(String uri, Duration timeout, ClientResources resources) {
        RedisClients.Opened opened = RedisClients.open(uri, timeout, resources);
        var connector = new RedisConnector(resources, opened.client(), opened.opener(), opened.pubSubOpener(),
                RedisUris.redact(uri));
        connector.connect();
        return connector;
    }

    /** The async command API, valid for standalone, Sentinel and Cluster connections alike. */
    public RedisClusterAsyncCommands<String, String> commands() {
        String refused = refusal;
        if (refused != null) {
            throw new RedisUnavailableException(refused);
        }
        RedisClusterAsyncCommands<String, String> current = commands;
        if (current == null) {
            throw new RedisUnavailableException("not connected to Redis at " + description + " yet");
        }
        return current;
    }

    /**
     * Waits up to {@code timeout} for Redis to answer or refuse, so that a gateway starting next to a healthy Redis does
     * not answer its first requests with 503, and one given wrong credentials says so at once even when its first
     * attempt failed for another reason. Returns whether it connected.
     */
    public boolean awaitFirstAttempt(Duration timeout) {
        try {
            return firstAttempt.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            return false;
        }
    }

    /** Delivers every message published on {@code channel} to {@code onMessage} ({@link RedisSubscriptions}). */
    public void subscribe(String channel, Consumer<String> onMessage) {
        subscriptions.subscribe(channel, onMessage);
    }

    /**
     * {@code WAIT replicas timeout} on the connection that wrote {@code key} (on a cluster, the connection to
     * the master serving its slot): completes with how many replicas acknowledged every write made on that
     * connection so far. WAIT holds its connection until then, so call it only on a connector of its own.
     */
    public CompletionStage<Long> waitForReplicas(String key, int replicas, Duration timeout) {
        StatefulConnection<String, String> current = connection;
        if (current == null) {
            return CompletableFuture.failedStage(new RedisUnavailableException("not connected to Redis at " + description));
        }
        if (current instanceof StatefulRedisClusterConnection<String, String> cluster) {
            return ClusterMasters.connection(cluster, ClusterMasters.servingKey(cluster, key))
                    .thenCompose(node -> node.async().waitForReplication(replicas, timeout.toMillis()));
        }
        return ((StatefulRedisConnection<String, String>) current).async().waitForReplication(replicas, timeout.toMillis());
    }

    /** Why Redis is refused right now (its credentials, or unfit for seatgate), if it is. */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /**
     * What {@code ask} answers on every master that answers, by the master's address ({@code host:port}); a single
     * Redis (or Sentinel's master) answers under {@code ""}. Fails when none answers. Answers must not be null.
     */
    public <T> CompletionStage<Map<String, T>> askEveryMaster(
            Function<RedisClusterAsyncCommands<String, String>, CompletionStage<T>> ask) {
        StatefulConnection<String, String> current = connection;
        if (!(current instanceof StatefulRedisClusterConnection<String, String> cluster)) {
            return ask.apply(commands()).thenApply(answer -> Map.of("", answer));
        }
        return ClusterMasters.askEvery(cluster, master -> ask.apply(master.async()).toCompletableFuture());
    }

    /** The address ({@code host:port}) of the master serving {@code key}; {@code ""} for a single Redis. */
    public String masterOf(String key) {
        StatefulConnection<String, String> current = connection;
        if (!(current instanceof StatefulRedisClusterConnection<String, String> cluster)) {
            return "";
        }
        RedisURI master = ClusterMasters.servingKey(cluster, key);
        return master == null ? "" : ClusterMasters.address(master);
    }

    /** Whether the connection is up right now (it may still drop the next moment). */
    public boolean isConnected() {
        StatefulConnection<String, String> current = connection;
        return current != null && current.isOpen();
    }

    private void connect() {
        opener.get().whenComplete((established, failure) -> {
            if (failure != null) {
                String reason = RedisPreflight.rootMessage(failure);
                if (RedisPreflight.isAuthenticationFailure(reason)) {
                    refusal = "Redis at " + description + " refused the credentials of SEATGATE_REDIS_URI (" + reason
                            + ")";
                    firstAttempt.complete(false);
                }
                if (!closed) {
                    if (failedAttempts++ % WARN_EVERY_ATTEMPTS == 0) {
                        log.warn("cannot connect to Redis at {} ({}); retrying every {}s", description, reason,
                                CONNECT_RETRY.toSeconds());
                    }
                    resources.eventExecutorGroup().schedule(this::connect, CONNECT_RETRY.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
                return;
            }
            if (closed) {
                established.closeAsync();
                return;
            }
            connection = established;
            if (established instanceof StatefulRedisClusterConnection<String, String> clusterConnection) {
                resources.eventBus().get().filter(ClusterTopologyChangedEvent.class::isInstance)
                        .subscribe(changed -> ClusterMasters.connectToEvery(clusterConnection));
                ClusterMasters.connectToEvery(clusterConnection).whenComplete((ignored, nodeFailure) ->
                        check(established, clusterConnection.async()));
            } else {
                check(established, ((StatefulRedisConnection<String, String>) established).async());
            }
        });
    }

    /**
     * Uses the connection ({@code api}) only once {@link RedisPreflight} finds the Redis fit; checks again every
     * {@link #RECHECK_FIT}, so a policy changed later is noticed, and every {@link #RECHECK_REFUSED} while refused.
     */
    private void check(StatefulConnection<String, String> established, RedisClusterAsyncCommands<String, String> api) {
        if (closed) {
            return;
        }
        RedisPreflight.judge(established, description).thenAccept(verdict -> {
            Duration next = RECHECK_FIT;
            if (verdict instanceof RedisPreflight.Verdict.Unfit unfit) {
                if (!unfit.problem().equals(refusal)) {
                    log.error("{}; answering 503 until it is fixed", unfit.problem());
                }
                refusal = unfit.problem();
                firstAttempt.complete(false);
                next = RECHECK_REFUSED;
            } else if (verdict instanceof RedisPreflight.Verdict.Fit fit) {
                boolean first = commands == null || refusal != null;
                refusal = null;
                commands = api;
                if (first) {
                    fit.warning().ifPresent(log::warn);
                    log.info("connected to Redis at {}", description);
                    firstAttempt.complete(true);
                }
            } else if (commands == null) {
                next = CONNECT_RETRY; // unanswered and not checked yet: Redis is coming up, or the connection dropped
            }
            resources.eventExecutorGroup().schedule(() -> check(established, api), next.toMillis(),
                    TimeUnit.MILLISECONDS);
        });
    }

    @Override
    public void close() {
        closed = true;
        StatefulConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        subscriptions.close();
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
