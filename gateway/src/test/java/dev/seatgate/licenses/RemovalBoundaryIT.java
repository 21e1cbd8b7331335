package dev.seatgate.licenses;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Await;
import dev.seatgate.testing.ClockOffset;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Removals across a real month boundary, lived through with gateways whose clock is a few seconds before
 * the 1st (SEATGATE_CLOCK_OFFSET): before it the seats stay usable, from it every gateway counts the lower
 * number, nobody is logged out, and the ledger records the removal and the month's cycle once.
 */
class RemovalBoundaryIT {

    @RegisterExtension
    final SeatgateExtension seatgate = SeatgateExtension.perTest();

    private static final Duration LEAD = Duration.ofSeconds(4);

    @ParameterizedTest(name = "{0}: the cycle of {2} starts at {1}")
    @CsvSource({
            // zone,              cycle start (00:00 on the 1st there), month,   next cycle start
            "UTC,                 2026-12-01T00:00:00Z,                 2026-12, 2027-01-01T00:00:00Z",
            "America/New_York,    2026-11-01T04:00:00Z,                 2026-11, 2026-12-01T05:00:00Z", // DST ends that day
            "Pacific/Kiritimati,  2026-11-30T10:00:00Z,                 2026-12, 2026-12-31T10:00:00Z", // UTC+14
            "UTC,                 2028-03-01T00:00:00Z,                 2028-03, 2028-04-01T00:00:00Z", // after a leap Feb
    })
    void removalTakesEffectAtTheNextFirstInTheTenantsZone(String zone, String start, String month, String nextStart)
            throws Exception {
        Instant boundary = Instant.parse(start);
        ClockOffset clock = ClockOffset.livingAt(boundary.minus(LEAD));
        ApiClient first = new ApiClient(seatgate.startGateway("SEATGATE_CLOCK_OFFSET", clock.setting()));
        ApiClient second = new ApiClient(seatgate.startGateway("SEATGATE_CLOCK_OFFSET", clock.setting()));
        String tenant = SeatgateExtension.newTenantId();
        assertThat(first.putTenant(tenant, zone).status()).isEqualTo(201);
        Reply purchase = first.purchase(tenant, "outbound", 5, "buy-5");
        assertThat(purchase.json().at("/charge/daysRemaining").asInt()).as("the last day of the month").isEqualTo(1);
        var sessions = new ArrayList<String>();
        for (int i = 1; i <= 5; i++) {
            first.createAgent(tenant, "a" + i, password("a" + i), List.of("outbound"));
        }

        // Before the 1st: the removal is scheduled for the 1st and the seats stay usable.
        Reply removal = first.removal(tenant, "outbound", 2, null);
        assertThat(removal.status()).isEqualTo(201);
        assertThat(removal.json().get("removalId").asText()).startsWith("r_");
        assertThat(removal.json().get("licenseType").asText()).isEqualTo("outbound");
        assertThat(removal.json().get("count").asInt()).isEqualTo(2);
        assertThat(Instant.parse(removal.json().get("effectiveAt").asText())).isEqualTo(boundary);
        Reply tooMany = second.removal(tenant, "outbound", 4, null);
        assertThat(tooMany.status()).isEqualTo(422);
        assertThat(tooMany.errorCode()).isEqualTo("INVALID_COUNT");
        assertThat(tooMany.json().at("/error/details/removable").asInt()).isEqualTo(3);
        for (int i = 1; i <= 4; i++) {
            Reply login = (i % 2 == 0 ? first : second).login(tenant, "a" + i, password("a" + i), "outbound");
            assertThat(login.status()).as("seat %d of 5 before the 1st", i).isEqualTo(200);
            sessions.add(login.json().get("sessionToken").asText());
        }
        JsonNode before = second.licenses(tenant).json().at("/licenses/outbound");
        assertThat(before.get("active").asInt()).isEqualTo(5);
        assertThat(before.at("/scheduledRemovals/0/count").asInt()).isEqualTo(2);
        assertThat(Instant.parse(before.at("/scheduledRemovals/0/effectiveAt").asText())).isEqualTo(boundary);
        assertThat(clock.now()).as("still before the 1st").isBefore(boundary);

        clock.sleepUntil(boundary.plusMillis(300));

        // A purchase just after midnight is charged for the whole new month, so the cycle must not bill it.
        Reply afterMidnight = first.purchase(tenant, "closer", 1, "after-midnight");
        assertThat(afterMidnight.json().at("/charge/daysRemaining").asInt())
                .isEqualTo(afterMidnight.json().at("/charge/daysInMonth").asInt());

        // From the 1st: 3 seats; the 4 agents logged in stay, new logins wait until in-use drops below 3.
        JsonNode after = second.licenses(tenant).json().at("/licenses/outbound");
        assertThat(after.get("active").asInt()).isEqualTo(3);
        assertThat(after.get("inUse").asInt()).isEqualTo(4);
        assertThat(after.get("available").asInt()).isZero();
        assertThat(after.get("scheduledRemovals")).isEmpty();
        for (String session : sessions) {
            assertThat(first.heartbeat(session).status()).as("nobody is logged out").isEqualTo(200);
        }
        assertThat(first.login(tenant, "a5", password("a5"), "outbound").errorCode()).isEqualTo("SEATS_EXHAUSTED");
        first.logout(sessions.get(0));
        assertThat(second.login(tenant, "a5", password("a5"), "outbound").errorCode())
                .as("3 in use of 3").isEqualTo("SEATS_EXHAUSTED");
        first.logout(sessions.get(1));
        assertThat(second.login(tenant, "a5", password("a5"), "outbound").status()).as("2 in use of 3").isEqualTo(200);

        // At or after the 1st, a removal waits for the next 1st.
        Reply later = second.removal(tenant, "outbound", 1, null);
        assertThat(Instant.parse(later.json().get("effectiveAt").asText())).isEqualTo(Instant.parse(nextStart));

        // The ledger: purchase, scheduled, applied, then (within the job's period) the month's cycle, once.
        List<JsonNode> events = awaitEvents(first, tenant, 6);
        assertThat(events).extracting(event -> event.get("type").asText()).containsExactly(
                "purchase", "removal_scheduled", "removal_applied", "cycle", "purchase", "removal_scheduled");
        assertThat(events.get(2).get("removalId").asText()).isEqualTo(removal.json().get("removalId").asText());
        assertThat(Instant.parse(events.get(2).get("effectiveAt").asText())).isEqualTo(boundary);
        JsonNode cycle = events.get(3);
        assertThat(cycle.get("cycle").asText()).isEqualTo(month);
        assertThat(Instant.parse(cycle.get("at").asText())).isEqualTo(boundary);
        assertThat(cycle.at("/lines/0/licenseType").asText()).isEqualTo("outbound");
        assertThat(cycle.at("/lines/0/seats").asInt()).isEqualTo(3);
        assertThat(cycle.at("/lines/0/unitMonthlyPrice").asText()).isEqualTo("150.00");
        assertThat(cycle.at("/lines/0/amount").asText()).isEqualTo("450.00");
        assertThat(cycle.at("/lines/1/licenseType").asText()).isEqualTo("closer");
        assertThat(cycle.at("/lines/1/seats").asInt()).as("bought after midnight").isZero();
        assertThat(cycle.at("/lines/1/amount").asText()).isEqualTo("0.00");
    }

    /**
     * Two of three seats removed from the next 1st (UTC), then the tenant moves to Asia/Tokyo, where December
     * starts at 15:00 UTC on November 30: the removal moves with the month, so the cycle bills one seat (it
     * billed three, the removal landing nine hours into the tenant's month).
     */
    @Test
    void aZoneChangeTakesTheScheduledRemovalAlongToTheMonthsNewStart() throws Exception {
        Instant tokyoDecember = Instant.parse("2026-11-30T15:00:00Z");
        ClockOffset clock = ClockOffset.livingAt(tokyoDecember.minus(LEAD));
        ApiClient api = new ApiClient(seatgate.startGateway("SEATGATE_CLOCK_OFFSET", clock.setting()));
        String tenant = SeatgateExtension.newTenantId();
        assertThat(api.putTenant(tenant, "UTC").status()).isEqualTo(201);
        assertThat(api.purchase(tenant, "outbound", 3, "buy-3").status()).isEqualTo(201);
        Reply removal = api.removal(tenant, "outbound", 2, null);
        assertThat(Instant.parse(removal.json().get("effectiveAt").asText()))
                .isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));

        assertThat(api.putTenant(tenant, "Asia/Tokyo").status()).isEqualTo(200);

        JsonNode before = api.licenses(tenant).json().at("/licenses/outbound");
        assertThat(Instant.parse(before.at("/scheduledRemovals/0/effectiveAt").asText())).isEqualTo(tokyoDecember);
        assertThat(before.get("active").asInt()).isEqualTo(3);
        clock.sleepUntil(tokyoDecember.plusMillis(300));
        assertThat(api.licenses(tenant).json().at("/licenses/outbound/active").asInt()).isEqualTo(1);

        List<JsonNode> events = awaitEvents(api, tenant, 4);
        assertThat(events).extracting(event -> event.get("type").asText())
                .containsExactly("purchase", "removal_scheduled", "removal_applied", "cycle");
        assertThat(Instant.parse(events.get(2).get("effectiveAt").asText())).isEqualTo(tokyoDecember);
        assertThat(events.get(3).get("cycle").asText()).isEqualTo("2026-12");
        assertThat(Instant.parse(events.get(3).get("at").asText())).isEqualTo(tokyoDecember);
        assertThat(events.get(3).at("/lines/0/seats").asInt()).isEqualTo(1);
    }

    @Test
    void aRemovalScheduledWhilePurchasesArePendingCountsThemAndBillsWhatIsLeft() throws Exception {
        Instant boundary = Instant.parse("2027-01-01T00:00:00Z");
        ClockOffset clock = ClockOffset.livingAt(boundary.minus(LEAD));
        ApiClient quick = new ApiClient(seatgate.startGateway("SEATGATE_CLOCK_OFFSET", clock.setting()));
        ApiClient slow = new ApiClient(seatgate.startGateway("SEATGATE_CLOCK_OFFSET", clock.setting(),
                "SEATGATE_ACTIVATION_DELAY", "PT6S"));
        String tenant = SeatgateExtension.newTenantId();
        quick.putTenant(tenant, "UTC");
        quick.purchase(tenant, "outbound", 2, "now");
        Reply pending = slow.purchase(tenant, "outbound", 3, "later"); // activates 2 s after the 1st
        quick.createAgent(tenant, "a1", password("a1"), List.of("outbound"));

        assertThat(quick.removal(tenant, "outbound", 6, null).errorCode()).as("2 active + 3 pending").isEqualTo("INVALID_COUNT");
        assertThat(quick.removal(tenant, "outbound", 4, null).status()).isEqualTo(201);
        assertThat(quick.removal(tenant, "outbound", 2, null).errorCode()).as("1 left to remove").isEqualTo("INVALID_COUNT");

        clock.sleepUntil(boundary.plusMillis(300));
        JsonNode between = quick.licenses(tenant).json().at("/licenses/outbound");
        assertThat(between.get("active").asInt()).as("the removal outran the purchase").isZero();
        assertThat(between.at("/pending/0/count").asInt()).isEqualTo(3);
        assertThat(quick.login(tenant, "a1", password("a1"), "outbound").errorCode()).isEqualTo("SEATS_EXHAUSTED");

        clock.sleepUntil(Instant.parse(pending.json().get("activatesAt").asText()).plusMillis(300));
        assertThat(quick.licenses(tenant).json().at("/licenses/outbound/active").asInt()).isEqualTo(1);
        assertThat(quick.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);

        JsonNode cycle = awaitEvents(quick, tenant, 5).stream()
                .filter(event -> event.get("type").asText().equals("cycle")).findFirst().orElseThrow();
        assertThat(cycle.at("/lines/0/seats").asInt()).as("5 owned - 4 removed").isEqualTo(1);
        assertThat(cycle.at("/lines/0/amount").asText()).isEqualTo("150.00");
    }

    @Test
    void removalsAreValidatedAndIdempotentWithAKey() {
        ApiClient api = new ApiClient(seatgate.startGateway());
        String tenant = SeatgateExtension.newTenantId();
        api.putTenant(tenant, "UTC");
        api.purchase(tenant, "closer", 3, "c3");

        Reply first = api.removal(tenant, "closer", 1, "drop-1");
        Reply retry = api.removal(tenant, "closer", 1, "drop-1");
        Reply otherBody = api.removal(tenant, "closer", 2, "drop-1");

        assertThat(first.status()).isEqualTo(201);
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(otherBody.errorCode()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(api.licenses(tenant).json().at("/licenses/closer/scheduledRemovals")).hasSize(1);
        assertThat(api.removal(tenant, "closer", 0, null).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(api.removal(tenant, "gold", 1, null).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(api.removal("nobody-" + System.nanoTime(), "closer", 1, null).errorCode()).isEqualTo("TENANT_NOT_FOUND");
        assertThat(api.removal(tenant, "outbound", 1, null).errorCode()).as("no outbound seats").isEqualTo("INVALID_COUNT");
        assertThat(api.removal(tenant, "closer", 3, null).errorCode()).as("2 left to remove").isEqualTo("INVALID_COUNT");
        assertThat(api.removal(tenant, "closer", 2, null).status()).isEqualTo(201);
    }

    /** Polls the ledger until it holds {@code count} events (the cycle lands within the job's period). */
    private static List<JsonNode> awaitEvents(ApiClient api, String tenant, int count) throws InterruptedException {
        Await.until(BillingCycles.CHECK_PERIOD.multipliedBy(3), Duration.ofMillis(200),
                () -> api.events(tenant).json().get("events").size() >= count);
        Thread.sleep(BillingCycles.CHECK_PERIOD.toMillis()); // and nothing more arrives: each event once
        return StreamSupport.stream(api.events(tenant).json().get("events").spliterator(), false).toList();
    }
}
