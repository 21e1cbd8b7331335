package dev.seatgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seatgate.Gateway;
import dev.seatgate.testing.SeatgateExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A short run of every scenario against a real gateway on a real Redis, so the load test keeps working. */
class LoadTestSmokeIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static Gateway gateway;

    @TempDir
    Path dir;

    @BeforeAll
    static void startGateway() {
        gateway = seatgate.startGateway("SEATGATE_LEASE_TTL", "PT2S", "SEATGATE_HEARTBEAT_INTERVAL", "PT1S");
    }

    @Test
    void loginsAndCyclesAnswerEveryRequestAndWriteTheJsonFile() throws Exception {
        Path json = dir.resolve("logins.json");
        Map<String, Object> logins = run("logins", "--tenant", "smoke-logins", "--agents", "8", "--connections", "8",
                "--duration", "PT2S", "--json", json.toString());
        Map<String, Object> cycles = run("cycles", "--tenant", "smoke-logins", "--no-setup", "--agents", "8",
                "--connections", "8", "--duration", "PT1S", "--rate", "200");

        assertThat(invariants(logins)).containsEntry("ok", true).containsEntry("unexpectedAnswers", 0L);
        assertThat(invariants(cycles)).containsEntry("ok", true);
        JsonNode written = new ObjectMapper().readTree(json.toFile());
        assertThat(written.at("/requests/login/count").asLong()).isPositive();
        assertThat(written.at("/requests/login/p99Ms").asDouble()).isPositive();
        assertThat(written.at("/invariants/ok").asBoolean()).isTrue();
        assertThat(requests(cycles)).containsKeys("login", "logout");
    }

    @Test
    void aStormAdmitsExactlyTheSeats() throws Exception {
        Map<String, Object> storm = run("storm", "--tenant", "smoke-storm", "--agents", "300", "--seats", "100",
                "--connections", "32", "--duration", "PT1S", "--warm");

        assertThat(invariants(storm)).containsEntry("ok", true).containsEntry("admitted", 100)
                .containsEntry("refusedSeatsExhausted", 200L).containsEntry("inUseInRedis", 100);
    }

    @Test
    void aSteadyDayEndsWithWhatTheClientsHoldEqualToInUse() throws Exception {
        Map<String, Object> steady = run("steady", "--tenant", "smoke-steady", "--agents", "30", "--seats", "20",
                "--connections", "16", "--duration", "PT4S", "--heartbeat", "PT1S", "--churn", "0.1",
                "--vanish", "0.05", "--purchase", "5");

        assertThat(invariants(steady)).containsEntry("ok", true).containsEntry("samplesOverActive", 0L);
        assertThat((Integer) invariants(steady).get("sessionsHeldByClients"))
                .isEqualTo(invariants(steady).get("inUseInRedis")).isBetween(1, 25); // 20 seats + 5 bought
        assertThat(invariants(steady).get("activeSeats")).isEqualTo(25);
    }

    private static Map<String, Object> run(String... args) throws Exception {
        var all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--agent-url", "http://127.0.0.1:" + gateway.agentPort(),
                "--admin-url", "http://127.0.0.1:" + gateway.adminPort(),
                "--admin-token", SeatgateExtension.ADMIN_TOKEN));
        return LoadTest.run(Options.parse(all));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> invariants(Map<String, Object> results) {
        return (Map<String, Object>) results.get("invariants");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> requests(Map<String, Object> results) {
        return (Map<String, Object>) results.get("requests");
    }
}
