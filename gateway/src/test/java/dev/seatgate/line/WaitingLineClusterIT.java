package dev.seatgate.line;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The waiting line on a Redis Cluster of three masters, with two gateways: for a tenant on each master, tickets are
 * admitted in their order of arrival, a seat freed by a logout is handed over at once (the notice published from the
 * tenant's master reaches the gateway holding the wait), and a seat whose lease lapses is found by a tick within 2 s
 * (the index of tenants with lines, {@code sg:lines}, lives in its own slot).
 */
class WaitingLineClusterIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = SeatgateExtension.onCluster(3);

    @Test
    void ticketsAreAdmittedInOrderAndLapsedSeatsHandedOverForTenantsOnEveryMaster() {
        String[] settings = {"SEATGATE_LEASE_TTL", "PT2S", "SEATGATE_HEARTBEAT_INTERVAL", "PT1S"};
        var viaFirst = new ApiClient(seatgate.startGateway(settings));
        var viaSecond = new ApiClient(seatgate.startGateway(settings));
        Map<Integer, String> tenantByMaster = new HashMap<>();
        while (tenantByMaster.size() < 3) {
            String tenant = SeatgateExtension.newTenantId();
            tenantByMaster.putIfAbsent(seatgate.cluster().portServing("sg:{" + tenant + "}:tenant"), tenant);
        }

        for (String tenant : tenantByMaster.values()) {
            Fixtures.tenant(viaFirst, tenant, 1, 0, 3);
            ApiClient.Reply holder = viaFirst.login(tenant, "a1", password("a1"), "outbound"); // will lapse
            String second = viaSecond.queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();
            String third = viaFirst.queuedLogin(tenant, "a3", "outbound").json().get("ticket").asText();
            CompletableFuture<ApiClient.Reply> waitOfSecond = viaFirst.waitAsync(second, 10);
            CompletableFuture<ApiClient.Reply> waitOfThird = viaSecond.waitAsync(third, 10);

            ApiClient.Reply admitted = waitOfSecond.join();
            Duration late = Duration.between(Instant.parse(holder.json().get("leaseExpiresAt").asText()), Instant.now());
            assertThat(admitted.json().get("agentId").asText()).as(tenant).isEqualTo("a2");
            assertThat(late).as(tenant).isLessThan(Duration.ofSeconds(2));
            assertThat(waitOfThird).as("third in line waits on").isNotDone();

            long loggedOutAt = System.nanoTime();
            assertThat(viaSecond.logout(admitted.json().get("sessionToken").asText()).status()).isEqualTo(204);
            assertThat(waitOfThird.join().json().get("agentId").asText()).as(tenant).isEqualTo("a3");
            assertThat(Duration.ofNanos(System.nanoTime() - loggedOutAt)).as(tenant).isLessThan(Duration.ofSeconds(1));
            assertThat(viaFirst.licenses(tenant).json().at("/licenses/outbound/waiting").asInt()).isZero();
        }
    }
}
