package dev.seatgate;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Await;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.GatewayProcess;
import dev.seatgate.testing.SeatgateExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM on a real gateway process: stop accepting, finish what is in flight, then exit. */
class GracefulShutdownIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    @TempDir
    Path dir;

    @Test
    void sigtermStopsAcceptingButFinishesTheLoginInFlight() throws Exception {
        var admin = new ApiClient(seatgate.startGateway());
        String tenant = Fixtures.tenant(admin, 1, 0, 1);
        try (var gateway = GatewayProcess.start(seatgate.redis(), dir.resolve("gateway.log"),
                "SEATGATE_REDIS_TIMEOUT", "PT5S", "SEATGATE_SHUTDOWN_GRACE", "PT10S")) {
            int agentPort = gateway.agentPort();
            seatgate.redis().pause(); // the login below waits on Redis: in flight when SIGTERM comes
            CompletableFuture<HttpResponse<String>> login;
            try {
                login = HttpClient.newHttpClient().sendAsync(HttpRequest.newBuilder(
                                URI.create("http://127.0.0.1:" + agentPort + "/v1/login"))
                        .POST(HttpRequest.BodyPublishers.ofString(ApiClient.json(Map.of("tenant", tenant,
                                "agentId", "a1", "password", password("a1"), "licenseType", "outbound"))))
                        .build(), HttpResponse.BodyHandlers.ofString());
                Thread.sleep(300); // time for the request to arrive: nothing outside the gateway can see it waiting
                gateway.process().destroy(); // SIGTERM

                assertThat(Await.until(Duration.ofSeconds(5), () -> refusesConnections(agentPort)))
                        .as("no new connections once draining").isTrue();
                assertThat(login).isNotDone();
            } finally {
                seatgate.redis().resume();
            }

            HttpResponse<String> answered = login.get(10, TimeUnit.SECONDS);
            assertThat(answered.statusCode()).isEqualTo(200);
            assertThat(answered.headers().firstValue("connection")).hasValue("close");
            assertThat(gateway.process().waitFor(15, TimeUnit.SECONDS)).as("the process exits").isTrue();
            Reply licenses = admin.licenses(tenant);
            assertThat(licenses.json().at("/licenses/outbound/inUse").asInt()).as("the login took its seat").isEqualTo(1);
        }
    }

    private static boolean refusesConnections(int port) {
        try {
            new Socket("127.0.0.1", port).close(); // it accepted: still listening
            return false;
        } catch (ConnectException refused) {
            return true;
        } catch (IOException other) {
            throw new UncheckedIOException(other);
        }
    }
}
