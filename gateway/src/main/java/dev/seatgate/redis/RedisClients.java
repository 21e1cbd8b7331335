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
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The Lettuce client for a {@code SEATGATE_REDIS_URI} (standalone, Sentinel or {@code redis-cluster://}), with the
 * options {@link RedisConnector} relies on, and how to open its connections.
 */
final class RedisClients {

    /** A client, and how to open its command connection and its pub/sub connection. */
    record Opened(AbstractRedisClient client,
                  Supplier<CompletableFuture<? extends StatefulConnection<String, String>>> opener,
                  Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> pubSubOpener) {
    }

    private RedisClients() {
    }

    /** @throws ConfigException when the URI cannot be parsed */
    static Opened open(String uri, Duration timeout, ClientResources resources) {
        if (uri.startsWith("redis-cluster://")) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, clusterUris(uri, timeout));
            cluster.setOptions(ClusterClientOptions.builder(clientOptions(timeout))
                    // Every adaptive trigger (MOVED, ASK, reconnects, unknown nodes) is on by default since
                    // Lettuce 7; the periodic refresh also finds a failover no command has run into yet.
                    .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                            .enablePeriodicRefresh(Duration.ofSeconds(30))
                            .build())
                    .build());
            // The async connect needs the slot map first (Lettuce refuses with "Partitions not initialized").
            return new Opened(cluster,
                    () -> cluster.refreshPartitionsAsync().toCompletableFuture()
                            .thenCompose(ignored -> cluster.connectAsync(StringCodec.UTF8)),
                    () -> cluster.refreshPartitionsAsync().toCompletableFuture()
                            .thenCompose(ignored -> cluster.connectPubSubAsync(StringCodec.UTF8)));
        }
        RedisURI redisUri = parse(uri, timeout);
        RedisClient standalone = RedisClient.create(resources);
        standalone.setOptions(clientOptions(timeout));
        return new Opened(standalone,
                () -> standalone.connectAsync(StringCodec.UTF8, redisUri).toCompletableFuture(),
                () -> standalone.connectPubSubAsync(StringCodec.UTF8, redisUri).toCompletableFuture());
    }

    /**
     * Options chosen on purpose:
     * <ul>
     *   <li>Every command times out after {@code SEATGATE_REDIS_TIMEOUT}; the request then fails with 503.</li>
     *   <li>While disconnected, commands are rejected at once rather than buffered: a login must not wait
     *       for a reconnect that may never come, and a buffered claim could run after its caller gave up.</li>
     *   <li>Commands in flight when a connection drops are not replayed on reconnect, for the same reason.
     *       (The claim script also refuses to run past its deadline, so even a replay could not claim.)</li>
     * </ul>
     */
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
}
