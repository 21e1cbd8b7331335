package dev.seatgate.redis;

import dev.seatgate.config.ConfigException;
import dev.seatgate.config.RedisUris;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.cluster.event.ClusterTopologyChangedEvent;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.metrics.MicrometerCommandLatencyRecorder;
import io.lettuce.core.metrics.MicrometerOptions;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's one connection to Redis (standalone, Sentinel-managed, or Cluster), shared by every
 * request: Lettuce multiplexes one connection across threads, and a pool would not help.
 *
 * <p>Options chosen on purpose:
 * <ul>
 *   <li>Every command times out after {@code SEATGATE_REDIS_TIMEOUT}; the request then fails with 503.</li>
 *   <li>While disconnected, commands are rejected at once rather than buffered: a login must not wait
 *       for a reconnect that may never come, and a buffered claim could run after its caller gave up.</li>
 *   <li>Commands in flight when a connection drops are not replayed on reconnect, for the same reason.
 *       (The claim script also refuses to run past its deadline, so even a replay could not claim.)</li>
 * </ul>
 * If Redis is down when the gateway starts, the gateway still starts, answers 503, and keeps trying.
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
    private final Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> pubSubOpener;
    private final String description;
    private volatile StatefulConnection<String, String> connection;
    private volatile RedisClusterAsyncCommands<String, String> commands;
    private volatile StatefulRedisPubSubConnection<String, String> pubSub;
    private volatile boolean closed;
    /** Why Redis is not used although it answers (credentials refused, or unfit); null when it is used. */
    private volatile String refusal;
    private int failedAttempts;
    /** Completes with the outcome of the first connection attempt. */
    private final CompletableFuture<Boolean> firstAttempt = new CompletableFuture<>();

    private RedisConnector(ClientResources resources, AbstractRedisClient client,
                           Supplier<CompletableFuture<? extends StatefulConnection<String, String>>> opener,
                           Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> pubSubOpener,
                           String description) {
        this.resources = resources;
        this.client = client;
        this.opener = opener;
        this.pubSubOpener = pubSubOpener;
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
        RedisConnector connector;
        if (uri.startsWith("redis-cluster://")) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, clusterUris(uri, timeout));
            cluster.setOptions(ClusterClientOptions.builder(clientOptions(timeout))
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enableAllAdaptiveRefreshTriggers()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            .build())
                    .build());
            // The async connect needs the slot map first (Lettuce refuses with "Partitions not initialized").
            connector = new RedisConnector(resources, cluster,
                    () -> cluster.refreshPartitionsAsync().toCompletableFuture()
                            .thenCompose(ignored -> cluster.connectAsync(StringCodec.UTF8)),
                    () -> cluster.refreshPartitionsAsync().toCompletableFuture()
                            .thenCompose(ignored -> cluster.connectPubSubAsync(StringCodec.UTF8)),
                    RedisUris.redact(uri));
        } else {
            RedisURI redisUri = parse(uri, timeout);
            RedisClient standalone = RedisClient.create(resources);
            standalone.setOptions(clientOptions(timeout));
            connector = new RedisConnector(resources, standalone,
                    () -> standalone.connectAsync(StringCodec.UTF8, redisUri).toCompletableFuture(),
                    () -> standalone.connectPubSubAsync(StringCodec.UTF8, redisUri).toCompletableFuture(), RedisUris.redact(uri));
        }
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
     * Waits up to {@code timeout} for the first connection attempt, so that a gateway starting next to a
     * healthy Redis does not answer its first requests with 503. Returns whether it connected.
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

    /**
     * Delivers every message published on {@code channel} to {@code onMessage}, on a Lettuce thread (keep
     * it short). Subscribes on a connection of its own, retried until it is up; Lettuce subscribes again
     * after a reconnect. Messages published while it is down are lost: users of this must not depend on
     * every message arriving.
     */
    public void subscribe(String channel, Consumer<String> onMessage) {
        pubSubOpener.get().whenComplete((established, failure) -> {
            if (failure != null) {
                if (!closed) {
                    resources.eventExecutorGroup().schedule(() -> subscribe(channel, onMessage),
                            CONNECT_RETRY.toMillis(), TimeUnit.MILLISECONDS);
                }
                return;
            }
            if (closed) {
                established.closeAsync();
                return;
            }
            established.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    if (channel.equals(from)) {
                        onMessage.accept(message);
                    }
                }
            });
            established.async().subscribe(channel);
            pubSub = established;
        });
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
            RedisURI master = cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(key)).getUri();
            return cluster.getConnectionAsync(master.getHost(), master.getPort())
                    .thenCompose(node -> node.async().waitForReplication(replicas, timeout.toMillis()));
        }
        return ((StatefulRedisConnection<String, String>) current).async().waitForReplication(replicas, timeout.toMillis());
    }

    /** Why Redis is refused right now (its credentials, or unfit for seatgate), if it is. */
    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }

    /**
     * {@code TIME} of every master that answers, by the master's address ({@code host:port}); a single Redis (or
     * Sentinel's master) answers under {@code ""}.
     */
    public CompletionStage<Map<String, List<String>>> timeOfEveryMaster() {
        StatefulConnection<String, String> current = connection;
        if (!(current instanceof StatefulRedisClusterConnection<String, String> cluster)) {
            return commands().time().thenApply(time -> Map.of("", time));
        }
        var times = new ConcurrentHashMap<String, List<String>>();
        return CompletableFuture.allOf(cluster.getPartitions().stream()
                .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM))
                .map(node -> cluster.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort())
                        .thenCompose(master -> master.async().time())
                        .thenAccept(time -> times.put(address(node.getUri()), time))
                        .exceptionally(down -> null)) // a master that is down keeps its last measurement
                .toArray(CompletableFuture[]::new)).thenApply(done -> Map.copyOf(times));
    }

    /** The address ({@code host:port}) of the master serving {@code key}; {@code ""} for a single Redis. */
    public String masterOf(String key) {
        StatefulConnection<String, String> current = connection;
        if (!(current instanceof StatefulRedisClusterConnection<String, String> cluster)) {
            return "";
        }
        RedisClusterNode master = cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
        return master == null ? "" : address(master.getUri());
    }

    private static String address(RedisURI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    /** Whether the connection is up right now (it may still drop the next moment). */
    public boolean isConnected() {
        StatefulConnection<String, String> current = connection;
        return current != null && current.isOpen();
    }

    private void connect() {
        opener.get().whenComplete((established, failure) -> {
            if (failure != null) {
                String reason = rootMessage(failure);
                if (RedisPreflight.isAuthenticationFailure(reason)) {
                    refusal = "Redis at " + description + " refused the credentials of SEATGATE_REDIS_URI (" + reason
                            + ")";
                }
                firstAttempt.complete(false);
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
                        .subscribe(changed -> connectToEveryMaster(clusterConnection));
                connectToEveryMaster(clusterConnection).whenComplete((ignored, nodeFailure) ->
                        check(established, clusterConnection.async()));
            } else {
                check(established, ((StatefulRedisConnection<String, String>) established).async());
            }
        });
    }

    /**
     * Asks every master for its INFO and uses the connection ({@code api}) only if {@link RedisPreflight}
     * finds nothing wrong; then again every {@link #RECHECK_FIT}, so a policy changed later is noticed.
     */
    private void check(StatefulConnection<String, String> established, RedisClusterAsyncCommands<String, String> api) {
        if (closed) {
            return;
        }
        infos(established).whenComplete((infos, failure) -> {
            Duration next = RECHECK_FIT;
            String problem = null;
            if (failure != null && RedisPreflight.isInfoForbidden(rootMessage(failure))) {
                if (commands == null) {
                    log.warn("Redis at {} does not let this user run INFO ({}): its maxmemory-policy cannot be"
                            + " checked; make sure it is noeviction", description, rootMessage(failure));
                }
                infos = List.of(); // nothing to judge: used as it is
                failure = null;
            }
            if (failure != null) {
                String reason = rootMessage(failure);
                if (RedisPreflight.isAuthenticationFailure(reason)) {
                    problem = "Redis at " + description + " refused the credentials of SEATGATE_REDIS_URI (" + reason
                            + ")";
                } else if (commands == null) {
                    next = CONNECT_RETRY; // not checked yet: Redis is still coming up, or the connection dropped
                }
            } else {
                problem = RedisPreflight.problem(description, infos).orElse(null);
            }
            if (problem != null) {
                if (!problem.equals(refusal)) {
                    log.error("{}; answering 503 until it is fixed", problem);
                }
                refusal = problem;
                firstAttempt.complete(false);
                next = RECHECK_REFUSED;
            } else if (failure == null) {
                boolean first = commands == null || refusal != null;
                refusal = null;
                commands = api;
                if (first) {
                    log.info("connected to Redis at {}", description);
                    firstAttempt.complete(true);
                }
            }
            resources.eventExecutorGroup().schedule(() -> check(established, api), next.toMillis(),
                    TimeUnit.MILLISECONDS);
        });
    }

    /**
     * INFO of the Redis, or of every master of a cluster that answers (a master that is down serves nobody
     * anyway, and must not keep the gateway from serving the tenants of the others); fails when none answers.
     */
    private static CompletableFuture<List<String>> infos(StatefulConnection<String, String> established) {
        if (established instanceof StatefulRedisClusterConnection<String, String> cluster) {
            CompletableFuture<String>[] masters = cluster.async().masters().commands().info().futures();
            return CompletableFuture.allOf(Stream.of(masters).map(master -> master.exceptionally(down -> null))
                    .toArray(CompletableFuture[]::new)).thenCompose(settled -> {
                        List<String> answered = Stream.of(masters).filter(master -> !master.isCompletedExceptionally())
                                .map(CompletableFuture::join).toList();
                        return answered.isEmpty() && masters.length > 0 ? masters[0].thenApply(List::of)
                                : CompletableFuture.completedFuture(answered);
                    });
        }
        return ((StatefulRedisConnection<String, String>) established).async().info().toCompletableFuture()
                .thenApply(List::of);
    }

    /**
     * Lettuce opens a cluster node's connection when the first command for it arrives, and with
     * REJECT_COMMANDS that command is refused while the connection is still being made: every tenant on a
     * node would get one 503. Opening them up front (and again when the topology changes) avoids it.
     */
    private static CompletableFuture<Void> connectToEveryMaster(StatefulRedisClusterConnection<String, String> cluster) {
        return CompletableFuture.allOf(cluster.getPartitions().stream()
                .filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM))
                .map(node -> cluster.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort())
                        .exceptionally(unreachable -> null))
                .toArray(CompletableFuture[]::new));
    }

    private static ClientOptions clientOptions(Duration timeout) {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS)
                .replayFilter(command -> true)
                .timeoutOptions(TimeoutOptions.enabled(timeout))
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(timeout)
                        .keepAlive(true)
                        .tcpNoDelay(true)
                        .build())
                .build();
    }

    private static RedisURI parse(String uri, Duration timeout) {
        try {
            RedisURI parsed = RedisURI.create(uri);
            parsed.setTimeout(timeout);
            return parsed;
        } catch (IllegalArgumentException e) {
            throw new ConfigException("SEATGATE_REDIS_URI: '" + RedisUris.redact(uri) + "' cannot be parsed: " + e.getMessage());
        }
    }

    /** {@code redis-cluster://[user:password@]host:port[,host:port...]} as one redis:// URI per seed node. */
    private static List<RedisURI> clusterUris(String uri, Duration timeout) {
        String rest = uri.substring("redis-cluster://".length());
        String userInfo = "";
        int at = rest.lastIndexOf('@');
        if (at >= 0) {
            userInfo = rest.substring(0, at + 1);
            rest = rest.substring(at + 1);
        }
        int slash = rest.indexOf('/');
        if (slash >= 0) {
            rest = rest.substring(0, slash);
        }
        var seeds = new ArrayList<RedisURI>();
        for (String hostPort : rest.split(",")) {
            seeds.add(parse("redis://" + userInfo + hostPort.trim(), timeout));
        }
        return seeds;
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.getClass().getSimpleName();
    }

    @Override
    public void close() {
        closed = true;
        StatefulConnection<String, String> current = connection;
        if (current != null) {
            current.close();
        }
        StatefulRedisPubSubConnection<String, String> subscriber = pubSub;
        if (subscriber != null) {
            subscriber.close();
        }
        client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
        resources.shutdown(0, 2, TimeUnit.SECONDS);
    }
}
