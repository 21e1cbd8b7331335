package dev.seatgate.standing;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.LiveClient;
import dev.seatgate.testing.Scrape;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Account standing (API.md "Account standing") on two real gateways over one real Redis: a past-due tenant works and
 * its logins carry a notice; a suspension, set by an admin or reached at suspendAt with nobody logging in, ends every
 * session (heartbeats 410, sockets hear {@code ended} within about a second), takes every ticket out of the line,
 * refuses logins and purchases, leaves removals, reads and agent changes alone, and is one billing event however many
 * gateways notice it. The gateways renew live sockets only every 10 s (the default), so an {@code ended} heard sooner
 * is the suspension's own push.
 */
class AccountStandingIT {

    /** A socket hears the automatic suspension within this of suspendAt: a tick (1 s) and a push. */
    private static final Duration PUSHED_WITHIN = Duration.ofMillis(1500);

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static Gateway first;
    private static Gateway second;
    private static ApiClient one;
    private static ApiClient two;

    @BeforeAll
    static void startGateways() {
        first = seatgate.startGateway();
        second = seatgate.startGateway();
        one = new ApiClient(first);
        two = new ApiClient(second);
    }

    @Test
    void atSuspendAtEverySessionEndsEveryTicketLeavesAndLoginsAndPurchasesAreRefusedOnEveryGateway()
            throws InterruptedException {
        String tenant = Fixtures.tenant(one, 3, 0, 8);
        String onHttpOne = Fixtures.sessionToken(one.login(tenant, "a1", password("a1"), "outbound"));
        String onHttpTwo = Fixtures.sessionToken(two.login(tenant, "a2", password("a2"), "outbound"));
        Instant suspendAt = Instant.now().plusSeconds(3).truncatedTo(ChronoUnit.MILLIS);
        ApiClient.Reply pastDue = one.admin("PUT", standing(tenant), Map.of("status", "past_due", "note", "invoice 42",
                "suspendAt", suspendAt.toString()));
        assertThat(pastDue.status()).as(pastDue.toString()).isEqualTo(200);

        try (var socket = LiveClient.connect(second.agentPort())) {
            LiveClient.Message admitted = socket.send(Map.of("type", "login", "tenant", tenant, "agentId", "a3",
                    "password", password("a3"), "licenseType", "outbound")).next();
            assertThat(admitted.type()).isEqualTo("admitted");
            assertThat(admitted.json().at("/accountNotice/suspendAt").asText()).isEqualTo(suspendAt.toString());
            String waitingOnOne = one.queuedLogin(tenant, "a4", "outbound").json().get("ticket").asText();
            String waitingOnTwo = two.queuedLogin(tenant, "a5", "closer").json().get("ticket").asText();
            CompletableFuture<ApiClient.Reply> openWait = two.waitAsync(waitingOnOne, 20);

            LiveClient.Message ended = socket.next(Duration.between(Instant.now(), suspendAt).plus(PUSHED_WITHIN));
            long heardAt = System.currentTimeMillis();
            System.out.printf("AccountStandingIT: the socket heard the suspension %d ms after suspendAt%n",
                    heardAt - suspendAt.toEpochMilli());
            assertThat(ended.json()).isEqualTo(ApiClient.parse("{\"type\":\"ended\",\"reason\":\"suspended\"}"));
            assertThat(heardAt).isGreaterThanOrEqualTo(suspendAt.toEpochMilli());
            assertThat(socket.closed(Duration.ofSeconds(1)).code()).isEqualTo(4410);

            for (var heartbeat : List.of(one.heartbeat(onHttpOne), two.heartbeat(onHttpTwo), one.heartbeat(onHttpTwo))) {
                assertThat(heartbeat.status()).as(heartbeat.toString()).isEqualTo(410);
                assertThat(heartbeat.json().at("/error/details/reason").asText()).isEqualTo("suspended");
            }
            ApiClient.Reply answered = openWait.join();
            assertThat(answered.errorCode()).as(answered.toString()).isEqualTo("QUEUE_TICKET_GONE");
            assertThat(answered.json().at("/error/details/reason").asText()).isEqualTo("revoked");
            assertThat(one.waitInLine(waitingOnTwo, 0).json().at("/error/details/reason").asText()).isEqualTo("revoked");
        }

        assertThat(one.login(tenant, "a6", password("a6"), "outbound").errorCode()).isEqualTo("ACCOUNT_SUSPENDED");
        ApiClient.Reply queued = two.queuedLogin(tenant, "a7", "outbound");
        assertThat(queued.status()).isEqualTo(403);
        assertThat(queued.errorCode()).isEqualTo("ACCOUNT_SUSPENDED");
        assertThat(two.purchase(tenant, "outbound", 1, tenant + "-later").errorCode()).isEqualTo("ACCOUNT_SUSPENDED");
        assertThat(one.purchase(tenant, "outbound", 3, tenant + "-outbound").status())
                .as("a retry of a purchase made before replays it").isEqualTo(200);

        assertThat(two.removal(tenant, "outbound", 1, null).status()).isEqualTo(201);
        JsonNode counts = one.licenses(tenant).json().at("/licenses/outbound");
        assertThat(counts.get("inUse").asInt()).isZero();
        assertThat(counts.get("waiting").asInt()).isZero();
        assertThat(one.admin("GET", "/v1/tenants/" + tenant + "/sessions", null).json().get("sessions")).isEmpty();
        assertThat(one.admin("GET", "/v1/tenants/" + tenant + "/queue", null).json().get("waiting")).isEmpty();
        assertThat(two.admin("PATCH", "/v1/tenants/" + tenant + "/agents/a8", Map.of("name", "Still Editable"))
                .status()).isEqualTo(200);

        JsonNode suspended = two.admin("GET", standing(tenant), null).json();
        assertThat(suspended).isEqualTo(ApiClient.parse("{\"tenant\":\"" + tenant + "\",\"status\":\"suspended\","
                + "\"since\":\"" + suspendAt + "\",\"suspendAt\":null,\"note\":\"invoice 42\"}"));
        List<JsonNode> changes = standingEvents(tenant);
        assertThat(changes).hasSize(2);
        assertThat(changes.get(0).get("status").asText()).isEqualTo("past_due");
        assertThat(changes.get(0).get("suspendAt").asText()).isEqualTo(suspendAt.toString());
        assertThat(changes.get(1).get("status").asText()).isEqualTo("suspended");
        assertThat(changes.get(1).get("note").asText()).isEqualTo("invoice 42");
        assertThat(changes.get(1).get("automatic").asBoolean()).isTrue();
        assertThat(changes.get(1).get("at").asText()).isEqualTo(suspendAt.toString());

        assertThat(one.admin("PUT", standing(tenant), Map.of("status", "active")).json().get("status").asText())
                .isEqualTo("active");
        ApiClient.Reply back = two.login(tenant, "a6", password("a6"), "outbound");
        assertThat(back.status()).as(back.toString()).isEqualTo(200);
        assertThat(back.json().has("accountNotice")).isFalse();
        assertThat(one.purchase(tenant, "outbound", 1, tenant + "-after").status()).isEqualTo(201);
        assertThat(standingEvents(tenant)).hasSize(3);
    }

    @Test
    void fromSuspendAtOnALoginIsRefusedWhetherOrNotATickHasSeenIt() throws InterruptedException {
        String tenant = Fixtures.tenant(one, 2, 0, 2);
        String held = Fixtures.sessionToken(one.login(tenant, "a1", password("a1"), "outbound"));
        Instant suspendAt = Instant.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
        assertThat(one.admin("PUT", standing(tenant), Map.of("status", "past_due", "suspendAt", suspendAt.toString()))
                .status()).isEqualTo(200);

        Thread.sleep(Duration.between(Instant.now(), suspendAt).toMillis() + 20);
        // First, before any script has applied the change (unless a tick got there in these 20 ms): the purchase
        // script judges by the time itself.
        assertThat(two.purchase(tenant, "outbound", 1, tenant + "-late").errorCode()).isEqualTo("ACCOUNT_SUSPENDED");
        var logins = new ArrayList<CompletableFuture<ApiClient.Reply>>();
        for (int i = 0; i < 10; i++) { // both gateways at once: the change is applied, and recorded, once
            logins.add((i % 2 == 0 ? one : two).loginAsync(tenant, "a2", password("a2"), "outbound"));
        }
        logins.forEach(login -> assertThat(login.join().errorCode()).isEqualTo("ACCOUNT_SUSPENDED"));

        assertThat(two.heartbeat(held).json().at("/error/details/reason").asText()).isEqualTo("suspended");
        assertThat(standingEvents(tenant)).extracting(event -> event.get("status").asText())
                .containsExactly("past_due", "suspended");
    }

    @Test
    void fromSuspendAtNoSeatIsRenewedOrHandedOverAndARetriedPutChangesNothing() throws InterruptedException {
        String tenant = Fixtures.tenant(one, 1, 0, 2);
        String held = Fixtures.sessionToken(one.login(tenant, "a1", password("a1"), "outbound"));
        String ticket = two.queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();
        Instant suspendAt = Instant.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
        Map<String, String> pastDue = Map.of("status", "past_due", "suspendAt", suspendAt.toString());
        assertThat(one.admin("PUT", standing(tenant), pastDue).status()).isEqualTo(200);

        Thread.sleep(Duration.between(Instant.now(), suspendAt).toMillis() + 20);
        // Before any tick has applied the change (unless one got there in these 20 ms): the heartbeat script does.
        assertThat(two.heartbeat(held).json().at("/error/details/reason").asText()).isEqualTo("suspended");
        assertThat(one.waitInLine(ticket, 0).json().at("/error/details/reason").asText()).isEqualTo("revoked");

        assertThat(two.admin("PUT", standing(tenant), pastDue).json().get("status").asText())
                .as("a retried PUT after suspendAt").isEqualTo("suspended");
        assertThat(standingEvents(tenant)).extracting(event -> event.get("status").asText())
                .containsExactly("past_due", "suspended");
    }

    @Test
    void onlyTheOperatorSetsAStandingATenantsOwnTokenReadsIt() {
        String tenant = SeatgateExtension.newTenantId();
        String token = "tenant-token-0123456789abcdef";
        var withTenantTokens = new ApiClient(seatgate.startGateway("SEATGATE_TENANT_ADMIN_TOKENS",
                tenant + "=" + token));
        Fixtures.tenant(withTenantTokens, tenant, 1, 0, 0);
        String[] tenantToken = {"Authorization", "Bearer " + token};

        assertThat(withTenantTokens.admin("PUT", standing(tenant), Map.of("status", "active"), tenantToken).errorCode())
                .isEqualTo("FORBIDDEN");
        assertThat(withTenantTokens.admin("GET", standing(tenant), null, tenantToken).status()).isEqualTo(200);
        assertThat(withTenantTokens.admin("PUT", standing(tenant), Map.of("status", "suspended")).status())
                .isEqualTo(200);
    }

    @Test
    void aPastDueTenantWorksAndEveryLoginAnswerCarriesTheNotice() {
        String tenant = Fixtures.tenant(one, 1, 0, 3);
        Instant suspendAt = Instant.parse("2099-01-01T00:00:00Z");
        JsonNode put = one.admin("PUT", standing(tenant), Map.of("status", "past_due", "suspendAt", suspendAt.toString()))
                .json();
        assertThat(put.get("status").asText()).isEqualTo("past_due");
        assertThat(put.get("note").isNull()).isTrue();
        JsonNode notice = ApiClient.parse("{\"status\":\"past_due\",\"suspendAt\":\"2099-01-01T00:00:00Z\"}");

        ApiClient.Reply login = two.login(tenant, "a1", password("a1"), "outbound");
        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("accountNotice")).isEqualTo(notice);
        String ticket = one.queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();
        assertThat(one.logout(login.json().get("sessionToken").asText()).status()).isEqualTo(204);
        ApiClient.Reply fromLine = two.waitInLine(ticket, 5);
        assertThat(fromLine.status()).as(fromLine.toString()).isEqualTo(200);
        assertThat(fromLine.json().get("accountNotice")).isEqualTo(notice);
        assertThat(one.purchase(tenant, "outbound", 1, tenant + "-more").status()).isEqualTo(201);

        assertThat(one.admin("PUT", standing(tenant), Map.of("status", "past_due")).status()).isEqualTo(200);
        try (var socket = LiveClient.connect(first.agentPort())) {
            LiveClient.Message admitted = socket.send(Map.of("type", "login", "tenant", tenant, "agentId", "a3",
                    "password", password("a3"), "licenseType", "outbound")).next();
            assertThat(admitted.type()).as(admitted.json().toString()).isEqualTo("admitted");
            assertThat(admitted.json().get("accountNotice"))
                    .isEqualTo(ApiClient.parse("{\"status\":\"past_due\",\"suspendAt\":null}"));
        }
        assertThat(standingEvents(tenant)).hasSize(2);
    }

    @Test
    void anAdminsSuspensionEndsEverythingAtOnceAndActiveLetsLoginsBackIn() {
        String tenant = Fixtures.tenant(one, 1, 0, 2);
        String held = Fixtures.sessionToken(one.login(tenant, "a1", password("a1"), "outbound"));
        String ticket = two.queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();

        double endedBefore = suspendedSessions(two);
        JsonNode suspended = two.admin("PUT", standing(tenant), Map.of("status", "suspended", "note", "fraud check"))
                .json();
        assertThat(suspendedSessions(two) - endedBefore).as("counted by the gateway that ended it").isEqualTo(1);
        assertThat(suspended.get("status").asText()).isEqualTo("suspended");
        assertThat(suspended.get("note").asText()).isEqualTo("fraud check");

        assertThat(one.heartbeat(held).json().at("/error/details/reason").asText()).isEqualTo("suspended");
        assertThat(one.waitInLine(ticket, 0).json().at("/error/details/reason").asText()).isEqualTo("revoked");
        assertThat(two.login(tenant, "a2", password("a2"), "outbound").errorCode()).isEqualTo("ACCOUNT_SUSPENDED");
        assertThat(one.admin("PUT", standing(tenant), Map.of("status", "suspended", "note", "fraud check")).status())
                .isEqualTo(200);
        assertThat(standingEvents(tenant)).as("the same standing again is no change").hasSize(1);

        assertThat(one.admin("PUT", standing(tenant), Map.of("status", "active")).status()).isEqualTo(200);
        assertThat(two.login(tenant, "a2", password("a2"), "outbound").status()).isEqualTo(200);
        assertThat(standingEvents(tenant)).extracting(event -> event.get("status").asText())
                .containsExactly("suspended", "active");
    }

    @Test
    void aTenantNeverSetIsActiveSinceItWasMadeAndBadRequestsAreRefused() {
        String tenant = Fixtures.tenant(one, 0, 0, 0);
        String createdAt = one.admin("GET", "/v1/tenants/" + tenant, null).json().get("createdAt").asText();

        assertThat(two.admin("GET", standing(tenant), null).json()).isEqualTo(ApiClient.parse("{\"tenant\":\"" + tenant
                + "\",\"status\":\"active\",\"since\":\"" + createdAt + "\",\"suspendAt\":null,\"note\":null}"));

        var bad = new HashMap<String, Object>(Map.of("status", "active", "suspendAt", "2099-01-01T00:00:00Z"));
        assertThat(one.admin("PUT", standing(tenant), bad).errorCode()).as("suspendAt only with past_due")
                .isEqualTo("INVALID_REQUEST");
        bad.put("status", "suspended");
        assertThat(one.admin("PUT", standing(tenant), bad).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(one.admin("PUT", standing(tenant), Map.of("status", "past_due", "suspendAt", "tomorrow")).status())
                .isEqualTo(400);
        assertThat(one.admin("PUT", standing(tenant), Map.of("status", "closed")).status()).isEqualTo(400);
        assertThat(one.admin("PUT", standing(tenant), Map.of("note", "no status")).status()).isEqualTo(400);
        assertThat(one.admin("PUT", standing(tenant), Map.of("status", "active", "note", 42)).status()).isEqualTo(400);
        assertThat(one.admin("PUT", standing("nosuchtenant"), Map.of("status", "active")).errorCode())
                .isEqualTo("TENANT_NOT_FOUND");
        assertThat(one.admin("GET", standing("nosuchtenant"), null).errorCode()).isEqualTo("TENANT_NOT_FOUND");
        assertThat(one.admin("GET", standing(tenant), null, "Authorization", "Bearer wrong").status()).isEqualTo(401);
        assertThat(standingEvents(tenant)).isEmpty();
    }

    /** {@code seatgate_sessions_ended_total{reason="suspended"}} on one gateway. */
    private static double suspendedSessions(ApiClient gateway) {
        return Scrape.parse(gateway.metrics()).value("seatgate_sessions_ended_total", "reason", "suspended");
    }

    private static String standing(String tenant) {
        return "/v1/tenants/" + tenant + "/standing";
    }

    /** The tenant's standing_changed billing events, oldest first. */
    private static List<JsonNode> standingEvents(String tenant) {
        var changes = new ArrayList<JsonNode>();
        one.events(tenant).json().get("events").forEach(event -> {
            if (event.get("type").asText().equals("standing_changed")) {
                changes.add(event);
            }
        });
        return changes;
    }
}
