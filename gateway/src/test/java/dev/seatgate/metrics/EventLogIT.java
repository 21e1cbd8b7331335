package dev.seatgate.metrics;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Await;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.GatewayProcess;
import dev.seatgate.testing.LiveClient;
import dev.seatgate.testing.SeatgateExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * SEATGATE_LOG_FORMAT=json with SEATGATE_EVENT_LOG=INFO: one JSON object per line, one event line per agent
 * API request with tenant, agent, outcome and latency, and never a password or a session token.
 */
class EventLogIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    @TempDir
    Path dir;

    @Test
    void eachRequestIsOneJsonLineWithoutSecrets() throws Exception {
        var admin = new ApiClient(seatgate.startGateway());
        String tenant = Fixtures.tenant(admin, 1, 0, 1);
        try (var gateway = GatewayProcess.start(seatgate.redis(), dir.resolve("gateway.log"),
                "SEATGATE_LOG_FORMAT", "json", "SEATGATE_EVENT_LOG", "INFO")) {
            var api = new ApiClient(gateway.agentPort(), gateway.adminPort());
            String token = api.login(tenant, "a1", password("a1"), "outbound").json().get("sessionToken").asText();
            api.heartbeat(token);
            api.logout(token);
            api.login(tenant, "a1", "not-the-password", "outbound");
            assertThat(Await.until(Duration.ofSeconds(5), () -> events(gateway) >= 4)).as("four events logged").isTrue();

            List<JsonNode> lines = new ArrayList<>();
            for (String line : gateway.output()) {
                assertThat(line).doesNotContain(password("a1")).doesNotContain("not-the-password")
                        .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
                lines.add(new ObjectMapper().readTree(line)); // every line is JSON
            }
            List<Map<String, String>> events = lines.stream()
                    .filter(line -> line.path("loggerName").asText().equals("seatgate.events"))
                    .map(EventLogIT::keyValues).toList();
            assertThat(events).extracting(event -> event.get("event") + " " + event.get("outcome")).containsExactly(
                    "login admitted", "heartbeat ok", "logout ok", "login invalid_credentials");
            Map<String, String> login = events.get(0);
            assertThat(login).containsEntry("tenant", tenant).containsEntry("agentId", "a1")
                    .containsEntry("licenseType", "outbound").containsEntry("status", "200")
                    .containsKeys("sessionId", "latencyMs");
            assertThat(events.get(1)).containsEntry("tenant", tenant).containsEntry("sessionId", login.get("sessionId"));
        }
    }

    /** A login over a live socket is an event like an HTTP login, and no line holds the password or the token. */
    @Test
    void aLoginOverALiveSocketIsLoggedWithoutSecrets() throws Exception {
        var admin = new ApiClient(seatgate.startGateway());
        String tenant = Fixtures.tenant(admin, 1, 0, 1);
        try (var gateway = GatewayProcess.start(seatgate.redis(), dir.resolve("live.log"),
                "SEATGATE_LOG_FORMAT", "json", "SEATGATE_EVENT_LOG", "INFO");
             var socket = LiveClient.connect(gateway.agentPort())) {
            String token = socket.send(Map.of("type", "login", "tenant", tenant, "agentId", "a1", "password",
                    password("a1"), "licenseType", "outbound")).next().json().get("sessionToken").asText();
            socket.send(Map.of("type", "logout")).next();
            assertThat(Await.until(Duration.ofSeconds(5), () -> events(gateway) >= 1)).as("the login logged").isTrue();

            for (String line : gateway.output()) {
                assertThat(line).doesNotContain(password("a1"))
                        .doesNotContain(token.substring(token.lastIndexOf('.') + 1));
            }
            assertThat(gateway.output()).anyMatch(line -> line.contains("seatgate.events")
                    && line.contains("\"login\"") && line.contains("admitted"));
        }
    }

    /** logback's JsonEncoder writes key-value pairs as a list of one-entry objects. */
    private static Map<String, String> keyValues(JsonNode line) {
        var values = new LinkedHashMap<String, String>();
        for (JsonNode pair : line.path("kvpList")) {
            pair.properties().forEach(entry -> values.put(entry.getKey(), entry.getValue().asText()));
        }
        return values;
    }

    private static long events(GatewayProcess gateway) {
        try {
            return gateway.output().stream().filter(line -> line.contains("seatgate.events")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
