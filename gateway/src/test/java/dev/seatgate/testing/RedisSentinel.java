package dev.seatgate.testing;

import io.lettuce.core.RedisClient;
import io.lettuce.core.sentinel.api.StatefulRedisSentinelConnection;
import io.lettuce.core.sentinel.api.sync.RedisSentinelCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sentinel-managed Redis on loopback: a master and a replica (both with AOF) and one {@code redis-sentinel}
 * (quorum 1) that declares the master down after one second without answers and then promotes the replica.
 */
public final class RedisSentinel implements AutoCloseable {

    public static final String MASTER_NAME = "seatgate";
    private static final Duration DOWN_AFTER = Duration.ofSeconds(1);

    private final RedisServer master;
    private final RedisServer replica;
    private final Path dir;
    private final int port;
    private final Process sentinel;
    private RedisClient client;
    private StatefulRedisSentinelConnection<String, String> connection;

    private RedisSentinel(RedisServer master, RedisServer replica, Path dir, int port, Process sentinel) {
        this.master = master;
        this.replica = replica;
        this.dir = dir;
        this.port = port;
        this.sentinel = sentinel;
    }

    public static RedisSentinel start() {
        RedisServer master = RedisServer.startOwn(true);
        RedisServer replica = RedisServer.startOwn(true, "--replicaof", "127.0.0.1", Integer.toString(master.port()));
        try {
            Path dir = Files.createTempDirectory("seatgate-sentinel-");
            int port = RedisServer.freePort();
            Path config = dir.resolve("sentinel.conf");
            Files.writeString(config, String.join("\n",
                    "port " + port,
                    "bind 127.0.0.1",
                    "dir " + dir,
                    "logfile " + dir.resolve("sentinel.log"),
                    "sentinel monitor " + MASTER_NAME + " 127.0.0.1 " + master.port() + " 1",
                    "sentinel down-after-milliseconds " + MASTER_NAME + " " + DOWN_AFTER.toMillis(),
                    "sentinel failover-timeout " + MASTER_NAME + " 10000",
                    ""));
            Process process = new ProcessBuilder(List.of(Tools.require("redis-server", "redis-server"),
                    config.toString(), "--sentinel")).redirectErrorStream(true)
                    .redirectOutput(dir.resolve("stdout.log").toFile()).start();
            var group = new RedisSentinel(master, replica, dir, port, process);
            group.awaitReplicaInSync();
            return group;
        } catch (IOException e) {
            master.close();
            replica.close();
            throw new UncheckedIOException(e);
        }
    }

    /** The URI a gateway is configured with, as API.md spells it. */
    public String uri() {
        return "redis-sentinel://127.0.0.1:" + port + "/?sentinelMasterId=" + MASTER_NAME;
    }

    public RedisServer master() {
        return master;
    }

    public RedisServer replica() {
        return replica;
    }

    /** The port of the server the sentinel currently names as master. */
    public int masterPort() {
        return ((InetSocketAddress) sentinelCommands().getMasterAddrByName(MASTER_NAME)).getPort();
    }

    private RedisSentinelCommands<String, String> sentinelCommands() {
        if (connection == null) {
            client = RedisClient.create("redis://127.0.0.1:" + port);
            connection = client.connectSentinel();
        }
        return connection.sync();
    }

    /** Waits until the sentinel knows the replica and the replica has caught up with the master. */
    private void awaitReplicaInSync() {
        if (!Await.until(Duration.ofSeconds(20),
                () -> replica.sync().info("replication").contains("master_link_status:up")
                        && sentinelCommands().info("sentinel").contains("slaves=1"))) {
            throw new IllegalStateException("the sentinel group did not come up; see " + dir);
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        sentinel.destroyForcibly();
        try {
            sentinel.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        master.close();
        replica.close();
    }
}
