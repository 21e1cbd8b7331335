package dev.seatgate.licenses;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Await;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Invariant 6: an acknowledged purchase survives Redis being killed and restarted from its AOF. */
class PurchaseDurabilityIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = SeatgateExtension.withAppendOnlyFile();

    @Test
    void aPurchaseAcknowledgedBeforeRedisDiesActivatesAfterItRestarts() throws Exception {
        var api = new ApiClient(seatgate.startGateway("SEATGATE_ACTIVATION_DELAY", "PT3S"));
        String tenant = SeatgateExtension.newTenantId();
        api.putTenant(tenant, "Europe/Berlin");
        api.createAgent(tenant, "a1", password("a1"), List.of("outbound"));
        Reply purchase = api.purchase(tenant, "outbound", 2, "durable");
        assertThat(purchase.status()).isEqualTo(201);

        seatgate.redis().stop(); // SIGKILL, right after the 201
        seatgate.redis().restart();

        Instant activatesAt = Instant.parse(purchase.json().get("activatesAt").asText());
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), activatesAt).toMillis()) + 300);
        Reply login = awaitNot503(() -> api.login(tenant, "a1", password("a1"), "outbound"));
        assertThat(login.status()).isEqualTo(200);
        assertThat(api.licenses(tenant).json().at("/licenses/outbound/active").asInt()).isEqualTo(2);
        assertThat(api.purchase(tenant, "outbound", 2, "durable").json().get("purchaseId").asText())
                .as("the idempotency record survived too").isEqualTo(purchase.json().get("purchaseId").asText());
        assertThat(api.events(tenant).json().get("events")).extracting(event -> event.get("type").asText())
                .containsExactly("purchase");
    }

    /** The first answer that is not 503 (Redis still loading its AOF), within ten seconds. */
    private static Reply awaitNot503(Supplier<Reply> call) {
        var reply = new AtomicReference<Reply>();
        Await.until(Duration.ofSeconds(10), Duration.ofMillis(200), () -> {
            reply.set(call.get());
            return reply.get().status() != 503;
        });
        return reply.get();
    }
}
