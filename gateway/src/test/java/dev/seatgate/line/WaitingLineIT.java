package dev.seatgate.line;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.LiveClient;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The waiting line (API.md "The waiting line") on three real gateways over one real Redis: a login that finds no seat
 * waits with a ticket, on any gateway, and is handed the next seat that frees, however it frees, within 2 s, in the
 * order of arrival, before any newcomer. The gateways run with a short lease TTL (2 s) so that lapses are quick.
 */
class WaitingLineIT {

    /** What API.md promises between a seat freeing and its hand-over to the head of the line. */
    private static final Duration HAND_OVER_WITHIN = Duration.ofSeconds(2);
    private static final String[] SETTINGS = {"SEATGATE_LEASE_TTL", "PT2S", "SEATGATE_HEARTBEAT_INTERVAL", "PT1S"};

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static List<ApiClient> gateways;
    private static Gateway first;

    @BeforeAll
    static void startGateways() {
        first = seatgate.startGateway(SETTINGS);
        gateways = List.of(new ApiClient(first), new ApiClient(seatgate.startGateway(SETTINGS)),
                new ApiClient(seatgate.startGateway(SETTINGS)));
    }

    private static ApiClient gateway(int i) {
        return gateways.get(Math.floorMod(i, gateways.size()));
    }

    @Test
    void aLoginThatFindsNoSeatWaitsAndIsHandedTheSeatALogoutFreesOnAnotherGateway() {
        String tenant = Fixtures.tenant(gateway(0), 1, 0, 3);
        String holder = Fixtures.sessionToken(gateway(0).login(tenant, "a1", password("a1"), "outbound"));

        ApiClient.Reply queued = gateway(1).queuedLogin(tenant, "a2", "outbound");
        assertThat(queued.status()).isEqualTo(202);
        JsonNode body = queued.json();
        assertThat(body.get("ticket").asText()).startsWith(tenant + ".").hasSizeGreaterThan(tenant.length() + 60);
        assertThat(body.get("tenant").asText()).isEqualTo(tenant);
        assertThat(body.get("agentId").asText()).isEqualTo("a2");
        assertThat(body.get("licenseType").asText()).isEqualTo("outbound");
        assertThat(body.get("campaign").isNull()).isTrue();
        assertThat(body.get("position").asLong()).isEqualTo(1);
        assertThat(body.get("waiting").asLong()).isEqualTo(1);
        assertThat(Instant.parse(body.get("pollBefore").asText())).isAfter(Instant.now());
        String ticket = body.get("ticket").asText();

        ApiClient.Reply refused = gateway(2).login(tenant, "a3", password("a3"), "outbound");
        assertThat(refused.errorCode()).isEqualTo("SEATS_EXHAUSTED");
        assertThat(refused.json().at("/error/details/waiting").asLong()).isEqualTo(1);
        assertThat(gateway(0).licenses(tenant).json().at("/licenses/outbound/waiting").asLong()).isEqualTo(1);

        CompletableFuture<ApiClient.Reply> waiting = gateway(2).waitAsync(ticket, 20);
        assertThat(gateway(2).waitInLine(ticket, 0).status()).as("a wait of 0 s answers at once").isEqualTo(202);
        long loggedOutAt = System.nanoTime();
        assertThat(gateway(1).logout(holder).status()).isEqualTo(204);
        ApiClient.Reply admitted = waiting.join();
        Duration handOver = Duration.ofNanos(System.nanoTime() - loggedOutAt);

        assertThat(admitted.status()).as(admitted.toString()).isEqualTo(200);
        assertThat(handOver).isLessThan(HAND_OVER_WITHIN);
        assertThat(admitted.json().get("agentId").asText()).isEqualTo("a2");
        assertThat(admitted.json().get("licenseType").asText()).isEqualTo("outbound");
        assertThat(admitted.json().get("resumeToken").asText()).isNotEmpty();
        String session = admitted.json().get("sessionToken").asText();
        assertThat(gateway(0).heartbeat(session).status()).isEqualTo(200);
        JsonNode licenses = gateway(0).licenses(tenant).json().at("/licenses/outbound");
        assertThat(licenses.get("inUse").asLong()).isEqualTo(1);
        assertThat(licenses.get("waiting").asLong()).isZero();

        ApiClient.Reply again = gateway(0).waitInLine(ticket, 1);
        assertThat(again.status()).isEqualTo(410);
        assertThat(again.errorCode()).isEqualTo("QUEUE_TICKET_GONE");
        assertThat(again.json().at("/error/details/reason").asText()).isEqualTo("admitted");
    }

    @Test
    void aNewcomerNeverTakesTheSeatOfSomeoneWaiting() {
        String tenant = Fixtures.tenant(gateway(0), 1, 0, 3);
        String holder = Fixtures.sessionToken(gateway(0).login(tenant, "a1", password("a1"), "outbound"));
        String ticket = gateway(1).queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();

        assertThat(gateway(2).logout(holder).status()).isEqualTo(204); // nobody waits on the ticket right now
        assertThat(gateway(0).login(tenant, "a3", password("a3"), "outbound").errorCode()).isEqualTo("SEATS_EXHAUSTED");
        assertThat(gateway(1).waitInLine(ticket, 5).status()).isEqualTo(200);
    }

    @Test
    void aSeatThatLapsedUnseenGoesToTheLineNotToTheNewcomerWhoFindsIt() throws InterruptedException {
        String tenant = Fixtures.tenant(gateway(0), 1, 0, 3);
        ApiClient.Reply holder = gateway(0).login(tenant, "a1", password("a1"), "outbound"); // never heartbeats
        String ticket = gateway(1).queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();
        // Nobody waits on the ticket (a wait of 0 s keeps it without opening a wait), so no gateway's tick looks at
        // this tenant: the newcomer's claim is the first to find the lapsed seat.
        Instant lapsesAt = Instant.parse(holder.json().get("leaseExpiresAt").asText());
        Thread.sleep(Duration.between(Instant.now(), lapsesAt.minusMillis(500)).toMillis());
        assertThat(gateway(0).waitInLine(ticket, 0).status()).isEqualTo(202);
        Thread.sleep(Duration.between(Instant.now(), lapsesAt.plusMillis(200)).toMillis());

        assertThat(gateway(2).login(tenant, "a3", password("a3"), "outbound").errorCode()).isEqualTo("SEATS_EXHAUSTED");
        assertThat(gateway(2).waitInLine(ticket, 0).json().get("agentId").asText()).isEqualTo("a2");
    }

    @Test
    void anAgentWhoseOwnTicketTheLoginHandsTheSeatToTakesThatSeatOver() throws InterruptedException {
        String tenant = Fixtures.tenant(gateway(0), 1, 0, 2);
        ApiClient.Reply holder = gateway(0).login(tenant, "a1", password("a1"), "outbound"); // never heartbeats
        String ticket = gateway(1).queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();
        Instant lapsesAt = Instant.parse(holder.json().get("leaseExpiresAt").asText());
        Thread.sleep(Duration.between(Instant.now(), lapsesAt.minusMillis(500)).toMillis());
        assertThat(gateway(0).waitInLine(ticket, 0).status()).isEqualTo(202); // no wait open: no tick looks
        Thread.sleep(Duration.between(Instant.now(), lapsesAt.plusMillis(200)).toMillis());

        // a2 logs in without waiting: its claim first hands the lapsed seat to the line, that is to a2's own ticket,
        // and must then see the session that made for a2 as the one to take over, not as someone else's seat.
        ApiClient.Reply login = gateway(2).login(tenant, "a2", password("a2"), "outbound");

        assertThat(login.status()).isEqualTo(200);
        assertThat(gateway(0).licenses(tenant).json().at("/licenses/outbound/inUse").asInt()).isEqualTo(1);
        JsonNode sessions = gateway(0).admin("GET", "/v1/tenants/" + tenant + "/sessions", null).json().get("sessions");
        assertThat(sessions).hasSize(1);
        assertThat(sessions.get(0).get("agentId").asText()).isEqualTo("a2");
    }

    @Test
    void aTicketIsVoidOnceItsAgentsPasswordChangesOrTheAgentIsDeletedAndMadeAgain() {
        String tenant = Fixtures.tenant(gateway(0), 1, 0, 4);
        String holder = Fixtures.sessionToken(gateway(0).login(tenant, "a1", password("a1"), "outbound"));
        String changed = gateway(1).queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();
        String remade = gateway(2).queuedLogin(tenant, "a3", "outbound").json().get("ticket").asText();
        String next = gateway(0).queuedLogin(tenant, "a4", "outbound").json().get("ticket").asText();
        assertThat(gateway(1).admin("PATCH", "/v1/tenants/" + tenant + "/agents/a2", Map.of("password", "a leaked one"))
                .status()).isEqualTo(200);
        assertThat(gateway(1).admin("DELETE", "/v1/tenants/" + tenant + "/agents/a3", null).status()).isEqualTo(204);
        assertThat(gateway(1).createAgent(tenant, "a3", "someone-else", List.of("outbound")).status()).isEqualTo(201);

        assertThat(gateway(2).logout(holder).status()).isEqualTo(204);

        assertThat(gateway(0).waitInLine(changed, 0).json().at("/error/details/reason").asText()).isEqualTo("revoked");
        assertThat(gateway(0).waitInLine(remade, 0).json().at("/error/details/reason").asText()).isEqualTo("revoked");
        assertThat(gateway(0).waitInLine(next, 0).json().get("agentId").asText()).isEqualTo("a4");
    }

    @Test
    void aLapsedSeatIsHandedOverWithinTwoSecondsAlsoWhenNoWaitIsOpen() throws InterruptedException {
        String tenant = Fixtures.tenant(gateway(0), 1, 0, 2);
        ApiClient.Reply holder = gateway(0).login(tenant, "a1", password("a1"), "outbound"); // never heartbeats
        String ticket = gateway(1).queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();
        Instant lapsesAt = Instant.parse(holder.json().get("leaseExpiresAt").asText());
        Thread.sleep(Duration.between(Instant.now(), lapsesAt.minusMillis(500)).toMillis());
        assertThat(gateway(2).waitInLine(ticket, 0).status()).isEqualTo(202); // polls now and then, none open

        Thread.sleep(Duration.between(Instant.now(), lapsesAt.plus(HAND_OVER_WITHIN).minusMillis(300)).toMillis());
        JsonNode counts = gateway(0).licenses(tenant).json().at("/licenses/outbound");

        assertThat(counts.get("waiting").asInt()).as("found by a gateway's tick").isZero();
        assertThat(counts.get("inUse").asInt()).isEqualTo(1);
        assertThat(gateway(2).waitInLine(ticket, 0).status()).isEqualTo(200);
    }

    @Test
    void ticketsAreNotKnownOrGoneWithTheirReason() {
        String tenant = Fixtures.tenant(gateway(0), 0, 0, 2);
        String ticket = gateway(0).queuedLogin(tenant, "a1", "outbound").json().get("ticket").asText();

        assertThat(gateway(1).waitInLine(tenant + ".AAAAAAAAAAAAAAAAAAAAAA." + "B".repeat(43), 1).errorCode())
                .isEqualTo("INVALID_QUEUE_TICKET");
        assertThat(gateway(1).waitInLine("nonsense", 1).status()).isEqualTo(401);
        assertThat(gateway(1).agent("POST", "/v1/queue/wait", "{\"waitSeconds\": 26}", "Authorization", "Bearer " + ticket)
                .status()).isEqualTo(400);
        assertThat(gateway(1).agent("POST", "/v1/queue/wait", "{\"waitSeconds\": null}", "Authorization",
                "Bearer " + tenant + ".AAAAAAAAAAAAAAAAAAAAAA." + "B".repeat(43)).status()).as("null: the default").isEqualTo(401);
        assertThat(gateway(1).leaveLine(ticket.replace(tenant + ".", "nosuchtenant.")).errorCode())
                .isEqualTo("INVALID_QUEUE_TICKET");
        assertThat(gateway(1).leaveLine(ticket).status()).isEqualTo(204);
        ApiClient.Reply twice = gateway(2).leaveLine(ticket);
        assertThat(twice.status()).isEqualTo(410);
        assertThat(twice.json().at("/error/details/reason").asText()).isEqualTo("cancelled");
        ApiClient.Reply gone = gateway(2).waitInLine(ticket, 1);
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.json().at("/error/details/reason").asText()).isEqualTo("cancelled");
        assertThat(gateway(0).licenses(tenant).json().at("/licenses/outbound/waiting").asLong()).isZero();
    }

    @Test
    void admissionFollowsArrivalExactlyWhateverGatewayQueuedOrWaits() {
        int waiters = 12;
        String tenant = Fixtures.tenant(gateway(0), 3, 0, waiters + 3);
        var holders = new ArrayList<String>();
        for (int i = 1; i <= 3; i++) {
            holders.add(Fixtures.sessionToken(gateway(i).login(tenant, "a" + i, password("a" + i), "outbound")));
        }
        // Concurrent queued logins on three gateways: the line's order is the order Redis ran the claims.
        var queued = new ArrayList<CompletableFuture<ApiClient.Reply>>();
        for (int i = 4; i < 4 + waiters; i++) {
            queued.add(gateway(i).queuedLoginAsync(tenant, "a" + i, "outbound"));
        }
        var byPosition = new String[waiters + 1];
        var tickets = new java.util.HashMap<String, String>();
        for (var reply : queued) {
            JsonNode body = reply.join().json();
            assertThat(byPosition[body.get("position").asInt()]).as("each position once").isNull();
            byPosition[body.get("position").asInt()] = body.get("agentId").asText();
            tickets.put(body.get("agentId").asText(), body.get("ticket").asText());
        }
        var inLine = gateway(0).admin("GET", "/v1/tenants/" + tenant + "/queue", null).json().get("waiting");
        for (int p = 1; p <= waiters; p++) {
            assertThat(inLine.get(p - 1).get("agentId").asText()).isEqualTo(byPosition[p]);
            assertThat(inLine.get(p - 1).get("position").asInt()).isEqualTo(p);
        }

        // Three seats free at once, then each admitted agent logs out in turn: every seat goes to the next in line.
        var admitted = new ArrayList<String>();
        var waits = new java.util.HashMap<String, CompletableFuture<ApiClient.Reply>>();
        tickets.forEach((agent, ticket) -> waits.put(agent, untilAdmitted(gateway(agent.hashCode()), ticket)));
        holders.forEach(holder -> assertThat(gateway(holder.length()).logout(holder).status()).isEqualTo(204));
        for (int p = 1; p <= waiters; p++) {
            ApiClient.Reply reply = waits.get(byPosition[p]).join();
            assertThat(reply.status()).as(byPosition[p] + " " + reply).isEqualTo(200);
            admitted.add(reply.json().get("agentId").asText());
            if (p + 3 <= waiters) {
                assertThat(waits.get(byPosition[p + 3])).as("position %d is not admitted before %d frees", p + 3, p)
                        .isNotDone();
            }
            assertThat(gateway(p).logout(reply.json().get("sessionToken").asText()).status()).isEqualTo(204);
        }
        assertThat(admitted).containsExactly(java.util.Arrays.copyOfRange(byPosition, 1, waiters + 1));
    }

    @Test
    void aRevocationHandsTheSeatOver() {
        handsOver((tenant, holder) -> assertThat(gateway(2).admin("DELETE", "/v1/tenants/" + tenant + "/sessions/"
                + holder.split("\\.")[1], null).status()).isEqualTo(204));
    }

    @Test
    void disablingTheHolderHandsTheSeatOver() {
        handsOver((tenant, holder) -> assertThat(gateway(2).admin("PATCH", "/v1/tenants/" + tenant + "/agents/a1",
                Map.of("enabled", false)).status()).isEqualTo(200));
    }

    @Test
    void aSessionMovingToAnotherTypeHandsItsSeatOver() {
        handsOver((tenant, holder) -> assertThat(gateway(2).login(tenant, "a1", password("a1"), "closer").status())
                .isEqualTo(200));
    }

    @Test
    void aLeaseRunningOutHandsTheSeatOverWithinTwoSecondsOfItsExpiry() {
        String tenant = Fixtures.tenant(gateway(0), 1, 0, 2);
        ApiClient.Reply holder = gateway(0).login(tenant, "a1", password("a1"), "outbound");
        Instant expiresAt = Instant.parse(holder.json().get("leaseExpiresAt").asText()); // no heartbeat will come
        String ticket = gateway(1).queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();

        ApiClient.Reply admitted = untilAdmitted(gateway(2), ticket).join();

        assertThat(admitted.status()).isEqualTo(200);
        Duration late = Duration.between(expiresAt, Instant.now());
        System.out.printf("WaitingLineIT: a lapsed lease handed over %d ms after its expiry%n", late.toMillis());
        assertThat(late).isLessThan(HAND_OVER_WITHIN);
        assertThat(gateway(0).heartbeat(Fixtures.sessionToken(holder)).json().at("/error/details/reason").asText())
                .isEqualTo("expired");
    }

    @Test
    void aPurchaseActivatingHandsItsSeatsToTheLineWithinTwoSeconds() {
        var delayed = new ApiClient(seatgate.startGateway("SEATGATE_ACTIVATION_DELAY", "PT2S"));
        String tenant = Fixtures.tenant(delayed, 0, 0, 3);
        String second = delayed.queuedLogin(tenant, "a1", "outbound").json().get("ticket").asText();
        String third = delayed.queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();
        ApiClient.Reply bought = delayed.purchase(tenant, "outbound", 1, tenant + "-later");
        Instant activatesAt = Instant.parse(bought.json().get("activatesAt").asText());

        ApiClient.Reply admitted = untilAdmitted(gateway(1), second).join();

        Duration late = Duration.between(activatesAt, Instant.now());
        System.out.printf("WaitingLineIT: an activation handed over %d ms after activatesAt%n", late.toMillis());
        assertThat(admitted.json().get("agentId").asText()).isEqualTo("a1");
        assertThat(late).isLessThan(HAND_OVER_WITHIN);
        assertThat(gateway(2).waitInLine(third, 0).json().get("position").asInt()).isEqualTo(1);
    }

    @Test
    void aTicketNotWaitedOnLeavesTheLineOneLeaseTtlAfterItsLastAnswerButNeverDuringAWait() throws Exception {
        String tenant = Fixtures.tenant(gateway(0), 0, 0, 2);
        String lapsing = gateway(0).queuedLogin(tenant, "a1", "outbound").json().get("ticket").asText();
        String waited = gateway(1).queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();

        ApiClient.Reply longWait = gateway(2).waitInLine(waited, 4); // twice the lease TTL
        assertThat(longWait.status()).isEqualTo(202);
        assertThat(longWait.json().get("position").asInt()).as("the ticket ahead lapsed meanwhile").isEqualTo(1);
        assertThat(Instant.parse(longWait.json().get("pollBefore").asText()))
                .isBetween(Instant.now().plusSeconds(1), Instant.now().plusSeconds(3));
        ApiClient.Reply lapsed = gateway(0).waitInLine(lapsing, 0);
        assertThat(lapsed.status()).isEqualTo(410);
        assertThat(lapsed.json().at("/error/details/reason").asText()).isEqualTo("expired");
        assertThat(gateway(0).licenses(tenant).json().at("/licenses/outbound/waiting").asInt()).isEqualTo(1);
    }

    @Test
    void oneTicketPerAgentAndTypeAndTheLineIsBounded() {
        var bounded = new ApiClient(seatgate.startGateway("SEATGATE_QUEUE_LIMIT", "2"));
        String tenant = Fixtures.tenant(bounded, 0, 0, 3);
        JsonNode once = bounded.queuedLogin(tenant, "a1", "outbound").json();
        JsonNode twice = gateway(1).queuedLogin(tenant, "a1", "outbound").json();
        assertThat(bounded.queuedLogin(tenant, "a2", "outbound").status()).isEqualTo(202);

        assertThat(twice.get("ticket").asText().split("\\.")[1]).isEqualTo(once.get("ticket").asText().split("\\.")[1]);
        assertThat(twice.get("position").asInt()).isEqualTo(1);
        assertThat(twice.get("waiting").asInt()).isEqualTo(1);
        assertThat(bounded.waitInLine(once.get("ticket").asText(), 0).json().get("position").asInt()).isEqualTo(1);
        assertThat(bounded.waitInLine(twice.get("ticket").asText(), 0).json().get("waiting").asInt()).isEqualTo(2);
        ApiClient.Reply full = bounded.queuedLogin(tenant, "a3", "outbound");
        assertThat(full.status()).isEqualTo(409);
        assertThat(full.errorCode()).isEqualTo("QUEUE_FULL");
        assertThat(full.json().at("/error/details/limit").asInt()).isEqualTo(2);
        assertThat(bounded.login(tenant, "a3", password("wrong-one"), "outbound").errorCode())
                .as("the password is checked first").isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void anAdminListsTheLineOldestFirstPageByPageAndRemovesAnAgent() {
        String tenant = Fixtures.tenant(gateway(0), 0, 0, 3);
        String a1 = gateway(0).queuedLogin(tenant, "a1", "outbound").json().get("ticket").asText();
        gateway(1).queuedLogin(tenant, "a2", "closer");
        gateway(2).queuedLogin(tenant, "a3", "outbound");

        JsonNode first = gateway(0).admin("GET", "/v1/tenants/" + tenant + "/queue?limit=2", null).json();
        assertThat(first.get("waiting")).hasSize(2);
        assertThat(first.get("waiting").get(0).get("agentId").asText()).isEqualTo("a1");
        assertThat(first.get("waiting").get(1).get("licenseType").asText()).isEqualTo("closer");
        assertThat(first.get("waiting").get(1).get("position").asInt()).isEqualTo(1);
        assertThat(first.get("waiting").get(0).get("since").asText()).endsWith("Z");
        JsonNode rest = gateway(0).admin("GET", "/v1/tenants/" + tenant + "/queue?limit=2&cursor="
                + first.get("nextCursor").asText(), null).json();
        assertThat(rest.get("waiting")).hasSize(1);
        assertThat(rest.get("waiting").get(0).get("agentId").asText()).isEqualTo("a3");
        assertThat(rest.get("waiting").get(0).get("position").asInt()).isEqualTo(2);
        assertThat(rest.get("nextCursor").isNull()).isTrue();

        assertThat(gateway(1).admin("DELETE", "/v1/tenants/" + tenant + "/agents/a1", null).status()).isEqualTo(204);
        assertThat(gateway(1).admin("DELETE", "/v1/tenants/" + tenant + "/queue/a1", null).status())
                .as("a deleted agent's ticket can still be removed").isEqualTo(204);
        assertThat(gateway(1).admin("DELETE", "/v1/tenants/" + tenant + "/queue/nobody", null).errorCode())
                .isEqualTo("AGENT_NOT_FOUND");
        assertThat(gateway(1).admin("DELETE", "/v1/tenants/nosuchtenant/queue/a1", null).errorCode())
                .isEqualTo("TENANT_NOT_FOUND");
        assertThat(gateway(1).admin("GET", "/v1/tenants/" + tenant + "/queue?limit=0", null).status()).isEqualTo(400);
        ApiClient.Reply revoked = gateway(2).waitInLine(a1, 1);
        assertThat(revoked.json().at("/error/details/reason").asText()).isEqualTo("revoked");
        assertThat(gateway(0).admin("GET", "/v1/tenants/" + tenant + "/queue", null).json().get("waiting")
                .get(1).get("position").asInt()).as("a3 moved up").isEqualTo(1);
    }

    @Test
    void aSocketWaitsInLineHearsItsPositionAndIsAdmittedAndAttached() {
        String tenant = Fixtures.tenant(gateway(0), 1, 0, 3);
        String holder = Fixtures.sessionToken(gateway(0).login(tenant, "a1", password("a1"), "outbound"));
        String ahead = gateway(1).queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();

        try (var socket = LiveClient.connect(first.agentPort())) {
            LiveClient.Message queued = socket.send(Map.of("type", "login", "tenant", tenant, "agentId", "a3",
                    "password", password("a3"), "licenseType", "outbound", "queue", true)).next();
            assertThat(queued.type()).isEqualTo("queued");
            assertThat(queued.json().get("position").asInt()).isEqualTo(2);
            assertThat(queued.json().get("ticket").asText()).startsWith(tenant + ".");

            assertThat(gateway(2).leaveLine(ahead).status()).isEqualTo(204);
            LiveClient.Message position = socket.next(Duration.ofSeconds(3));
            assertThat(position.json()).isEqualTo(ApiClient.parse("{\"type\":\"position\",\"position\":1,\"waiting\":1}"));

            long freedAt = System.nanoTime();
            assertThat(gateway(2).logout(holder).status()).isEqualTo(204);
            LiveClient.Message admitted = socket.next(HAND_OVER_WITHIN);
            assertThat(Duration.ofNanos(admitted.receivedAt() - freedAt)).isLessThan(HAND_OVER_WITHIN);
            assertThat(admitted.type()).isEqualTo("admitted");
            assertThat(admitted.json().get("agentId").asText()).isEqualTo("a3");
            String session = admitted.json().get("sessionToken").asText();

            assertThat(gateway(1).admin("DELETE", "/v1/tenants/" + tenant + "/sessions/" + session.split("\\.")[1],
                    null).status()).isEqualTo(204);
            assertThat(socket.next(Duration.ofSeconds(1)).json().get("reason").asText()).isEqualTo("revoked");
        }
    }

    @Test
    void aSocketThatDropsLeavesItsTicketForHttpAndOneThatLogsOutLeavesTheLine() {
        String tenant = Fixtures.tenant(gateway(0), 0, 0, 2);
        String dropped;
        try (var socket = LiveClient.connect(first.agentPort())) {
            dropped = socket.send(Map.of("type", "login", "tenant", tenant, "agentId", "a1", "password", password("a1"),
                    "licenseType", "outbound", "queue", true)).next().json().get("ticket").asText();
        }
        try (var socket = LiveClient.connect(first.agentPort())) {
            String left = socket.send(Map.of("type", "login", "tenant", tenant, "agentId", "a2",
                    "password", password("a2"), "licenseType", "outbound", "queue", true)).next().json()
                    .get("ticket").asText();
            assertThat(socket.send(Map.of("type", "logout")).closed(Duration.ofSeconds(2)).code()).isEqualTo(1000);
            assertThat(gateway(1).waitInLine(left, 0).json().at("/error/details/reason").asText())
                    .isEqualTo("cancelled");
        }
        assertThat(gateway(2).waitInLine(dropped, 0).json().get("position").asInt()).isEqualTo(1);
    }

    @Test
    void aLongPollOutlastsTheIdleTimeoutAndAStoppingGatewayAnswersItAtOnce() throws InterruptedException {
        Gateway stopping = seatgate.startGateway("SEATGATE_IDLE_TIMEOUT", "PT1S");
        var via = new ApiClient(stopping);
        String tenant = Fixtures.tenant(via, 0, 0, 1);
        String ticket = via.queuedLogin(tenant, "a1", "outbound").json().get("ticket").asText();
        assertThat(via.waitInLine(ticket, 2).status()).as("a wait of 2 s on a 1 s idle timeout").isEqualTo(202);

        CompletableFuture<ApiClient.Reply> waiting = via.waitAsync(ticket, 25);
        Thread.sleep(500);
        long stoppedAt = System.nanoTime();
        stopping.close();
        ApiClient.Reply answered = waiting.join();

        assertThat(answered.status()).isEqualTo(202);
        assertThat(answered.json().get("position").asInt()).isEqualTo(1);
        assertThat(Duration.ofNanos(System.nanoTime() - stoppedAt)).isLessThan(Duration.ofSeconds(2));
        assertThat(gateway(0).waitInLine(ticket, 0).status()).as("still in line, on another gateway").isEqualTo(202);
    }

    /**
     * A seat held by a1, a2 in line: {@code free} frees the seat, and the very step that freed it hands it to a2 (no
     * wait is open meanwhile, so nothing else can have served the line, bar a tick in those few milliseconds).
     */
    private static void handsOver(java.util.function.BiConsumer<String, String> free) {
        String tenant = Fixtures.tenant(gateway(0), 1, 1, 2);
        String holder = Fixtures.sessionToken(gateway(0).login(tenant, "a1", password("a1"), "outbound"));
        String ticket = gateway(1).queuedLogin(tenant, "a2", "outbound").json().get("ticket").asText();

        free.accept(tenant, holder);
        JsonNode counts = gateway(1).licenses(tenant).json().at("/licenses/outbound");

        assertThat(counts.get("waiting").asInt()).as("handed over by the step that freed it").isZero();
        assertThat(counts.get("inUse").asInt()).isEqualTo(1);
        ApiClient.Reply admitted = gateway(2).waitInLine(ticket, 0);
        assertThat(admitted.status()).isEqualTo(200);
        assertThat(admitted.json().get("agentId").asText()).isEqualTo("a2");
        assertThat(gateway(2).login(tenant, "a1", password("a1"), "outbound").errorCode())
                .isIn("SEATS_EXHAUSTED", "AGENT_DISABLED");
    }

    /** Waits on the ticket, again after each 202, until it is answered otherwise. */
    private static CompletableFuture<ApiClient.Reply> untilAdmitted(ApiClient via, String ticket) {
        return via.waitAsync(ticket, 5).thenCompose(reply -> reply.status() == 202 ? untilAdmitted(via, ticket)
                : CompletableFuture.completedFuture(reply));
    }
}
