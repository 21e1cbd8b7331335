package dev.seatgate.metrics;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Await;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.RawHttp;
import dev.seatgate.testing.Scrape;
import dev.seatgate.testing.SeatgateExtension;
import io.lettuce.core.FlushMode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * /metrics after a scripted sequence of logins, refusals, takeovers, logouts, revocations and expiries on
 * two gateways over one Redis: every counter has exactly the expected value on the gateway that saw it, and
 * the seat gauges (read from Redis) agree with GET .../licenses on both gateways.
 */
class MetricsIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static final String[] SETTINGS = {
            "SEATGATE_LEASE_TTL", "PT2S", "SEATGATE_HEARTBEAT_INTERVAL", "PT1S",
            "SEATGATE_LOCKOUT_AGENT_FAILURES", "2", "SEATGATE_METRICS_REFRESH", "PT1S",
            "SEATGATE_METRICS_TENANT_MIN_SEATS", "1", "SEATGATE_ACTIVATION_DELAY", "PT1H"};

    @Test
    void countersAndSeatGaugesAreExact() throws Exception {
        var a = new ApiClient(seatgate.startGateway(SETTINGS));
        var b = new ApiClient(seatgate.startGateway(SETTINGS));
        var immediate = new ApiClient(seatgate.startGateway(SeatgateExtension.settings(SETTINGS, "SEATGATE_ACTIVATION_DELAY", "PT0S")));
        String tenant = Fixtures.tenant(immediate, 2, 1, 4);
        seatgate.redis().sync().functionFlush(FlushMode.SYNC); // A's next call finds Redis without the script library
        a.purchase(tenant, "outbound", 3, "pending-3");                          // pending for an hour
        a.removal(tenant, "closer", 1, null);                                  // scheduled for the 1st
        a.admin("POST", "/v1/tenants/" + tenant + "/agents", Map.of("agentId", "off", "name", "Off",
                "password", "password-off", "enabled", false));
        a.createAgent(tenant, "closer-only", "password-closer", List.of("closer"));

        String a1 = Fixtures.sessionToken(a.login(tenant, "a1", password("a1"), "outbound"));                 // A admitted
        Fixtures.sessionToken(b.login(tenant, "a2", password("a2"), "outbound"));                             // B admitted
        assertThat(a.login(tenant, "a3", password("a3"), "outbound").errorCode()).isEqualTo("SEATS_EXHAUSTED");
        assertThat(b.login(tenant, "off", "password-off", "outbound").errorCode()).isEqualTo("AGENT_DISABLED");
        assertThat(a.login(tenant, "closer-only", "password-closer", "outbound").errorCode())
                .isEqualTo("LICENSE_TYPE_NOT_PERMITTED");
        assertThat(b.agent("POST", "/v1/login", "{}").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(a.login(tenant, "a4", "wrong-1", "outbound").errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(a.login(tenant, "a4", "wrong-2", "outbound").errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(a.login(tenant, "a4", password("a4"), "outbound").errorCode()).isEqualTo("TOO_MANY_ATTEMPTS");
        String a2 = Fixtures.sessionToken(b.login(tenant, "a2", password("a2"), "outbound"));                 // B: takeover
        String closer = Fixtures.sessionToken(b.login(tenant, "a3", password("a3"), "closer"));               // B admitted
        assertThat(a.logout(a1).status()).isEqualTo(204);                                     // A: logout
        String sessionOfA3 = b.admin("GET", "/v1/tenants/" + tenant + "/sessions", null).json().get("sessions")
                .findValuesAsText("sessionId").get(1);
        assertThat(b.admin("DELETE", "/v1/tenants/" + tenant + "/sessions/" + sessionOfA3, null).status())
                .isEqualTo(204);                                                               // B: revoked
        assertThat(b.heartbeat(closer).json().at("/error/details/reason").asText()).isEqualTo("revoked");
        assertThat(Await.until(Duration.ofSeconds(5), () -> !a.admin("GET", "/v1/tenants/" + tenant + "/sessions", null)
                .json().get("sessions").findValuesAsText("agentId").contains("a2"))).as("a2's lease runs out").isTrue();
        Fixtures.sessionToken(a.login(tenant, "a1", password("a1"), "outbound"));                             // A: admitted, expired 1
        assertThat(a.heartbeat(a2).json().at("/error/details/reason").asText()).isEqualTo("expired");

        Scrape onA = Scrape.parse(metrics(a));
        Scrape onB = Scrape.parse(metrics(b));
        assertThat(logins(onA, "outbound", "admitted")).isEqualTo(2);
        assertThat(logins(onB, "outbound", "admitted")).isEqualTo(2);
        assertThat(logins(onB, "closer", "admitted")).isEqualTo(1);
        assertThat(logins(onA, "outbound", "seats_exhausted")).isEqualTo(1);
        assertThat(logins(onB, "outbound", "disabled")).isEqualTo(1);
        assertThat(logins(onA, "outbound", "not_permitted")).isEqualTo(1);
        assertThat(logins(onB, "unknown", "invalid_request")).isEqualTo(1);
        assertThat(logins(onA, "outbound", "invalid_credentials")).isEqualTo(2);
        assertThat(logins(onA, "outbound", "locked")).isEqualTo(1);
        assertThat(onA.matching("seatgate_logins_total").stream().mapToDouble(Scrape.Sample::value).sum())
                .as("nothing else on A").isEqualTo(7);
        assertThat(onB.matching("seatgate_logins_total").stream().mapToDouble(Scrape.Sample::value).sum())
                .as("nothing else on B").isEqualTo(5);
        assertThat(ended(onA, "logout") + ended(onB, "logout")).isEqualTo(1);
        assertThat(ended(onB, "superseded")).isEqualTo(1);
        assertThat(ended(onB, "revoked")).isEqualTo(1);
        assertThat(ended(onA, "expired") + ended(onB, "expired")).as("one expiry, counted once").isEqualTo(1);
        assertThat(onA.value("seatgate_request_duration_seconds_count", "operation", "login")).isEqualTo(7);
        assertThat(onB.value("seatgate_request_duration_seconds_count", "operation", "logout")).isZero();
        assertThat(onA.value("seatgate_request_duration_seconds_count", "operation", "heartbeat")).isEqualTo(1);
        assertThat(onA.matching("seatgate_request_duration_seconds_bucket", "operation", "login")).isNotEmpty();
        assertThat(onA.value("seatgate_redis_connected")).isEqualTo(1);
        assertThat(onA.value("seatgate_redis_script_loads_total")).as("A found Redis without the script library")
                .isPositive();
        assertThat(onA.matching("seatgate_redis_command_completion_seconds_count", "command", "FCALL"))
                .isNotEmpty();
        assertThat(onA.matching("seatgate_jvm_memory_used_bytes")).isNotEmpty();
        assertThat(onA.samples()).allSatisfy(sample -> assertThat(sample.name()).startsWith("seatgate_"));

        JsonNode licenses = a.licenses(tenant).json().get("licenses");
        assertThat(Await.until(Duration.ofSeconds(5), () -> List.of(a, b).stream()
                .allMatch(gateway -> refreshedSince(gateway, tenant, licenses.at("/outbound/inUse").asInt()))))
                .as("a seat-gauge refresh after the last change, on both gateways").isTrue();
        for (ApiClient gateway : List.of(a, b)) {
            Scrape scrape = Scrape.parse(metrics(gateway));
            for (String type : List.of("outbound", "closer")) {
                JsonNode counts = licenses.get(type);
                int pending = counts.get("pending").findValues("count").stream().mapToInt(JsonNode::asInt).sum();
                int removals = counts.get("scheduledRemovals").findValues("count").stream().mapToInt(JsonNode::asInt).sum();
                assertThat(seats(scrape, tenant, type, "active")).isEqualTo(counts.get("active").asInt());
                assertThat(seats(scrape, tenant, type, "in_use")).isEqualTo(counts.get("inUse").asInt());
                assertThat(seats(scrape, tenant, type, "pending")).isEqualTo(pending);
                assertThat(seats(scrape, tenant, type, "scheduled_removal")).isEqualTo(removals);
                assertThat(scrape.value("seatgate_seats", "license_type", type, "state", "active"))
                        .as("the only tenant: totals equal it").isEqualTo(counts.get("active").asInt());
            }
        }
        assertThat(licenses.at("/outbound/active").asInt()).isEqualTo(2);
        assertThat(licenses.at("/outbound/inUse").asInt()).isEqualTo(1);
        assertThat(licenses.at("/outbound/pending/0/count").asInt()).isEqualTo(3);
        assertThat(licenses.at("/closer/scheduledRemovals/0/count").asInt()).isEqualTo(1);
    }

    @Test
    void aCampaignsSessionsCapAndReservationAreExportedForTenantsWithTheirOwnSeries() {
        var gateway = new ApiClient(seatgate.startGateway(SeatgateExtension.settings(SETTINGS,
                "SEATGATE_ACTIVATION_DELAY", "PT0S")));
        String tenant = Fixtures.tenant(gateway, 4, 0, 2);
        assertThat(gateway.admin("PUT", "/v1/tenants/" + tenant + "/campaigns/sales", Map.of("limits",
                Map.of("outbound", Map.of("max", 3, "reserved", 1)))).status()).isEqualTo(201);
        assertThat(gateway.login(Map.of("tenant", tenant, "agentId", "a1", "password",
                password("a1"), "licenseType", "outbound", "campaign", "sales")).status()).isEqualTo(200);

        assertThat(Await.until(Duration.ofSeconds(5), () -> campaign(gateway, tenant, "in_use") == 1))
                .as("sessions of the campaign exported").isTrue();
        assertThat(campaign(gateway, tenant, "max")).isEqualTo(3);
        assertThat(campaign(gateway, tenant, "reserved")).isEqualTo(1);
    }

    private static double campaign(ApiClient gateway, String tenant, String state) {
        try {
            return Scrape.parse(metrics(gateway)).value("seatgate_tenant_campaign_seats", "tenant", tenant,
                    "campaign", "sales", "license_type", "outbound", "state", state);
        } catch (AssertionError notYetListed) {
            return -1;
        }
    }

    @Test
    void theOpenConnectionsGaugeFollowsTheConnectionsEachListenerHolds() {
        Gateway gateway = seatgate.startGateway("SEATGATE_MAX_CONNECTIONS", "50", "SEATGATE_HASH_THREADS", "2");
        var client = new ApiClient(gateway);
        var held = new ArrayList<RawHttp>();
        try {
            for (int i = 0; i < 7; i++) {
                // Answered, so the gateway has accepted it: the count is exact now, not eventually.
                RawHttp connection = new RawHttp(gateway.agentPort());
                held.add(connection);
                assertThat(connection.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").readResponse())
                        .startsWith("HTTP/1.1 200");
            }
            Scrape scrape = Scrape.parse(client.metrics());
            assertThat(openConnections(scrape, "agent")).isEqualTo(7);
            assertThat(scrape.value("seatgate_http_connections_limit", "listener", "agent")).isEqualTo(50);
            assertThat(openConnections(scrape, "admin")).as("the scrape's own connection").isPositive();
            assertThat(scrape.value("seatgate_hashing_threads")).isEqualTo(2);
            assertThat(scrape.value("seatgate_hashing_busy")).as("no login, no hash").isZero();

            held.subList(0, 4).forEach(RawHttp::close);
            // The gateway learns of a close when it reads the socket's end: wait for it, never for a time.
            assertThat(Await.until(Duration.ofSeconds(5),
                    () -> openConnections(Scrape.parse(client.metrics()), "agent") == 3))
                    .as("4 of 7 closed: 3 open").isTrue();
        } finally {
            held.forEach(RawHttp::close);
        }
        assertThat(Await.until(Duration.ofSeconds(5),
                () -> openConnections(Scrape.parse(client.metrics()), "agent") == 0)).as("all closed").isTrue();
    }

    private static double openConnections(Scrape scrape, String listener) {
        return scrape.value("seatgate_http_connections_open", "listener", listener);
    }

    private static double logins(Scrape scrape, String type, String outcome) {
        return scrape.value("seatgate_logins_total", "license_type", type, "outcome", outcome);
    }

    private static double ended(Scrape scrape, String reason) {
        return scrape.value("seatgate_sessions_ended_total", "reason", reason);
    }

    /** Whether the gateway's seat gauges show the tenant's last change (in use, and the purchase pending). */
    private static boolean refreshedSince(ApiClient gateway, String tenant, int inUse) {
        try {
            Scrape scrape = Scrape.parse(metrics(gateway));
            return seats(scrape, tenant, "outbound", "in_use") == inUse && seats(scrape, tenant, "outbound", "pending") == 3;
        } catch (AssertionError notYetListed) {
            return false;
        }
    }

    private static double seats(Scrape scrape, String tenant, String type, String state) {
        return scrape.value("seatgate_tenant_seats", "tenant", tenant, "license_type", type, "state", state);
    }

    private static String metrics(ApiClient gateway) {
        return gateway.metrics();
    }


}
