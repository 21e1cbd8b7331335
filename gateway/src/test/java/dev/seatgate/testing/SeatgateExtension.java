package dev.seatgate.testing;

import dev.seatgate.Gateway;
import dev.seatgate.config.ConfigLoader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts a real {@code redis-server} for a test class and real gateways (Netty and Lettuce, in this JVM, on
 * free ports) on top of it. Gateways started in {@code @BeforeAll} live for the class; those started in a
 * test are closed after it. Register it as a static field:
 *
 * <pre>{@code @RegisterExtension static final SeatgateExtension seatgate = new SeatgateExtension();}</pre>
 *
 * Tests whose gateways live at another time ({@code SEATGATE_CLOCK_OFFSET}) need a Redis of their own,
 * since all gateways on one Redis must share the offset: {@link #perTest()} starts one for each test.
 * {@link #onCluster(int)} and {@link #perTestOnSentinel()} put the gateways on a Redis Cluster or on
 * Sentinel-managed Redis instead.
 */
public final class SeatgateExtension implements BeforeAllCallback, BeforeEachCallback, AfterEachCallback,
        AfterAllCallback {

    /** The admin token every test gateway is configured with. */
    public static final String ADMIN_TOKEN = "test-admin-token-0123456789";
    private static final AtomicInteger TENANTS = new AtomicInteger();

    private final boolean appendOnly;
    private final boolean redisPerTest;
    private final int clusterMasters;
    private final boolean sentinelManaged;
    private RedisServer redis;
    private RedisCluster cluster;
    private RedisSentinel sentinel;
    private final List<Gateway> classGateways = new ArrayList<>();
    private final List<Gateway> testGateways = new ArrayList<>();
    private boolean inTest;

    public SeatgateExtension() {
        this(false, false, 0, false);
    }

    private SeatgateExtension(boolean appendOnly, boolean redisPerTest, int clusterMasters, boolean sentinelManaged) {
        this.appendOnly = appendOnly;
        this.redisPerTest = redisPerTest;
        this.clusterMasters = clusterMasters;
        this.sentinelManaged = sentinelManaged;
    }

    /** A Redis with its AOF on ({@code appendfsync always}), for tests that restart it. */
    public static SeatgateExtension withAppendOnlyFile() {
        return new SeatgateExtension(true, false, 0, false);
    }

    /** A Redis Cluster of {@code masters} nodes for the class instead of one Redis. */
    public static SeatgateExtension onCluster(int masters) {
        return new SeatgateExtension(true, false, masters, false);
    }

    /** A fresh Redis (with AOF) for every test, stopped after it. */
    public static SeatgateExtension perTest() {
        return new SeatgateExtension(true, true, 0, false);
    }

    /** A master, a replica and a sentinel for every test (failovers change them), stopped after it. */
    public static SeatgateExtension perTestOnSentinel() {
        return new SeatgateExtension(true, true, 0, true);
    }

    public RedisServer redis() {
        if (redis == null) {
            throw new IllegalStateException("this extension runs a Redis Cluster or Sentinel: use cluster() or sentinel()");
        }
        return redis;
    }

    public RedisCluster cluster() {
        return cluster;
    }

    public RedisSentinel sentinel() {
        return sentinel;
    }

    /**
     * Starts a gateway on this Redis. Settings are environment-style pairs that override the test defaults:
     * {@code startGateway("SEATGATE_LEASE_TTL", "PT2S")}.
     */
    public Gateway startGateway(String... settings) {
        Map<String, String> env = new HashMap<>(Map.of(
                "SEATGATE_REDIS_URI", redisUri(),
                "SEATGATE_AGENT_PORT", "0",
                "SEATGATE_ADMIN_PORT", "0",
                "SEATGATE_ADMIN_TOKEN", ADMIN_TOKEN,
                "SEATGATE_ACTIVATION_DELAY", "PT0S",
                "SEATGATE_PASSWORD_MEMORY_KIB", "64",
                "SEATGATE_PASSWORD_PASSES", "1"));
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        Gateway gateway = Gateway.start(ConfigLoader.load(List.of(), env));
        (inTest ? testGateways : classGateways).add(gateway);
        return gateway;
    }

    private String redisUri() {
        return cluster != null ? cluster.uri() : sentinel != null ? sentinel.uri() : redis.uri();
    }

    /** Settings for {@link #startGateway}, a list with more pairs added. */
    public static String[] settings(String[] base, String... more) {
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    /** A tenant id no other test uses, so tests can share one Redis. */
    public static String newTenantId() {
        return "t" + TENANTS.incrementAndGet() + "-" + Long.toString(System.nanoTime(), 36);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        if (clusterMasters > 0) {
            cluster = RedisCluster.start(clusterMasters);
        } else if (!redisPerTest) {
            redis = RedisServer.start(appendOnly);
        }
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        inTest = true;
        if (redisPerTest && sentinelManaged) {
            sentinel = RedisSentinel.start();
        } else if (redisPerTest) {
            redis = RedisServer.start(appendOnly);
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        inTest = false;
        testGateways.forEach(Gateway::close);
        testGateways.clear();
        if (redis != null && redisPerTest) {
            redis.close();
            redis = null;
        }
        if (sentinel != null) {
            sentinel.close();
            sentinel = null;
        }
    }

    @Override
    public void afterAll(ExtensionContext context) {
        classGateways.forEach(Gateway::close);
        classGateways.clear();
        if (redis != null) {
            redis.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }
}
