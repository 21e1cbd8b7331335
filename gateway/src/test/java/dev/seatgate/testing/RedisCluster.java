package dev.seatgate.testing;

import static java.util.stream.Collectors.joining;

import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.sync.RedisAdvancedClusterCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A Redis Cluster of real {@code redis-server} processes on loopback: {@code masters} nodes in cluster
 * mode, joined with {@code redis-cli --cluster create} (no replicas), ready once every node reports
 * {@code cluster_state:ok}.
 */
public final class RedisCluster implements AutoCloseable {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServer> nodes = new ArrayList<>();
    private RedisClusterClient client;
    private StatefulRedisClusterConnection<String, String> connection;

    private RedisCluster() {
    }

    public static RedisCluster start(int masters) {
        var cluster = new RedisCluster();
        try {
            for (int i = 0; i < masters; i++) {
                cluster.nodes.add(RedisServer.startOwn(true, "--cluster-enabled", "yes",
                        "--cluster-config-file", "nodes.conf", "--cluster-node-timeout", "2000"));
            }
            var create = new ArrayList<>(List.of(Tools.require("redis-cli", "redis-tools"), "--cluster", "create"));
            cluster.nodes.forEach(node -> create.add("127.0.0.1:" + node.port()));
            create.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
            Tools.Run created = Tools.run(create);
            if (created.exitCode() != 0) {
                throw new IllegalStateException("redis-cli --cluster create failed:\n" + created.output());
            }
            cluster.awaitReady();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    /** The URI a gateway is configured with: {@code redis-cluster://} and every node as a seed. */
    public String uri() {
        return "redis-cluster://" + nodes.stream().map(node -> "127.0.0.1:" + node.port()).collect(joining(","));
    }

    public List<RedisServer> nodes() {
        return nodes;
    }

    /** A cluster-aware connection for checking what the cluster holds. */
    public RedisAdvancedClusterCommands<String, String> sync() {
        if (connection == null) {
            client = RedisClusterClient.create(nodes.stream()
                    .map(node -> RedisURI.create("redis://127.0.0.1:" + node.port())).toList());
            connection = client.connect();
        }
        return connection.sync();
    }

    /** The port of the node that serves {@code key}'s slot. */
    public int portServing(String key) {
        int slot = SlotHash.getSlot(key);
        sync();
        return connection.getPartitions().getPartitionBySlot(slot).getUri().getPort();
    }

    private void awaitReady() {
        if (!Await.until(READY_TIMEOUT,
                () -> nodes.stream().allMatch(node -> node.sync().clusterInfo().contains("cluster_state:ok")))) {
            throw new IllegalStateException("the cluster did not reach cluster_state:ok within " + READY_TIMEOUT);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        nodes.forEach(RedisServer::close);
    }
}
