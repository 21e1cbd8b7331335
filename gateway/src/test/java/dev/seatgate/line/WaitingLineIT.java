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
        return gateways.get(i % gateways.size());
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
    void ticketsAreNotKnownOrGoneWithTheirReason() {
        String tenant = Fixtures.tenant(gateway(0), 0, 0, 2);
        String ticket = gateway(0).queuedLogin(tenant, "a1", "outbound").json().get("ticket").asText();

        assertThat(gateway(1).waitInLine(tenant + ".AAAAAAAAAAAAAAAAAAAAAA." + "B".repeat(43), 1).errorCode())
                .isEqualTo("INVALID_QUEUE_TICKET");
        assertThat(gateway(1).waitInLine("nonsense", 1).status()).isEqualTo(401);
        assertThat(gateway(1).leaveLine(ticket).status()).isEqualTo(204);
        ApiClient.Reply gone = gateway(2).waitInLine(ticket, 1);
        assertThat(gone.status()).isEqualTo(410);
        assertThat(gone.json().at("/error/details/reason").asText()).isEqualTo("cancelled");
        assertThat(gateway(0).licenses(tenant).json().at("/licenses/outbound/waiting").asLong()).isZero();
    }

    private static List<String> admittedAgents(List<CompletableFuture<ApiClient.Reply>> waits) {
        var agents = new ArrayList<String>();
        waits.forEach(wait -> agents.add(wait.join().json().get("agentId").asText()));
        return agents;
    }

    @SuppressWarnings("unused")
    private static Map<String, Object> login(String tenant, String agentId) {
        return Map.of("tenant", tenant, "agentId", agentId, "password", password(agentId), "licenseType", "outbound",
                "queue", true);
    }

    @SuppressWarnings("unused")
    private static LiveClient socket(int gateway) {
        return LiveClient.connect(first.agentPort());
    }
}
