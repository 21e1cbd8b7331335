package dev.seatgate.campaigns;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.SeatgateExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Campaigns on a Redis Cluster of three masters, two gateways: a tenant's campaigns, their limits and the leases of
 * their sessions live in the tenant's slot, so a cap and a reservation hold to the exact count under a storm for a
 * tenant on each master.
 */
class CampaignsClusterIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = SeatgateExtension.onCluster(3);

    @Test
    void capsAndReservationsHoldExactlyForTenantsOnEveryMaster() {
        List<ApiClient> gateways = List.of(new ApiClient(seatgate.startGateway()), new ApiClient(seatgate.startGateway()));
        Map<Integer, String> tenantByMaster = new HashMap<>();
        while (tenantByMaster.size() < 3) {
            String tenant = SeatgateExtension.newTenantId();
            tenantByMaster.putIfAbsent(seatgate.cluster().portServing("sg:{" + tenant + "}:tenant"), tenant);
        }

        for (String tenant : tenantByMaster.values()) {
            Fixtures.tenant(gateways.get(0), tenant, 10, 0, 24);
            String campaigns = "/v1/tenants/" + tenant + "/campaigns/";
            assertThat(gateways.get(0).admin("PUT", campaigns + "capped", Map.of("limits",
                    Map.of("outbound", Map.of("max", 3)))).status()).isEqualTo(201);
            assertThat(gateways.get(1).admin("PUT", campaigns + "vip", Map.of("limits",
                    Map.of("outbound", Map.of("reserved", 4)))).status()).isEqualTo(201);

            // A storm into the capped campaign, then one into vip: 3 capped at most, and vip the 7 seats left.
            assertThat(storm(gateways, tenant, 1, 12, "capped")).as(tenant)
                    .containsExactly(Map.entry("200", 3), Map.entry("409 CAMPAIGN_FULL", 9));
            assertThat(storm(gateways, tenant, 13, 24, "vip")).as(tenant)
                    .containsExactly(Map.entry("200", 7), Map.entry("409 SEATS_EXHAUSTED", 5));
            assertThat(gateways.get(1).licenses(tenant).json().at("/licenses/outbound/campaigns/capped/inUse").asInt())
                    .isEqualTo(3);
        }
    }

    /** Logins of a{from}..a{to} into the campaign at once over both gateways: status and code → count. */
    private static Map<String, Integer> storm(List<ApiClient> gateways, String tenant, int from, int to,
                                              String campaign) {
        var replies = new ArrayList<CompletableFuture<ApiClient.Reply>>();
        for (int i = from; i <= to; i++) {
            var body = new HashMap<String, Object>(Map.of("tenant", tenant, "agentId", "a" + i,
                    "password", password("a" + i), "licenseType", "outbound", "campaign", campaign));
            replies.add(gateways.get(i % 2).loginAsync(body));
        }
        var outcomes = new TreeMap<String, Integer>();
        replies.forEach(reply -> {
            ApiClient.Reply answered = reply.join();
            outcomes.merge(answered.status() == 200 ? "200" : answered.status() + " " + answered.errorCode(), 1,
                    Integer::sum);
        });
        return outcomes;
    }
}
