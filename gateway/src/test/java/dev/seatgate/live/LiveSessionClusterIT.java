package dev.seatgate.live;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.LiveClient;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Live sessions on a Redis Cluster of three masters: a session's end is published from the master of its tenant's
 * slot and reaches the gateway holding the socket, whichever master that gateway's subscription is on; leases of
 * attached sessions are renewed on every master.
 */
class LiveSessionClusterIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = SeatgateExtension.onCluster(3);

    @Test
    void endsArePushedAndLeasesRenewedForTenantsOnEveryMaster() throws InterruptedException {
        // A renewal every 5 s: a push within 1 s is the published end, not the next renewal finding it.
        String[] settings = {"SEATGATE_LEASE_TTL", "PT6S", "SEATGATE_HEARTBEAT_INTERVAL", "PT5S"};
        Gateway first = seatgate.startGateway(settings);
        Gateway second = seatgate.startGateway(settings);
        var viaFirst = new ApiClient(first);
        var viaSecond = new ApiClient(second);
        Map<Integer, String> tenantByMaster = new HashMap<>();
        while (tenantByMaster.size() < 3) {
            String tenant = SeatgateExtension.newTenantId();
            tenantByMaster.putIfAbsent(seatgate.cluster().portServing("sg:{" + tenant + "}:tenant"), tenant);
        }

        var sockets = new HashMap<String, LiveClient>();
        try {
            for (String tenant : tenantByMaster.values()) {
                Fixtures.tenant(viaFirst, tenant, 1, 0, 1);
                String token = Fixtures.sessionToken(viaFirst.login(tenant, "a1", password("a1"), "outbound"));
                LiveClient socket = LiveClient.connect(first.agentPort());
                sockets.put(tenant, socket);
                assertThat(socket.send(Map.of("type", "attach", "sessionToken", token)).next().type())
                        .isEqualTo("attached");
            }
            Thread.sleep(Duration.ofSeconds(8).toMillis()); // past a lease TTL: renewed by the gateway alone
            for (String tenant : tenantByMaster.values()) {
                assertThat(viaSecond.licenses(tenant).json().at("/licenses/outbound/inUse").asInt()).as(tenant)
                        .isEqualTo(1);
                long sentAt = System.nanoTime();
                assertThat(viaSecond.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);
                LiveClient.Message ended = sockets.get(tenant).next(Duration.ofSeconds(1));
                assertThat(ended.json().get("reason").asText()).as(tenant).isEqualTo("superseded");
                assertThat(Duration.ofNanos(ended.receivedAt() - sentAt)).as(tenant).isLessThan(Duration.ofSeconds(1));
            }
        } finally {
            sockets.values().forEach(LiveClient::close);
        }
    }
}
