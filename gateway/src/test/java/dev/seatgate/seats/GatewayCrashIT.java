package dev.seatgate.seats;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.GatewayProcess;
import dev.seatgate.testing.SeatgateExtension;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Invariant 4 when a gateway dies: a gateway process killed with SIGKILL while its agents hold seats. Seats
 * live in Redis, not in the gateway, so those whose softphones went quiet are free within one lease TTL;
 * a softphone that moves its heartbeats to another gateway keeps its seat; the other gateway never stops
 * serving.
 */
class GatewayCrashIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static final Duration LEASE_TTL = Duration.ofSeconds(3);

    @Test
    void aKilledGatewaysSeatsAreFreeWithinOneLeaseTtlAndTheOthersCarryOn(@TempDir Path dir) throws Exception {
        String[] settings = {"SEATGATE_LEASE_TTL", LEASE_TTL.toString(), "SEATGATE_HEARTBEAT_INTERVAL", "PT1S",
                "SEATGATE_ACTIVATION_DELAY", "PT0S"};
        try (var doomed = GatewayProcess.start(seatgate.redis(), dir.resolve("doomed.log"), settings);
             var survivor = GatewayProcess.start(seatgate.redis(), dir.resolve("survivor.log"), settings)) {
            var viaDoomed = new ApiClient(doomed.agentPort(), doomed.adminPort());
            var viaSurvivor = new ApiClient(survivor.agentPort(), survivor.adminPort());
            String tenant = Fixtures.tenant(viaSurvivor, 4, 0, 8);
            List<String> tokens = new ArrayList<>();
            for (int i = 1; i <= 4; i++) {
                tokens.add(Fixtures.sessionToken(viaDoomed.login(tenant, "a" + i, password("a" + i), "outbound")));
            }
            assertThat(viaSurvivor.login(tenant, "a5", password("a5"), "outbound").errorCode()).isEqualTo("SEATS_EXHAUSTED");

            long killedAt = System.nanoTime();
            doomed.kill();
            assertThat(doomed.process().waitFor()).isEqualTo(137);

            // a4's softphone reconnects to the survivor and heartbeats there; a1..a3 went down with the gateway.
            Duration firstFree = null;
            long lastHeartbeat = 0;
            while (firstFree == null && System.nanoTime() - killedAt < LEASE_TTL.multipliedBy(3).toNanos()) {
                if (System.nanoTime() - lastHeartbeat > Duration.ofMillis(500).toNanos()) {
                    assertThat(viaSurvivor.heartbeat(tokens.get(3)).status()).isEqualTo(200);
                    lastHeartbeat = System.nanoTime();
                }
                Reply login = viaSurvivor.login(tenant, "a5", password("a5"), "outbound");
                if (login.status() == 200) {
                    firstFree = Duration.ofNanos(System.nanoTime() - killedAt);
                } else {
                    assertThat(login.errorCode()).isEqualTo("SEATS_EXHAUSTED");
                    Thread.sleep(50);
                }
            }
            System.out.printf("GatewayCrashIT: first seat free %d ms after the kill (lease TTL %d ms)%n",
                    firstFree == null ? -1 : firstFree.toMillis(), LEASE_TTL.toMillis());
            assertThat(firstFree).as("a seat came free").isNotNull();
            assertThat(firstFree).isLessThanOrEqualTo(LEASE_TTL.plusMillis(500));

            // Every quiet lease was granted before the kill, so one TTL after it all three seats are free; the
            // one still heartbeating is not.
            Thread.sleep(Math.max(0, LEASE_TTL.toMillis() - Duration.ofNanos(System.nanoTime() - killedAt).toMillis()));
            assertThat(viaSurvivor.heartbeat(tokens.get(3)).status()).isEqualTo(200);
            assertThat(viaSurvivor.login(tenant, "a6", password("a6"), "outbound").status()).isEqualTo(200);
            assertThat(viaSurvivor.login(tenant, "a7", password("a7"), "outbound").status()).isEqualTo(200);
            assertThat(viaSurvivor.login(tenant, "a8", password("a8"), "outbound").errorCode()).isEqualTo("SEATS_EXHAUSTED");
            assertThat(viaSurvivor.heartbeat(tokens.get(3)).status()).isEqualTo(200);
            assertThat(viaSurvivor.heartbeat(tokens.get(0)).status()).as("a1's lease ran out").isEqualTo(410);
            assertThat(viaSurvivor.licenses(tenant).json().at("/licenses/outbound/inUse").asInt()).isEqualTo(4);
        }
    }
}
