package dev.seatgate.redis;

import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.models.partitions.RedisClusterNode;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * What {@link RedisConnector} does with each master of a Redis Cluster: open their connections, ask each one,
 * find the one serving a key. A master is named by its address, {@code host:port}.
 */
final class ClusterMasters {

    private ClusterMasters() {
    }

    /**
     * Opens a connection to every master. Lettuce opens a node's connection when the first command for it
     * arrives, and with REJECT_COMMANDS that command is refused while the connection is still being made:
     * every tenant on a node would get one 503. Opening them up front (and again when the topology changes)
     * avoids it. A master that cannot be reached is left for later.
     */
    static CompletableFuture<Void> connectToEvery(StatefulRedisClusterConnection<String, String> cluster) {
        return CompletableFuture.allOf(masters(cluster)
                .map(node -> cluster.getConnectionAsync(node.getUri().getHost(), node.getUri().getPort())
                        .exceptionally(unreachable -> null))
                .toArray(CompletableFuture[]::new));
    }

    /**
     * What {@code ask} answers on every master that answers, by address: a master that is down is left out (it
     * serves nobody anyway, and must not keep the others' tenants from being served). Fails, as the first one
     * did, when none answers.
     */
    static <T> CompletableFuture<Map<String, T>> askEvery(StatefulRedisClusterConnection<String, String> cluster,
            Function<StatefulRedisConnection<String, String>, CompletableFuture<T>> ask) {
        var answers = new ConcurrentHashMap<String, T>();
        var firstFailure = new AtomicReference<Throwable>();
        return CompletableFuture.allOf(masters(cluster)
                .map(node -> connection(cluster, node.getUri())
                        .thenCompose(ask)
                        .thenAccept(answer -> answers.put(address(node.getUri()), answer))
                        .exceptionally(down -> {
                            firstFailure.compareAndSet(null, down);
                            return null;
                        }))
                .toArray(CompletableFuture[]::new)).thenCompose(done -> answers.isEmpty() && firstFailure.get() != null
                        ? CompletableFuture.failedFuture(firstFailure.get())
                        : CompletableFuture.completedFuture(Map.copyOf(answers)));
    }

    /** The master serving {@code key}, or null while the slot map does not know it. */
    static RedisURI servingKey(StatefulRedisClusterConnection<String, String> cluster, String key) {
        RedisClusterNode master = cluster.getPartitions().getPartitionBySlot(SlotHash.getSlot(key));
        return master == null ? null : master.getUri();
    }

    static CompletableFuture<StatefulRedisConnection<String, String>> connection(
            StatefulRedisClusterConnection<String, String> cluster, RedisURI master) {
        return cluster.getConnectionAsync(master.getHost(), master.getPort()).toCompletableFuture();
    }

    static String address(RedisURI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }

    private static Stream<RedisClusterNode> masters(StatefulRedisClusterConnection<String, String> cluster) {
        return cluster.getPartitions().stream().filter(node -> node.is(RedisClusterNode.NodeFlag.UPSTREAM));
    }
}
