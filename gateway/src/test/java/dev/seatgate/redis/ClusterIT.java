package dev.seatgate.redis;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.ClockOffset;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.Scrape;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The same gateway on a Redis Cluster of three masters ({@code SEATGATE_REDIS_URI=redis-cluster://...}):
 * tenants land on different masters by their {@code {tenant}} hash tag, every script runs in its tenant's
 * slot, and the seat invariants hold exactly as on one Redis. The gateways live just before a 1st of the
 * month, so the monthly billing job, which walks a global index, is seen billing tenants on every master.
 */
class ClusterIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = SeatgateExtension.onCluster(3);

    private static final int TENANTS_PER_MASTER = 2;
    private static final int AGENTS = 40;
    private static final int OUTBOUND_SEATS = 4;
    private static final int CLOSER_SEATS = 2;

    /** The gateways live shortly before a 1st of the month, so the monthly billing job runs here too. */
    private static final Instant BOUNDARY = Instant.parse("2027-03-01T00:00:00Z");

    private static ClockOffset clock;
    private static ApiClient first;
    private static ApiClient second;

    @BeforeAll
    static void startGateways() {
        clock = ClockOffset.livingAt(BOUNDARY.minusSeconds(18)); // the other tests take about 6 s
        first = new ApiClient(seatgate.startGateway(settings()));
        second = new ApiClient(seatgate.startGateway(settings()));
    }

    private static String[] settings(String... more) {
        return SeatgateExtension.settings(new String[] {"SEATGATE_CLOCK_OFFSET", clock.setting(),
                "SEATGATE_METRICS_REFRESH", "PT1S", "SEATGATE_METRICS_TENANT_MIN_SEATS", "0"}, more);
    }

    @Test
    void concurrentLoginsAdmitExactlyTheSeatsOfEveryTenantOnEveryMaster() {
        Map<Integer, List<String>> tenantsByMaster = tenantIdsOnEveryMaster(TENANTS_PER_MASTER);
        List<String> tenants = tenantsByMaster.values().stream().flatMap(List::stream).toList();
        for (String tenant : tenants) {
            createTenant(tenant);
        }

        // Every agent of every tenant logs in at once over both gateways; one in four wants a closer seat.
        Map<String, List<CompletableFuture<Reply>>> logins = new HashMap<>();
        for (String tenant : tenants) {
            for (int i = 1; i <= AGENTS; i++) {
                String agentId = "a" + i;
                logins.computeIfAbsent(tenant, t -> new ArrayList<>()).add((i % 2 == 0 ? first : second)
                        .loginAsync(tenant, agentId, password(agentId), i % 4 == 0 ? "closer" : "outbound"));
            }
        }

        for (String tenant : tenants) {
            Map<String, Long> outcomes = logins.get(tenant).stream().map(CompletableFuture::join)
                    .collect(Collectors.groupingBy(reply -> reply.status() == 200
                            ? reply.json().get("licenseType").asText() : reply.errorCode(), Collectors.counting()));
            assertThat(outcomes).as(tenant).containsExactlyInAnyOrderEntriesOf(Map.of(
                    "outbound", (long) OUTBOUND_SEATS,
                    "closer", (long) CLOSER_SEATS,
                    "SEATS_EXHAUSTED", (long) AGENTS - OUTBOUND_SEATS - CLOSER_SEATS));
            assertThat(seatgate.cluster().sync().zcard("sg:{" + tenant + "}:leases:outbound")).isEqualTo(OUTBOUND_SEATS);
            assertThat(seatgate.cluster().sync().zcard("sg:{" + tenant + "}:leases:closer")).isEqualTo(CLOSER_SEATS);
            assertThat(first.licenses(tenant).json().at("/licenses/outbound/inUse").asInt()).isEqualTo(OUTBOUND_SEATS);
        }
        // Each tenant's keys sit on the master its hash tag maps to, and every master serves tenants.
        for (var entry : tenantsByMaster.entrySet()) {
            var node = seatgate.cluster().nodes().stream().filter(n -> n.port() == entry.getKey()).findFirst()
                    .orElseThrow().sync();
            for (String tenant : entry.getValue()) {
                assertThat(node.exists("sg:{" + tenant + "}:tenant", "sg:{" + tenant + "}:leases:outbound"))
                        .isEqualTo(2);
            }
        }
        assertThat(tenantsByMaster).hasSize(3);
    }

    /**
     * The billing job walks a global index (its own slot) and bills each tenant in the tenant's slot: at the
     * 1st every tenant, whichever master holds it, gets exactly one cycle; the seat gauges read every tenant.
     */
    @Test
    void everyTenantOnEveryMasterIsBilledOnceAtTheFirstOfTheMonth() throws InterruptedException {
        List<String> tenants = tenantIdsOnEveryMaster(1).values().stream().flatMap(List::stream).toList();
        for (String tenant : tenants) {
            assertThat(first.putTenant(tenant, "UTC").status()).isEqualTo(201);
            assertThat(first.purchase(tenant, "outbound", 2, tenant + "-o").status()).isEqualTo(201);
            assertThat(first.purchase(tenant, "closer", 1, tenant + "-c").status()).isEqualTo(201);
        }
        assertThat(clock.now()).as("the tenants exist before the 1st").isBefore(BOUNDARY);

        clock.sleepUntil(BOUNDARY.plusSeconds(7)); // the job runs every 5 s on each gateway

        for (String tenant : tenants) {
            List<JsonNode> cycles = new ArrayList<>();
            second.events(tenant).json().get("events").forEach(event -> {
                if (event.get("type").asText().equals("cycle")) {
                    cycles.add(event);
                }
            });
            assertThat(cycles).as(tenant).hasSize(1);
            assertThat(cycles.get(0).get("cycle").asText()).isEqualTo("2027-03");
            assertThat(cycles.get(0).at("/lines/0/seats").asInt()).isEqualTo(2);
            assertThat(cycles.get(0).at("/lines/1/seats").asInt()).isEqualTo(1);
            assertThat(Scrape.parse(second.metrics()).value("seatgate_tenant_seats", "tenant", tenant,
                    "license_type", "outbound", "state", "active")).isEqualTo(2);
        }
    }

    @Test
    void boughtSeatsActivateOnEveryGatewayAfterTheDelay() throws InterruptedException {
        Duration delay = Duration.ofSeconds(2);
        var buyer = new ApiClient(seatgate.startGateway(settings("SEATGATE_ACTIVATION_DELAY", delay.toString())));
        var other = new ApiClient(seatgate.startGateway(settings("SEATGATE_ACTIVATION_DELAY", delay.toString())));
        String tenant = Fixtures.tenant(buyer, 0, 0, 4);

        Reply purchase = buyer.purchase(tenant, "outbound", 3, tenant + "-late");
        assertThat(purchase.status()).isEqualTo(201);
        assertThat(other.login(tenant, "a1", password("a1"), "outbound").errorCode()).isEqualTo("SEATS_EXHAUSTED");
        assertThat(other.licenses(tenant).json().at("/licenses/outbound/pending/0/count").asInt()).isEqualTo(3);

        Instant activatesAt = Instant.parse(purchase.json().get("activatesAt").asText());
        clock.sleepUntil(activatesAt.plusMillis(200));
        List<CompletableFuture<Reply>> logins = IntStream.rangeClosed(1, 4)
                .mapToObj(i -> (i % 2 == 0 ? buyer : other).loginAsync(tenant, "a" + i, password("a" + i), "outbound"))
                .toList();
        assertThat(logins.stream().map(CompletableFuture::join).filter(reply -> reply.status() == 200).count())
                .isEqualTo(3);
        assertThat(buyer.licenses(tenant).json().at("/licenses/outbound/active").asInt()).isEqualTo(3);
        assertThat(buyer.events(tenant).json().get("events").findValuesAsText("type")).contains("purchase")
                .doesNotHaveDuplicates();
    }

    @Test
    void aPasswordChangedOnOneGatewayIsRefusedByTheOtherAtOnce() {
        String tenant = Fixtures.tenant(first, 2, 0, 1);
        String oldPassword = password("a1");
        // The second gateway has verified (and cached) the old password.
        assertThat(second.logout(Fixtures.sessionToken(second.login(tenant, "a1", oldPassword, "outbound"))).status())
                .isEqualTo(204);

        assertThat(first.admin("PATCH", "/v1/tenants/" + tenant + "/agents/a1", Map.of("password", "a-new-password"))
                .status()).isEqualTo(200);

        assertThat(second.login(tenant, "a1", oldPassword, "outbound").errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(second.login(tenant, "a1", "a-new-password", "outbound").status()).isEqualTo(200);
    }

    /**
     * A claim's deadline is judged by the clock of the master that runs it, so the gateway measures each
     * master's clock and reads the one serving the tenant (with one skew for all, a skew between masters would
     * shift the deadlines of every tenant on the others).
     */
    @Test
    void theClockIsMeasuredOnEveryMasterAndReadForTheTenantsOwn() {
        try (RedisConnector redis = RedisConnector.start(seatgate.cluster().uri(), Duration.ofSeconds(2))) {
            assertThat(redis.awaitFirstAttempt(Duration.ofSeconds(10))).isTrue();
            var clock = new RedisClock(redis, Duration.ZERO);
            clock.sync().toCompletableFuture().join();

            assertThat(clock.skews().keySet()).containsExactlyInAnyOrderElementsOf(seatgate.cluster().nodes().stream()
                    .map(node -> "127.0.0.1:" + node.port()).toList());
            tenantIdsOnEveryMaster(1).forEach((port, tenants) -> {
                String key = "sg:{" + tenants.get(0) + "}:online";
                assertThat(redis.masterOf(key)).isEqualTo("127.0.0.1:" + port);
                assertThat(clock.estimateMillis(key)).isCloseTo(System.currentTimeMillis(), within(1_000L));
            });
        }
    }

    /** New tenant ids, {@code perMaster} for each master, by the master their hash tag maps to. */
    private static Map<Integer, List<String>> tenantIdsOnEveryMaster(int perMaster) {
        Map<Integer, List<String>> tenantsByMaster = new HashMap<>();
        while (tenantsByMaster.size() < seatgate.cluster().nodes().size()
                || tenantsByMaster.values().stream().anyMatch(tenants -> tenants.size() < perMaster)) {
            String tenant = SeatgateExtension.newTenantId();
            List<String> onMaster = tenantsByMaster.computeIfAbsent(
                    seatgate.cluster().portServing("sg:{" + tenant + "}:tenant"), port -> new ArrayList<>());
            if (onMaster.size() < perMaster) {
                onMaster.add(tenant);
            }
        }
        return tenantsByMaster;
    }

    private static void createTenant(String tenant) {
        assertThat(first.putTenant(tenant, "UTC").status()).isEqualTo(201);
        assertThat(first.purchase(tenant, "outbound", OUTBOUND_SEATS, tenant + "-o").status()).isEqualTo(201);
        assertThat(first.purchase(tenant, "closer", CLOSER_SEATS, tenant + "-c").status()).isEqualTo(201);
        Set<Integer> created = new HashSet<>();
        for (int i = 1; i <= AGENTS; i++) {
            if (first.createAgent(tenant, "a" + i, password("a" + i), List.of("outbound", "closer")).status() == 201) {
                created.add(i);
            }
        }
        assertThat(created).hasSize(AGENTS);
    }
}
