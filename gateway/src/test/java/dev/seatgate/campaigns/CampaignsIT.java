package dev.seatgate.campaigns;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.SeatgateExtension;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Campaigns (API.md "Campaigns") on three real gateways over one real Redis: a campaign's cap and the other campaigns'
 * reservations are checked in the claim itself, so storms of logins across gateways are admitted to the exact count;
 * takeovers between campaigns, the waiting line, removals and agents' campaign lists follow the same rules.
 */
class CampaignsIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static List<ApiClient> gateways;

    @BeforeAll
    static void startGateways() {
        gateways = List.of(new ApiClient(seatgate.startGateway()), new ApiClient(seatgate.startGateway()),
                new ApiClient(seatgate.startGateway()));
    }

    private static ApiClient gateway(int i) {
        return gateways.get(Math.floorMod(i, gateways.size()));
    }

    @Test
    void aCampaignIsPutListedReadAndDeleted() {
        String tenant = Fixtures.tenant(gateway(0), 10, 2, 1);
        String path = "/v1/tenants/" + tenant + "/campaigns/";

        ApiClient.Reply created = gateway(0).admin("PUT", path + "sales", Map.of("name", "Spring sales",
                "limits", Map.of("outbound", Map.of("max", 6, "reserved", 2))));
        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json()).isEqualTo(ApiClient.parse("{\"campaign\":\"sales\",\"name\":\"Spring sales\","
                + "\"limits\":{\"outbound\":{\"max\":6,\"reserved\":2}},\"inUse\":{\"outbound\":0,\"closer\":0}}"));
        assertThat(gateway(1).admin("PUT", path + "sales", Map.of("name", "Sales", "limits",
                Map.of("closer", Map.of("reserved", 1)))).status()).isEqualTo(200);
        assertThat(gateway(1).admin("PUT", path + "support", Map.of()).status()).isEqualTo(201);

        JsonNode list = gateway(2).admin("GET", "/v1/tenants/" + tenant + "/campaigns", null).json().get("campaigns");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).get("limits")).isEqualTo(ApiClient.parse("{\"closer\":{\"max\":null,\"reserved\":1}}"));
        assertThat(list.get(1).get("name").asText()).as("defaults to its id").isEqualTo("support");
        assertThat(gateway(2).admin("GET", path + "sales", null).json().get("name").asText()).isEqualTo("Sales");
        JsonNode licenses = gateway(0).licenses(tenant).json().at("/licenses/closer/campaigns");
        assertThat(licenses).isEqualTo(ApiClient.parse("{\"sales\":{\"inUse\":0,\"max\":null,\"reserved\":1},"
                + "\"support\":{\"inUse\":0,\"max\":null,\"reserved\":0}}"));

        assertThat(gateway(0).admin("DELETE", path + "support", null).status()).isEqualTo(204);
        assertThat(gateway(0).admin("DELETE", path + "support", null).errorCode()).isEqualTo("CAMPAIGN_NOT_FOUND");
        assertThat(gateway(0).admin("GET", path + "support", null).errorCode()).isEqualTo("CAMPAIGN_NOT_FOUND");
        assertThat(gateway(0).admin("GET", "/v1/tenants/nosuchtenant/campaigns", null).errorCode())
                .isEqualTo("TENANT_NOT_FOUND");
    }

    @Test
    void badLimitsAreRefusedAndReservationsMayNotExceedTheSeats() {
        String tenant = Fixtures.tenant(gateway(0), 5, 0, 0);
        String path = "/v1/tenants/" + tenant + "/campaigns/";
        assertThat(put(path + "a", Map.of("limits", Map.of("dialer", Map.of()))).status()).isEqualTo(400);
        assertThat(put(path + "a", Map.of("limits", Map.of("outbound", Map.of("max", 2, "reserved", 3)))).status())
                .isEqualTo(400);
        assertThat(put(path + "a", Map.of("limits", Map.of("outbound", Map.of("max", -1)))).status()).isEqualTo(400);
        assertThat(put(path + "a", Map.of("limits", Map.of("outbound", 5))).status()).isEqualTo(400);
        assertThat(put(path + "bad%20id", Map.of()).status()).isEqualTo(400);

        assertThat(put(path + "a", Map.of("limits", Map.of("outbound", Map.of("reserved", 3)))).status()).isEqualTo(201);
        ApiClient.Reply tooMany = put(path + "b", Map.of("limits", Map.of("outbound", Map.of("reserved", 3))));
        assertThat(tooMany.errorCode()).isEqualTo("INVALID_COUNT");
        assertThat(tooMany.json().at("/error/details/reservable").asInt()).isEqualTo(2);
        assertThat(put(path + "a", Map.of("limits", Map.of("outbound", Map.of("reserved", 5)))).status())
                .as("a campaign's own reservation is replaced, not added").isEqualTo(200);

        String other = Fixtures.tenant(gateway(0), 10, 0, 0);
        assertThat(gateway(1).removal(other, "outbound", 6, other + "-r6").status()).isEqualTo(201);
        ApiClient.Reply afterRemoval = put("/v1/tenants/" + other + "/campaigns/a", Map.of("limits",
                Map.of("outbound", Map.of("reserved", 5))));
        assertThat(afterRemoval.errorCode()).as("4 seats left after the removal").isEqualTo("INVALID_COUNT");
        assertThat(afterRemoval.json().at("/error/details/reservable").asInt()).isEqualTo(4);

        ApiClient.Reply removal = gateway(1).removal(tenant, "outbound", 1, tenant + "-r1");
        assertThat(removal.errorCode()).as("the seats left could not hold the reservations").isEqualTo("INVALID_COUNT");
        assertThat(removal.json().at("/error/details/removable").asInt()).isZero();
        assertThat(put(path + "a", Map.of("limits", Map.of("outbound", Map.of("reserved", 3)))).status()).isEqualTo(200);
        assertThat(gateway(1).removal(tenant, "outbound", 3, tenant + "-r3").errorCode()).isEqualTo("INVALID_COUNT");
        assertThat(gateway(1).removal(tenant, "outbound", 2, tenant + "-r2").status()).isEqualTo(201);
    }

    @Test
    void aCampaignsCapHoldsExactlyUnderAStormOfLoginsAcrossGateways() {
        int agents = 30;
        String tenant = Fixtures.tenant(gateway(0), agents, 0, agents);
        assertThat(put("/v1/tenants/" + tenant + "/campaigns/sales", Map.of("limits",
                Map.of("outbound", Map.of("max", 5))))).extracting(ApiClient.Reply::status).isEqualTo(201);

        Map<String, Integer> outcomes = storm(tenant, 1, agents, "sales");

        assertThat(outcomes).containsExactly(Map.entry("200", 5), Map.entry("409 CAMPAIGN_FULL", 25));
        JsonNode sales = gateway(1).licenses(tenant).json().at("/licenses/outbound/campaigns/sales");
        assertThat(sales.get("inUse").asInt()).isEqualTo(5);
        JsonNode sessions = gateway(2).admin("GET", "/v1/tenants/" + tenant + "/sessions", null).json().get("sessions");
        assertThat(sessions).hasSize(5).allSatisfy(session -> assertThat(session.get("campaign").asText())
                .isEqualTo("sales"));
        ApiClient.Reply full = gateway(0).login(login(tenant, "a1", "sales"));
        if (full.status() == 409) {
            assertThat(full.json().at("/error/details")).isEqualTo(ApiClient.parse(
                    "{\"campaign\":\"sales\",\"licenseType\":\"outbound\",\"max\":5,\"inUse\":5}"));
        }
    }

    @Test
    void reservationsKeepTheirSeatsForTheirCampaignUnderAStorm() {
        String tenant = Fixtures.tenant(gateway(0), 10, 0, 30);
        assertThat(put("/v1/tenants/" + tenant + "/campaigns/vip", Map.of("limits",
                Map.of("outbound", Map.of("reserved", 4))))).extracting(ApiClient.Reply::status).isEqualTo(201);
        assertThat(put("/v1/tenants/" + tenant + "/campaigns/other", Map.of())).extracting(ApiClient.Reply::status)
                .isEqualTo(201);

        Map<String, Integer> withoutCampaign = storm(tenant, 1, 20, null);
        assertThat(withoutCampaign).containsExactly(Map.entry("200", 6), Map.entry("409 SEATS_EXHAUSTED", 14));
        ApiClient.Reply refused = gateway(0).login(login(tenant, "a21", "other"));
        assertThat(refused.errorCode()).isEqualTo("SEATS_EXHAUSTED");
        assertThat(refused.json().at("/error/details/reservedForOthers").asInt()).isEqualTo(4);

        Map<String, Integer> vip = storm(tenant, 22, 30, "vip");
        assertThat(vip).containsExactly(Map.entry("200", 4), Map.entry("409 SEATS_EXHAUSTED", 5));
        assertThat(gateway(1).licenses(tenant).json().at("/licenses/outbound/inUse").asInt()).isEqualTo(10);
    }

    @Test
    void aTakeoverIntoAnotherCampaignObeysItsRulesAndKeepsTheOldSessionWhenRefused() {
        String tenant = Fixtures.tenant(gateway(0), 3, 0, 3);
        String path = "/v1/tenants/" + tenant + "/campaigns/";
        put(path + "a", Map.of());
        put(path + "b", Map.of("limits", Map.of("outbound", Map.of("max", 1))));
        put(path + "vip", Map.of("limits", Map.of("outbound", Map.of("reserved", 1))));
        assertThat(gateway(0).login(login(tenant, "a1", "b")).status()).isEqualTo(200);
        ApiClient.Reply inA = gateway(1).login(login(tenant, "a2", "a"));
        String inAToken = Fixtures.sessionToken(inA);

        assertThat(gateway(2).login(login(tenant, "a2", "b")).errorCode()).isEqualTo("CAMPAIGN_FULL");
        assertThat(gateway(0).heartbeat(inAToken).status()).as("the old session stays").isEqualTo(200);
        ApiClient.Reply intoVip = gateway(2).login(login(tenant, "a3", "vip"));
        assertThat(intoVip.status()).isEqualTo(200);
        // a3 leaving vip for no campaign would take the seat vip reserves: 3 − (3 − 1) − 1 = 0 seats for it
        assertThat(gateway(0).login(login(tenant, "a3", null)).errorCode()).isEqualTo("SEATS_EXHAUSTED");
        assertThat(gateway(0).heartbeat(Fixtures.sessionToken(intoVip)).status()).isEqualTo(200);

        ApiClient.Reply moved = gateway(1).login(login(tenant, "a2", "vip"));
        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("campaign").asText()).isEqualTo("vip");
        assertThat(moved.json().get("replacedSessionId").asText()).isEqualTo(inA.json().get("sessionId").asText());
        JsonNode campaigns = gateway(2).licenses(tenant).json().at("/licenses/outbound/campaigns");
        assertThat(campaigns.at("/a/inUse").asInt()).isZero();
        assertThat(campaigns.at("/vip/inUse").asInt()).isEqualTo(2);
        assertThat(campaigns.at("/b/inUse").asInt()).isEqualTo(1);
    }

    @Test
    void aTicketWhoseCampaignIsFullDoesNotBlockThoseBehindIt() {
        String tenant = Fixtures.tenant(gateway(0), 2, 0, 4);
        put("/v1/tenants/" + tenant + "/campaigns/a", Map.of("limits", Map.of("outbound", Map.of("max", 1))));
        String a1 = Fixtures.sessionToken(gateway(0).login(login(tenant, "a1", "a")));
        String a2 = Fixtures.sessionToken(gateway(1).login(login(tenant, "a2", null)));
        var queuedInA = new HashMap<String, Object>(login(tenant, "a3", "a"));
        queuedInA.put("queue", true);
        JsonNode capped = gateway(2).login(queuedInA).json();
        assertThat(capped.get("campaign").asText()).isEqualTo("a");
        String behind = gateway(0).queuedLogin(tenant, "a4", "outbound").json().get("ticket").asText();
        JsonNode line = gateway(1).admin("GET", "/v1/tenants/" + tenant + "/queue", null).json().get("waiting");
        assertThat(line.get(0).get("campaign").asText()).isEqualTo("a");
        assertThat(line.get(1).get("campaign").isNull()).isTrue();

        assertThat(gateway(1).logout(a2).status()).isEqualTo(204);

        ApiClient.Reply admitted = gateway(2).waitInLine(behind, 0);
        assertThat(admitted.status()).isEqualTo(200);
        assertThat(admitted.json().get("campaign").isNull()).isTrue();
        assertThat(gateway(0).waitInLine(capped.get("ticket").asText(), 0).json().get("position").asInt())
                .as("still first in line, waiting for its campaign").isEqualTo(1);
        assertThat(gateway(0).logout(a1).status()).isEqualTo(204);
        ApiClient.Reply inCampaign = gateway(1).waitInLine(capped.get("ticket").asText(), 0);
        assertThat(inCampaign.json().get("agentId").asText()).isEqualTo("a3");
        assertThat(inCampaign.json().get("campaign").asText()).isEqualTo("a");
    }

    @Test
    void aSecondQueuedLoginInAnotherCampaignMovesTheTicketThereInItsPlace() {
        String tenant = Fixtures.tenant(gateway(0), 1, 0, 3);
        put("/v1/tenants/" + tenant + "/campaigns/a", Map.of("limits", Map.of("outbound", Map.of("max", 0))));
        put("/v1/tenants/" + tenant + "/campaigns/b", Map.of());
        String holder = Fixtures.sessionToken(gateway(0).login(login(tenant, "a1", null)));
        var intoA = new HashMap<String, Object>(login(tenant, "a2", "a"));
        intoA.put("queue", true);
        JsonNode first = gateway(1).login(intoA).json();
        intoA.put("campaign", "b");
        JsonNode second = gateway(2).login(intoA).json();

        assertThat(second.get("campaign").asText()).isEqualTo("b");
        assertThat(second.get("position").asInt()).isEqualTo(1);
        assertThat(gateway(0).logout(holder).status()).isEqualTo(204);
        ApiClient.Reply admitted = gateway(1).waitInLine(first.get("ticket").asText(), 0);
        assertThat(admitted.json().get("campaign").asText()).as("campaign a has no room at all").isEqualTo("b");
    }

    @Test
    void agentsMayBeLimitedToCampaignsAndClonesCopyTheirList() {
        String tenant = Fixtures.tenant(gateway(0), 5, 0, 1);
        put("/v1/tenants/" + tenant + "/campaigns/sales", Map.of());
        put("/v1/tenants/" + tenant + "/campaigns/support", Map.of());
        String agent = "/v1/tenants/" + tenant + "/agents/";
        assertThat(gateway(0).admin("PATCH", agent + "a1", Map.of("campaigns", List.of("sales"))).json()
                .get("campaigns")).isEqualTo(ApiClient.parse("[\"sales\"]"));

        assertThat(gateway(1).login(login(tenant, "a1", "support")).errorCode()).isEqualTo("CAMPAIGN_NOT_PERMITTED");
        assertThat(gateway(1).login(login(tenant, "a1", "nosuchcampaign")).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(gateway(1).login(login(tenant, "a1", "not a campaign!")).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(gateway(1).login(login(tenant, "a1", "sales")).status()).isEqualTo(200);
        assertThat(gateway(1).login(login(tenant, "a1", null)).json().get("campaign").isNull()).isTrue();

        assertThat(gateway(2).admin("POST", agent + "a1/clone", Map.of("agentId", "a9", "name", "New Hire",
                "password", password("a9"))).json().get("campaigns")).isEqualTo(ApiClient.parse("[\"sales\"]"));
        assertThat(gateway(2).login(login(tenant, "a9", "support")).errorCode()).isEqualTo("CAMPAIGN_NOT_PERMITTED");
        var everyCampaign = new HashMap<String, Object>();
        everyCampaign.put("campaigns", null);
        assertThat(gateway(0).admin("PATCH", agent + "a9", everyCampaign).json().get("campaigns").isNull()).isTrue();
        assertThat(gateway(2).login(login(tenant, "a9", "support")).status()).isEqualTo(200);
        assertThat(gateway(0).admin("GET", agent + "a9", null).json().get("campaigns").isNull()).isTrue();
    }

    @Test
    void deletingACampaignEndsItsCapButNotItsSessions() {
        String tenant = Fixtures.tenant(gateway(0), 5, 0, 3);
        put("/v1/tenants/" + tenant + "/campaigns/a", Map.of("limits", Map.of("outbound", Map.of("max", 1))));
        String held = Fixtures.sessionToken(gateway(0).login(login(tenant, "a1", "a")));
        assertThat(gateway(1).login(login(tenant, "a2", "a")).errorCode()).isEqualTo("CAMPAIGN_FULL");

        assertThat(gateway(1).admin("DELETE", "/v1/tenants/" + tenant + "/campaigns/a", null).status()).isEqualTo(204);

        assertThat(gateway(2).heartbeat(held).status()).isEqualTo(200);
        assertThat(gateway(1).login(login(tenant, "a2", "a")).errorCode()).as("no such campaign now")
                .isEqualTo("INVALID_REQUEST");
        put("/v1/tenants/" + tenant + "/campaigns/a", Map.of("limits", Map.of("outbound", Map.of("max", 1))));
        assertThat(gateway(1).login(login(tenant, "a2", "a")).status()).as("made again, it counts from zero")
                .isEqualTo(200);
        assertThat(gateway(1).login(login(tenant, "a3", "a")).errorCode()).isEqualTo("CAMPAIGN_FULL");
    }

    /** Logins of agents a{from}..a{to} into {@code campaign} at once, spread over the gateways: status → count. */
    private static Map<String, Integer> storm(String tenant, int from, int to, String campaign) {
        var replies = new ArrayList<CompletableFuture<ApiClient.Reply>>();
        for (int i = from; i <= to; i++) {
            replies.add(gateway(i).loginAsync(login(tenant, "a" + i, campaign)));
        }
        var outcomes = new TreeMap<String, Integer>();
        replies.forEach(reply -> {
            ApiClient.Reply answered = reply.join();
            String outcome = answered.status() == 200 ? "200" : answered.status() + " " + answered.errorCode();
            outcomes.merge(outcome, 1, Integer::sum);
        });
        return outcomes;
    }

    private static Map<String, Object> login(String tenant, String agentId, String campaign) {
        var body = new HashMap<String, Object>(Map.of("tenant", tenant, "agentId", agentId,
                "password", password(agentId), "licenseType", "outbound"));
        if (campaign != null) {
            body.put("campaign", campaign);
        }
        return body;
    }

    private static ApiClient.Reply put(String path, Map<String, ?> body) {
        return gateway(0).admin("PUT", path, body);
    }
}
