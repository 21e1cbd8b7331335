package dev.seatgate.seats;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.SeatgateExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invariant 1 under contention: three gateways on one Redis, several hundred agents logging in at once for
 * far fewer seats. Exactly as many are admitted as there are seats, every round, and Redis agrees.
 */
class ConcurrentLoginIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static final int GATEWAYS = 3;
    private static final int AGENTS = 300;
    private static final int OUTBOUND_SEATS = 25;
    private static final int CLOSER_SEATS = 10;

    private static final List<ApiClient> gateways = new ArrayList<>();

    @BeforeAll
    static void startGateways() {
        for (int i = 0; i < GATEWAYS; i++) {
            gateways.add(new ApiClient(seatgate.startGateway()));
        }
    }

    @RepeatedTest(5)
    void exactlyAsManyAdmittedAsSeats() {
        String tenant = Fixtures.tenant(gateways.get(0), OUTBOUND_SEATS, CLOSER_SEATS, AGENTS);

        // Every agent logs in at once, spread over the gateways; one in five asks for a closer seat.
        var logins = new ArrayList<CompletableFuture<Reply>>();
        for (int i = 1; i <= AGENTS; i++) {
            String agentId = "a" + i;
            String type = i % 5 == 0 ? "closer" : "outbound";
            logins.add(gateways.get(i % GATEWAYS).loginAsync(tenant, agentId, password(agentId), type));
        }
        List<Reply> replies = logins.stream().map(CompletableFuture::join).toList();

        Map<String, Long> outcomes = replies.stream().collect(Collectors.groupingBy(
                reply -> reply.status() == 200 ? reply.json().get("licenseType").asText() : reply.errorCode(),
                Collectors.counting()));
        assertThat(outcomes).containsExactlyInAnyOrderEntriesOf(Map.of(
                "outbound", (long) OUTBOUND_SEATS,
                "closer", (long) CLOSER_SEATS,
                "SEATS_EXHAUSTED", (long) AGENTS - OUTBOUND_SEATS - CLOSER_SEATS));

        Reply licenses = gateways.get(1).licenses(tenant);
        assertThat(licenses.json().at("/licenses/outbound/inUse").asInt()).isEqualTo(OUTBOUND_SEATS);
        assertThat(licenses.json().at("/licenses/closer/inUse").asInt()).isEqualTo(CLOSER_SEATS);
        assertThat(seatgate.redis().sync().zcard("sg:{" + tenant + "}:leases:outbound")).isEqualTo(OUTBOUND_SEATS);
        assertThat(seatgate.redis().sync().hlen("sg:{" + tenant + "}:online")).isEqualTo(OUTBOUND_SEATS + CLOSER_SEATS);

        // Those refused retry while the admitted log out one by one: every freed seat goes to exactly one.
        List<Reply> admitted = replies.stream().filter(reply -> reply.status() == 200).toList();
        Map<String, Reply> byAgent = admitted.stream().collect(Collectors.toMap(
                reply -> reply.json().get("agentId").asText(), Function.identity()));
        List<String> outboundAdmitted = byAgent.values().stream()
                .filter(reply -> reply.json().get("licenseType").asText().equals("outbound"))
                .map(reply -> reply.json().get("sessionToken").asText()).limit(5).toList();
        var retries = new ArrayList<CompletableFuture<Reply>>();
        for (int i = 0; i < outboundAdmitted.size(); i++) {
            assertThat(gateways.get(i % GATEWAYS).logout(outboundAdmitted.get(i)).status()).isEqualTo(204);
        }
        for (int i = 1; i <= AGENTS; i++) {
            String agentId = "a" + i;
            if (!byAgent.containsKey(agentId) && i % 5 != 0) {
                retries.add(gateways.get(i % GATEWAYS).loginAsync(tenant, agentId, password(agentId), "outbound"));
            }
        }
        long readmitted = retries.stream().map(CompletableFuture::join).filter(reply -> reply.status() == 200).count();
        assertThat(readmitted).isEqualTo(outboundAdmitted.size());
        assertThat(gateways.get(2).licenses(tenant).json().at("/licenses/outbound/inUse").asInt())
                .isEqualTo(OUTBOUND_SEATS);
    }
}
