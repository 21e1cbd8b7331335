package dev.seatgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seatgate.Gateway;
import dev.seatgate.testing.SeatgateExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** A short run of every scenario against real gateways on a real Redis, so the load test keeps working. */
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

    /** Without --warm every login is a first login; past the queue's bound they are told to come back, and do. */
    @Test
    void aColdStormBeyondTheHashingQueueComesBackWhenToldAndAdmitsExactlyTheSeats() throws Exception {
        Gateway strained = seatgate.startGateway("SEATGATE_PASSWORD_MEMORY_KIB", "19456", "SEATGATE_PASSWORD_PASSES",
                "2", "SEATGATE_HASH_QUEUE_WAIT", "PT0.5S");
        Map<String, Object> storm = run(strained, "storm", "--tenant", "smoke-cold", "--agents", "60", "--seats", "30",
                "--connections", "60", "--duration", "PT0.2S");

        assertThat(invariants(storm)).containsEntry("ok", true).containsEntry("admitted", 30)
                .containsEntry("refusedSeatsExhausted", 30L).containsEntry("otherAnswers", 0L);
        assertThat((Long) invariants(storm).get("retriedAfterOverloaded")).isPositive();
    }

    @Test
    void firstLoginsAreMeasuredWithTheBystandersBeforeAndDuring() throws Exception {
        Gateway realCost = seatgate.startGateway("SEATGATE_PASSWORD_MEMORY_KIB", "19456", "SEATGATE_PASSWORD_PASSES",
                "2");
        Map<String, Object> first = run(realCost, "first-logins", "--tenant", "smoke-first", "--agents", "60",
                "--connections", "8", "--rate", "50", "--warmup", "PT1S");

        assertThat(invariants(first)).containsEntry("ok", true).containsEntry("firstLogins", 40)
                .containsEntry("admitted", 60).containsEntry("unexpectedAnswers", 0L);
        assertThat((Long) invariants(first).get("passwordsHashed")).isGreaterThanOrEqualTo(60);
        assertThat(requests(first)).containsKeys("first login", "heartbeat (idle)", "heartbeat (hashing)",
                "cached login (idle)", "cached login (hashing)");
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

    /**
     * Takeovers logged in on a second gateway reach the sockets held on the first, dropped sockets' seats are freed
     * after the reconnect grace, and the independent sampler never sees more in use than active.
     */
    @Test
    void liveSocketsHearEveryTakeoverAndHoldNoMoreThanTheSeats() throws Exception {
        String[] live = {"SEATGATE_LEASE_TTL", "PT2S", "SEATGATE_HEARTBEAT_INTERVAL", "PT1S",
            "SEATGATE_RECONNECT_GRACE", "PT2S"};
        Gateway sockets = seatgate.startGateway(live);
        Gateway other = seatgate.startGateway(live);
        Map<String, Object> run = run(sockets, "live", "--tenant", "smoke-live", "--agents", "20", "--duration", "PT4S",
                "--heartbeat", "PT1S", "--churn", "0.2", "--vanish", "0.1", "--reconnect-grace", "PT2S",
                "--other-agent-url", "http://127.0.0.1:" + other.agentPort());

        Map<String, Object> checks = invariants(run);
        assertThat(checks).containsEntry("ok", true).containsEntry("samplesOverActive", 0L)
                .containsEntry("unexpectedEnds", 0L).containsEntry("wrongCloseCodes", 0L)
                .containsEntry("freedEarly", 0L).containsEntry("notFreed", 0L).containsEntry("socketsLost", 0L)
                .containsEntry("sessionsHeldByClients", 20).containsEntry("inUseInRedis", 20)
                .containsEntry("loggedOut", 20L);
        assertThat((Long) checks.get("pushesReceived")).isPositive().isEqualTo(checks.get("pushesExpected"));
        assertThat((Long) checks.get("dropped")).isPositive().isEqualTo(checks.get("freedAfterGrace"));
        assertThat((Long) checks.get("samples")).isPositive();
        assertThat(requests(run)).containsKeys("login (socket)", "takeover", "push", "drop to free");
    }

    /**
     * Holders log out on one gateway while the waiters long-poll the other: every waiter is admitted, in the order of
     * its place in line, and the command exits 0 (it exits 1 when one of these breaks).
     */
    @Test
    void aShiftChangeHandsEverySeatToTheNextInLineInOrder() throws Exception {
        Gateway other = seatgate.startGateway("SEATGATE_LEASE_TTL", "PT2S", "SEATGATE_HEARTBEAT_INTERVAL", "PT1S");
        Path json = dir.resolve("shift-change.json");
        var out = new StringWriter();
        var all = new ArrayList<>(List.of("shift-change", "--tenant", "smoke-shift", "--agents", "20", "--duration",
                "PT5S", "--connections", "8", "--other-agent-url", "http://127.0.0.1:" + other.agentPort(),
                "--json", json.toString()));
        all.addAll(targetArgs(gateway));
        int exit = LoadTestCommand.execute(new PrintWriter(out, true), new PrintWriter(out, true),
                all.toArray(String[]::new));

        assertThat(exit).as(out.toString()).isZero();
        JsonNode checks = new ObjectMapper().readTree(json.toFile()).get("invariants");
        assertThat(checks.get("ok").asBoolean()).isTrue();
        assertThat(checks.get("positionsOneToN").asBoolean()).isTrue();
        assertThat(checks.get("admittedInOrder").asBoolean()).isTrue();
        assertThat(checks.get("admittedOutOfOrder").asInt()).isZero();
        assertThat(checks.get("joinedLine").asInt()).isEqualTo(20);
        assertThat(checks.get("admitted").asInt()).isEqualTo(20);
        assertThat(checks.get("notAdmitted").asInt()).isZero();
        assertThat(checks.get("handOvers").asInt()).isEqualTo(20);
        assertThat(checks.get("logoutsAnswered").asInt()).isEqualTo(20);
        assertThat(checks.get("samples").asLong()).isPositive();
        assertThat(checks.get("samplesOverActive").asLong()).isZero();
        assertThat(checks.get("maxInUseSampled").asLong()).isLessThanOrEqualTo(20);
        assertThat(checks.get("inUseInRedis").asInt()).isEqualTo(20);
        assertThat(checks.get("loggedOutAtEnd").asLong()).isEqualTo(20);
        assertThat(checks.get("handOverP99Ms").asDouble()).isLessThan(checks.get("timeInLineMaxMs").asDouble());
    }

    @Test
    void heldSocketsAreNeverLost() throws Exception {
        Map<String, Object> run = run("sockets", "--tenant", "smoke-sockets", "--agents", "50", "--connections", "8",
                "--duration", "PT2S");

        assertThat(invariants(run)).containsEntry("ok", true).containsEntry("socketsAttached", 50)
                .containsEntry("socketsLost", 0L).containsEntry("inUseInRedis", 50).containsEntry("loggedOut", 50L);
    }

    private static Map<String, Object> run(String... args) throws Exception {
        return run(gateway, args);
    }

    private static Map<String, Object> run(Gateway target, String... args) throws Exception {
        var all = new ArrayList<>(List.of(args));
        all.addAll(targetArgs(target));
        return LoadTest.run(LoadTestCommand.parse(all));
    }

    private static List<String> targetArgs(Gateway target) {
        return List.of("--agent-url", "http://127.0.0.1:" + target.agentPort(),
                "--admin-url", "http://127.0.0.1:" + target.adminPort(),
                "--admin-token", SeatgateExtension.ADMIN_TOKEN);
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
