package dev.seatgate.redis;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Await;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sentinel-managed Redis ({@code SEATGATE_REDIS_URI=redis-sentinel://...}): the master is killed, the
 * sentinel promotes the replica, and the gateway follows by itself. Purchases acknowledged with
 * {@code SEATGATE_PURCHASE_REPLICAS=1} were on the replica before their 201, so the failover keeps them.
 */
class SentinelIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = SeatgateExtension.perTestOnSentinel();

    /** How long a failover, or a replica's return, may take here. */
    private static final Duration FAILOVER = Duration.ofSeconds(30);

    @Test
    void theGatewayFollowsAFailoverAndKeepsEveryAcknowledgedPurchase() {
        var api = new ApiClient(seatgate.startGateway("SEATGATE_PURCHASE_REPLICAS", "1", "SEATGATE_REDIS_TIMEOUT", "PT1S"));
        int oldMaster = seatgate.sentinel().master().port();
        assertThat(seatgate.sentinel().masterPort()).isEqualTo(oldMaster);
        String tenant = Fixtures.tenant(api, 2, 1, 3); // two purchases, each confirmed by the replica
        String first = Fixtures.sessionToken(api.login(tenant, "a1", password("a1"), "outbound"));

        seatgate.sentinel().master().stop();
        long stoppedAt = System.nanoTime();

        Reply duringFailover = api.login(tenant, "a2", password("a2"), "outbound");
        assertThat(duringFailover.status()).as("fail closed while there is no master").isEqualTo(503);
        assertThat(Await.until(FAILOVER, () -> seatgate.sentinel().masterPort() == seatgate.sentinel().replica().port()))
                .as("the sentinel promoted the replica").isTrue();
        assertThat(Await.until(FAILOVER, () -> api.login(tenant, "a2", password("a2"), "outbound").status() == 200))
                .isTrue();
        System.out.printf("SentinelIT: logins admitted again %d ms after the master was killed%n",
                Duration.ofNanos(System.nanoTime() - stoppedAt).toMillis());
        assertThat(api.agent("GET", "/readyz", "").status()).isEqualTo(200);

        // On the new master: the purchases, the agents and the live lease all came through.
        Reply licenses = api.licenses(tenant);
        assertThat(licenses.json().at("/licenses/outbound/active").asInt()).isEqualTo(2);
        assertThat(licenses.json().at("/licenses/closer/active").asInt()).isEqualTo(1);
        assertThat(licenses.json().at("/licenses/outbound/inUse").asInt()).isEqualTo(2);
        assertThat(api.heartbeat(first).status()).as("the session from before the failover lives on").isEqualTo(200);
        assertThat(api.login(tenant, "a3", password("a3"), "outbound").errorCode()).isEqualTo("SEATS_EXHAUSTED");
    }

    @Test
    void withoutAReplicaToConfirmItAPurchaseIs503AndTheRetryWithTheSameKeyIsChargedOnce() {
        var api = new ApiClient(seatgate.startGateway("SEATGATE_PURCHASE_REPLICAS", "1", "SEATGATE_REDIS_TIMEOUT", "PT1S"));
        String tenant = Fixtures.tenant(api, 1, 0, 1);

        seatgate.sentinel().replica().stop();
        Reply unconfirmed = api.purchase(tenant, "outbound", 4, "buy-4");
        assertThat(unconfirmed.status()).isEqualTo(503);
        assertThat(unconfirmed.json().at("/error/message").asText()).contains("0 of 1").contains("same Idempotency-Key");
        // Logins never wait for replicas.
        assertThat(api.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);

        seatgate.sentinel().replica().restart();
        assertThat(Await.until(FAILOVER, () -> api.purchase(tenant, "outbound", 4, "buy-4").status() == 200))
                .as("the retry returns the recorded purchase once the replica confirms it").isTrue();
        assertThat(api.events(tenant).json().get("events").findValuesAsText("type").stream()
                .filter("purchase"::equals).count()).as("charged once").isEqualTo(2); // the fixture's and this one
        assertThat(api.licenses(tenant).json().at("/licenses/outbound/active").asInt()).isEqualTo(5);
    }
}
