package dev.seatgate.licenses;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Bought seats are pending until their activation time and then claimable on every gateway, without a
 * restart or a scheduler (invariant 3), and counted exactly once.
 */
class ActivationDelayIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static final Duration DELAY = Duration.ofSeconds(2);
    private static ApiClient buyer;
    private static ApiClient other;

    @BeforeAll
    static void startTwoGateways() {
        buyer = new ApiClient(seatgate.startGateway("SEATGATE_ACTIVATION_DELAY", DELAY.toString()));
        other = new ApiClient(seatgate.startGateway("SEATGATE_ACTIVATION_DELAY", DELAY.toString()));
    }

    @Test
    void seatsArePendingBeforeTheActivationTimeAndClaimableFromItOnEveryGateway() throws Exception {
        String tenant = SeatgateExtension.newTenantId();
        buyer.putTenant(tenant, "UTC");
        for (int i = 1; i <= 4; i++) {
            buyer.createAgent(tenant, "a" + i, password("a" + i), List.of("outbound"));
        }

        Reply purchase = buyer.purchase(tenant, "outbound", 3, "activation-1");
        Instant purchasedAt = Instant.parse(purchase.json().get("purchasedAt").asText());
        Instant activatesAt = Instant.parse(purchase.json().get("activatesAt").asText());
        assertThat(Duration.between(purchasedAt, activatesAt)).isEqualTo(DELAY);

        Reply before = other.licenses(tenant);
        assertThat(before.json().at("/licenses/outbound/active").asInt()).isZero();
        assertThat(before.json().at("/licenses/outbound/pending/0/purchaseId").asText())
                .isEqualTo(purchase.json().get("purchaseId").asText());
        assertThat(before.json().at("/licenses/outbound/pending/0/count").asInt()).isEqualTo(3);
        assertThat(before.json().at("/licenses/outbound/pending/0/activatesAt").asText())
                .isEqualTo(purchase.json().get("activatesAt").asText());
        Reply tooEarly = other.login(tenant, "a1", password("a1"), "outbound");
        assertThat(tooEarly.errorCode()).isEqualTo("SEATS_EXHAUSTED");
        assertThat(tooEarly.json().at("/error/details/nextActivationAt").asText())
                .isEqualTo(purchase.json().get("activatesAt").asText());

        sleepUntil(activatesAt.plusMillis(200));

        // Many claims and reads race on both gateways for the freshly due purchase: it must count once.
        List<CompletableFuture<Reply>> logins = IntStream.rangeClosed(1, 4)
                .mapToObj(i -> (i % 2 == 0 ? buyer : other).loginAsync(tenant, "a" + i, password("a" + i), "outbound"))
                .toList();
        List<Reply> reads = IntStream.range(0, 6).mapToObj(i -> (i % 2 == 0 ? buyer : other).licenses(tenant)).toList();

        long admitted = logins.stream().map(CompletableFuture::join).filter(reply -> reply.status() == 200).count();
        assertThat(admitted).isEqualTo(3);
        Reply after = buyer.licenses(tenant);
        assertThat(after.json().at("/licenses/outbound/active").asInt()).isEqualTo(3);
        assertThat(after.json().at("/licenses/outbound/inUse").asInt()).isEqualTo(3);
        assertThat(after.json().at("/licenses/outbound/pending")).isEmpty();
        assertThat(reads).allSatisfy(read -> assertThat(read.json().at("/licenses/outbound/active").asInt())
                .isIn(0, 3)); // before or after the fold, never in between or double
    }

    @Test
    void aPendingPurchaseAddsToSeatsAlreadyActive() throws Exception {
        String tenant = SeatgateExtension.newTenantId();
        buyer.putTenant(tenant, "UTC");
        buyer.purchase(tenant, "closer", 2, "first");
        Reply firstLicenses = buyer.licenses(tenant);
        Instant firstActivation = Instant.parse(firstLicenses.json().at("/licenses/closer/pending/0/activatesAt").asText());
        sleepUntil(firstActivation.plusMillis(100));
        assertThat(buyer.licenses(tenant).json().at("/licenses/closer/active").asInt()).isEqualTo(2);

        Reply second = buyer.purchase(tenant, "closer", 5, "second");
        assertThat(other.licenses(tenant).json().at("/licenses/closer/active").asInt()).isEqualTo(2);
        sleepUntil(Instant.parse(second.json().get("activatesAt").asText()).plusMillis(100));

        Reply after = other.licenses(tenant);
        assertThat(after.json().at("/licenses/closer/active").asInt()).isEqualTo(7);
        assertThat(after.json().at("/licenses/closer/available").asInt()).isEqualTo(7);
    }

    private static void sleepUntil(Instant moment) throws InterruptedException {
        long millis = Duration.between(Instant.now(), moment).toMillis();
        if (millis > 0) {
            Thread.sleep(millis);
        }
    }
}
