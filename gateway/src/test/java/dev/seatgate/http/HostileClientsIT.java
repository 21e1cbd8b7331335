package dev.seatgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Await;
import dev.seatgate.testing.RawHttp;
import dev.seatgate.testing.Scrape;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Clients that misbehave on purpose (slowloris, connection floods, truncated and oversized requests) are
 * cut off with the right status or a closed socket, within the configured limits, while a well-behaved
 * client on the same gateway keeps being served.
 */
class HostileClientsIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static final String HEALTH = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";

    @Test
    void slowClientsGet408AtTheRequestDeadlineWhileOthersAreServed() throws InterruptedException {
        Gateway gateway = seatgate.startGateway("SEATGATE_REQUEST_TIMEOUT", "PT1S", "SEATGATE_IDLE_TIMEOUT", "PT60S");
        var slow = new ArrayList<RawHttp>();
        try {
            for (int i = 0; i < 50; i++) {
                slow.add(new RawHttp(gateway.agentPort()).send("POST /v1/login HTTP/1.1\r\nHost: x\r\n"));
            }
            long started = System.nanoTime();
            // Each keeps trickling a header byte by byte, never finishing: the idle timeout never fires.
            while (System.nanoTime() - started < Duration.ofMillis(800).toNanos()) {
                for (RawHttp client : slow) {
                    client.send("X");
                }
                try (var polite = new RawHttp(gateway.agentPort())) {
                    assertThat(polite.send(HEALTH).readResponse()).startsWith("HTTP/1.1 200");
                }
                Thread.sleep(100);
            }
            for (RawHttp client : slow) {
                String response = client.readResponse();
                assertThat(response).startsWith("HTTP/1.1 408").contains("\"code\":\"REQUEST_TIMEOUT\"")
                        .containsIgnoringCase("connection: close");
                assertThat(client.closedWithin(2000)).isTrue();
            }
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        } finally {
            slow.forEach(RawHttp::close);
        }
    }

    @Test
    void aRequestThatArrivesInTimeIsNotCutOffAndTheDeadlineStartsAgainForTheNext() throws InterruptedException {
        Gateway gateway = seatgate.startGateway("SEATGATE_REQUEST_TIMEOUT", "PT1S");
        try (var http = new RawHttp(gateway.agentPort())) {
            for (int i = 0; i < 3; i++) {
                http.send("GET /healthz HTTP/1.1\r\n");
                Thread.sleep(600);
                assertThat(http.send("Host: x\r\n\r\n").readResponse()).startsWith("HTTP/1.1 200");
            }
        }
    }

    @Test
    void aConnectionFloodIsCutOffAtTheLimitAndTheConnectionsHeldAreStillServed() {
        Gateway gateway = seatgate.startGateway("SEATGATE_MAX_CONNECTIONS", "20");
        var held = new ArrayList<RawHttp>();
        try {
            for (int i = 0; i < 20; i++) {
                held.add(new RawHttp(gateway.agentPort()));
            }
            assertThat(held.get(19).send(HEALTH).readResponse()).as("the 20th is served").startsWith("HTTP/1.1 200");
            List<RawHttp> flood = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                flood.add(new RawHttp(gateway.agentPort()));
            }
            for (RawHttp refused : flood) {
                assertThat(refused.closedWithin(2000)).as("closed at once").isTrue();
                refused.close();
            }
            for (RawHttp client : held) {
                assertThat(client.send(HEALTH).readResponse()).startsWith("HTTP/1.1 200");
            }
            // The admin listener has a limit of its own: ops can still look.
            String metrics = new ApiClient(gateway).metrics();
            assertThat(Scrape.parse(metrics).value("seatgate_http_connections_refused_total")).isEqualTo(30);

            held.subList(0, 5).forEach(RawHttp::close);
            held.subList(0, 5).clear();
            assertThat(eventuallyServed(gateway.agentPort())).as("a freed slot is usable again").isTrue();
        } finally {
            held.forEach(RawHttp::close);
        }
    }

    @Test
    void limitsOnHeadersAreConfigurable() {
        Gateway gateway = seatgate.startGateway("SEATGATE_MAX_HEADERS", "10", "SEATGATE_MAX_HEADER_BYTES", "2048");
        var manyHeaders = new StringBuilder("GET /healthz HTTP/1.1\r\nHost: x\r\n");
        for (int i = 0; i < 10; i++) {
            manyHeaders.append("X-").append(i).append(": y\r\n");
        }
        try (var http = new RawHttp(gateway.agentPort())) {
            assertThat(http.send(manyHeaders + "\r\n").readResponse()).startsWith("HTTP/1.1 431")
                    .contains("more than 10 header fields");
            assertThat(http.closedWithin(2000)).isTrue();
        }
        try (var http = new RawHttp(gateway.agentPort())) {
            String bigHeader = "GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "y".repeat(2100) + "\r\n\r\n";
            assertThat(http.send(bigHeader).readResponse()).startsWith("HTTP/1.1 431");
        }
        try (var http = new RawHttp(gateway.agentPort())) {
            assertThat(http.send("GET /" + "a".repeat(2100) + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse())
                    .startsWith("HTTP/1.1 414");
        }
        try (var http = new RawHttp(gateway.agentPort())) {
            assertThat(http.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Fine: " + "y".repeat(1500) + "\r\n\r\n")
                    .readResponse()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void truncatedAndNonsenseRequestsNeverHangTheServer() {
        Gateway gateway = seatgate.startGateway("SEATGATE_REQUEST_TIMEOUT", "PT1S");
        List<String> broken = List.of(
                "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"tenant\":",  // body cut short
                "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n",                  // headers cut short
                "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",               // negative length
                "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 7\r\n\r\nabcde",
                "POST /v1/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",  // bad chunk size
                "\u0000\u0001\u0002\u0003 binary\r\n\r\n",
                "GET /healthz HTTX/1.1\r\n\r\n");
        for (String request : broken) {
            try (var http = new RawHttp(gateway.agentPort())) {
                http.send(request);
                String answer = http.readResponseOrNull(3000);
                assertThat(answer == null || answer.startsWith("HTTP/1.1 400") || answer.startsWith("HTTP/1.1 408"))
                        .as("%s -> %s", request, answer).isTrue();
                assertThat(http.closedWithin(3000)).as("closed: %s", request).isTrue();
            }
        }
        try (var http = new RawHttp(gateway.agentPort())) {
            assertThat(http.send(HEALTH).readResponse()).startsWith("HTTP/1.1 200");
        }
    }

    /** Whether a new connection gets served within 5 s (the server notices closed ones asynchronously). */
    private static boolean eventuallyServed(int port) {
        return Await.until(Duration.ofSeconds(5), Duration.ZERO, () -> {
            try (var client = new RawHttp(port)) {
                String answer = client.send(HEALTH).readResponseOrNull(1000);
                return answer != null && answer.startsWith("HTTP/1.1 200");
            }
        });
    }
}
