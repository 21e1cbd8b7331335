package dev.seatgate.licenses;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.ClockOffset;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Invariant 6 at the month boundary: three gateways cross the 1st together (one of them stops just before),
 * tenants without any traffic get their monthly cycle billed within the job's period, exactly once each, and
 * purchases and removals retried on every gateway at once are recorded once.
 */
class MonthBoundaryIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static final int TENANTS = 20;

    @Test
    void everyTenantIsBilledOncePerMonthHoweverManyGatewaysRun() throws Exception {
        Instant boundary = Instant.parse("2027-02-01T00:00:00Z");
        ClockOffset clock = ClockOffset.livingAt(boundary.minus(Duration.ofSeconds(8)));
        var gateways = new ArrayList<Gateway>();
        var clients = new ArrayList<ApiClient>();
        for (int i = 0; i < 3; i++) {
            gateways.add(seatgate.startGateway("SEATGATE_CLOCK_OFFSET", clock.setting()));
            clients.add(new ApiClient(gateways.get(i)));
        }
        var tenants = new ArrayList<String>();
        for (int i = 1; i <= TENANTS; i++) {
            String tenant = SeatgateExtension.newTenantId();
            ApiClient api = clients.get(i % 3);
            assertThat(api.putTenant(tenant, "UTC").status()).isEqualTo(201);
            assertThat(api.purchase(tenant, "outbound", i, "outbound-" + i).status()).isEqualTo(201);
            if (i % 4 == 0) {
                assertThat(api.purchase(tenant, "closer", 2, "closer-" + i).status()).isEqualTo(201);
            }
            tenants.add(tenant);
        }

        // The same purchase and the same removal, retried on all three gateways at once.
        String busy = tenants.get(0);
        List<Reply> purchases = retriedOnEveryGateway(clients, api -> api.purchaseAsync(busy, "closer", 4, "retried"));
        List<Reply> removals = retriedOnEveryGateway(clients, api -> api.removalAsync(busy, "closer", 1, "retried"));
        assertThat(purchases).extracting(Reply::status).containsExactlyInAnyOrder(201, 200, 200);
        assertThat(purchases).extracting(reply -> reply.json().get("purchaseId").asText()).containsOnly(
                purchases.get(0).json().get("purchaseId").asText());
        assertThat(removals).extracting(Reply::status).containsExactlyInAnyOrder(201, 200, 200);

        assertThat(clock.now()).as("set up before the 1st").isBefore(boundary.minusSeconds(1));
        clock.sleepUntil(boundary.minusSeconds(1));
        gateways.get(2).close(); // one gateway goes away just before midnight; the others carry on
        clock.sleepUntil(boundary.plus(BillingCycles.CHECK_PERIOD.multipliedBy(2)).plusSeconds(1));
        Thread.sleep(BillingCycles.CHECK_PERIOD.toMillis()); // time for a duplicate to show up, if any could

        for (int i = 1; i <= TENANTS; i++) {
            List<JsonNode> events = events(clients.get(i % 2), tenants.get(i - 1));
            List<JsonNode> cycles = events.stream().filter(event -> event.get("type").asText().equals("cycle")).toList();
            assertThat(cycles).as("tenant %d", i).hasSize(1);
            JsonNode cycle = cycles.get(0);
            assertThat(cycle.get("cycle").asText()).isEqualTo("2027-02");
            assertThat(Instant.parse(cycle.get("at").asText())).isEqualTo(boundary);
            int outbound = i;
            int closer = i == 1 ? 4 - 1 : (i % 4 == 0 ? 2 : 0); // tenant 1 bought 4 closers and dropped 1
            assertThat(cycle.at("/lines/0/seats").asInt()).isEqualTo(outbound);
            assertThat(cycle.at("/lines/0/amount").asText()).isEqualTo(outbound * 150 + ".00");
            assertThat(cycle.at("/lines/1/seats").asInt()).isEqualTo(closer);
            assertThat(cycle.at("/lines/1/amount").asText()).isEqualTo(closer * 100 + ".00");
        }
        Map<String, Long> busyEvents = events(clients.get(0), busy).stream()
                .collect(Collectors.groupingBy(event -> event.get("type").asText(), Collectors.counting()));
        assertThat(busyEvents).containsExactlyInAnyOrderEntriesOf(Map.of(
                "purchase", 2L, "removal_scheduled", 1L, "removal_applied", 1L, "cycle", 1L));
    }

    private static List<Reply> retriedOnEveryGateway(List<ApiClient> clients,
                                                     java.util.function.Function<ApiClient, CompletableFuture<Reply>> call) {
        return clients.stream().map(call).toList().stream().map(CompletableFuture::join).toList();
    }

    private static List<JsonNode> events(ApiClient api, String tenant) {
        return StreamSupport.stream(api.events(tenant).json().get("events").spliterator(), false).toList();
    }
}
