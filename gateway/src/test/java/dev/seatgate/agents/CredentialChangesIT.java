package dev.seatgate.agents;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.redis.RedisConnector;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Await;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.Scrape;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two gateways, each with its own credential cache: a change made on one is honoured by the other at once,
 * and the invalidation message every gateway listens to is published by every write that needs it.
 */
class CredentialChangesIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static ApiClient first;
    private static ApiClient second;

    @BeforeAll
    static void startTwoGateways() {
        first = new ApiClient(seatgate.startGateway());
        second = new ApiClient(seatgate.startGateway());
    }

    @Test
    void aPasswordChangedOnOneGatewayIsHonouredByTheOtherWithinASecond() {
        String tenant = Fixtures.tenant(first, 3, 0, 1);
        assertThat(second.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200); // cached there

        first.admin("PATCH", "/v1/tenants/" + tenant + "/agents/a1", Map.of("password", "changed-on-first"));
        long changedAt = System.nanoTime();

        assertThat(second.login(tenant, "a1", password("a1"), "outbound").errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(second.login(tenant, "a1", "changed-on-first", "outbound").status()).isEqualTo(200);
        assertThat(Duration.ofNanos(System.nanoTime() - changedAt)).isLessThan(Duration.ofSeconds(1));
    }

    /**
     * The claim would refuse a cached old password anyway (it compares the credential with Redis' and falls back
     * to the full check), which hid a broken invalidation: here the other gateway must have forgotten it, so the
     * old password is not even a cache hit there.
     */
    @Test
    void theOtherGatewayForgetsAChangedPasswordSoTheOldOneIsNotEvenACacheHit() throws Exception {
        String tenant = Fixtures.tenant(first, 3, 0, 1);
        assertThat(second.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200); // cached there
        assertThat(Await.until(Duration.ofSeconds(5), () -> seatgate.redis().sync()
                .pubsubNumsub(CredentialCache.INVALIDATION_CHANNEL).get(CredentialCache.INVALIDATION_CHANNEL) >= 2))
                .as("both gateways subscribe to the invalidations").isTrue();
        var received = new LinkedBlockingQueue<String>();
        try (var listener = RedisConnector.start(seatgate.redis().uri(), Duration.ofSeconds(1))) {
            listener.subscribe(CredentialCache.INVALIDATION_CHANNEL, received::add);
            awaitSubscribed(received);
            first.admin("PATCH", "/v1/tenants/" + tenant + "/agents/a1", Map.of("password", "changed-on-first"));
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(tenant + " a1"); // published to all at once
        }
        double cacheHits = cacheHits(second);

        assertThat(second.login(tenant, "a1", password("a1"), "outbound").errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(cacheHits(second)).as("forgotten on the other gateway: checked with the hash").isEqualTo(cacheHits);
    }

    private static double cacheHits(ApiClient gateway) {
        return Scrape.parse(gateway.metrics()).value("seatgate_credential_checks_total", "result", "cache_hit");
    }

    @Test
    void disablingOrDeletingOnOneGatewayStopsLoginsOnTheOther() {
        String tenant = Fixtures.tenant(first, 3, 0, 2);
        second.login(tenant, "a1", password("a1"), "outbound");
        second.login(tenant, "a2", password("a2"), "outbound");

        first.admin("PATCH", "/v1/tenants/" + tenant + "/agents/a1", Map.of("enabled", false));
        first.admin("DELETE", "/v1/tenants/" + tenant + "/agents/a2", null);

        assertThat(second.login(tenant, "a1", password("a1"), "outbound").errorCode()).isEqualTo("AGENT_DISABLED");
        assertThat(second.login(tenant, "a2", password("a2"), "outbound").errorCode()).isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void writesPublishTheInvalidationThatEveryGatewaySubscribesTo() throws Exception {
        String tenant = Fixtures.tenant(first, 0, 0, 2);
        var received = new LinkedBlockingQueue<String>();
        try (var listener = RedisConnector.start(seatgate.redis().uri(), Duration.ofSeconds(1))) {
            listener.subscribe(CredentialCache.INVALIDATION_CHANNEL, received::add);
            awaitSubscribed(received);

            first.admin("PATCH", "/v1/tenants/" + tenant + "/agents/a1", Map.of("name", "Renamed"));
            first.admin("DELETE", "/v1/tenants/" + tenant + "/agents/a2", null);

            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(tenant + " a1");
            assertThat(received.poll(5, TimeUnit.SECONDS)).isEqualTo(tenant + " a2");
        }
        assertThat(List.copyOf(received)).isEmpty();
    }

    /** Publishes probes until the fresh subscription hears one (it connects in the background). */
    private static void awaitSubscribed(LinkedBlockingQueue<String> received) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            seatgate.redis().sync().publish(CredentialCache.INVALIDATION_CHANNEL, "probe probe");
            if ("probe probe".equals(received.poll(100, TimeUnit.MILLISECONDS))) {
                received.clear();
                return;
            }
        }
        throw new AssertionError("the subscription never heard a message");
    }
}
