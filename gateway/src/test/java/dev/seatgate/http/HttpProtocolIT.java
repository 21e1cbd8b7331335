package dev.seatgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.Gateway;
import dev.seatgate.testing.RawHttp;
import dev.seatgate.testing.SeatgateExtension;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** HTTP/1.1 as the Netty server speaks it: keep-alive, pipelining, limits, malformed input, idle timeout. */
class HttpProtocolIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static Gateway gateway;

    @BeforeAll
    static void startGateway() {
        gateway = seatgate.startGateway("SEATGATE_IDLE_TIMEOUT", "PT1S");
    }

    @Test
    void keepAliveServesManyRequestsOnOneConnection() {
        try (var http = new RawHttp(gateway.agentPort())) {
            for (int i = 0; i < 5; i++) {
                String response = http.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
                assertThat(response).startsWith("HTTP/1.1 200 OK").contains("{\"status\":\"ok\"}");
                assertThat(response.toLowerCase()).doesNotContain("connection: close");
            }
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() {
        String login = "POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n{}";
        String health = "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
        String missing = "GET /nope HTTP/1.1\r\nHost: x\r\n\r\n";
        try (var http = new RawHttp(gateway.agentPort())) {
            http.send(login + health + missing + health);

            List<String> responses = http.readResponses(4);

            assertThat(responses.get(0)).startsWith("HTTP/1.1 400").contains("INVALID_REQUEST");
            assertThat(responses.get(1)).startsWith("HTTP/1.1 200");
            assertThat(responses.get(2)).startsWith("HTTP/1.1 404").contains("NOT_FOUND");
            assertThat(responses.get(3)).startsWith("HTTP/1.1 200");
        }
    }

    /** Regression: a request whose headers came in two TCP segments stalled the connection forever. */
    @Test
    void aRequestSplitAcrossSegmentsIsServed() throws InterruptedException {
        try (var http = new RawHttp(gateway.agentPort())) {
            for (String part : List.of("GET /hea", "lthz HTTP/1.1\r\nHo", "st: x\r\n", "\r\n")) {
                http.send(part);
                Thread.sleep(50);
            }
            assertThat(http.readResponse()).startsWith("HTTP/1.1 200");

            http.send("POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 7\r\n\r\n");
            Thread.sleep(50);
            http.send("{\"a\":");
            Thread.sleep(50);
            http.send("1}");
            assertThat(http.readResponse()).startsWith("HTTP/1.1 400").contains("missing field 'tenant'");
        }
    }

    @Test
    void aBodyOver16KibIs413AndTheConnectionCloses() {
        try (var http = new RawHttp(gateway.agentPort())) {
            String response = http.send("POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 16385\r\n\r\n")
                    .readResponse();

            assertThat(response).startsWith("HTTP/1.1 413").contains("\"code\":\"PAYLOAD_TOO_LARGE\"");
            assertThat(http.closedWithin(2000)).isTrue();
        }
        try (var http = new RawHttp(gateway.agentPort())) {
            String exactly16k = "x".repeat(16 * 1024);
            String response = http.send("POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Length: 16384\r\n\r\n"
                    + exactly16k).readResponse();

            assertThat(response).as("16 KiB itself is allowed").startsWith("HTTP/1.1 400").contains("not valid JSON");
        }
    }

    @Test
    void aChunkedBodyOver16KibIs413Too() {
        try (var http = new RawHttp(gateway.agentPort())) {
            http.send("POST /v1/login HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 5; i++) {
                http.send("1000\r\n" + "y".repeat(4096) + "\r\n");
            }

            assertThat(http.readResponse()).startsWith("HTTP/1.1 413").contains("PAYLOAD_TOO_LARGE");
        }
    }

    @Test
    void malformedRequestsGet400AndTheConnectionCloses() {
        try (var http = new RawHttp(gateway.agentPort())) {
            String response = http.send("THIS IS NOT HTTP\r\n\r\n").readResponse();

            assertThat(response).startsWith("HTTP/1.1 400").contains("\"code\":\"INVALID_REQUEST\"");
            assertThat(http.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void headersTooLargeAre431() {
        try (var http = new RawHttp(gateway.agentPort())) {
            String response = http.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + "b".repeat(9000) + "\r\n\r\n")
                    .readResponse();

            assertThat(response).startsWith("HTTP/1.1 431").contains("HEADERS_TOO_LARGE");
        }
        try (var http = new RawHttp(gateway.agentPort())) {
            String response = http.send("GET /" + "u".repeat(5000) + " HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

            assertThat(response).startsWith("HTTP/1.1 414").contains("URI_TOO_LONG");
        }
    }

    @Test
    void connectionCloseIsHonoured() {
        try (var http = new RawHttp(gateway.agentPort())) {
            String response = http.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").readResponse();

            assertThat(response).startsWith("HTTP/1.1 200").containsIgnoringCase("connection: close");
            assertThat(http.closedWithin(2000)).isTrue();
        }
    }

    @Test
    void idleConnectionsAreClosed() {
        try (var http = new RawHttp(gateway.agentPort())) {
            assertThat(http.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n").readResponse()).startsWith("HTTP/1.1 200");

            assertThat(http.closedWithin(3000)).as("closed after the 1 s idle timeout").isTrue();
        }
    }

    @Test
    void errorsAreTheJsonErrorBody() {
        try (var http = new RawHttp(gateway.agentPort())) {
            String response = http.send("DELETE /v1/login HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

            assertThat(response).startsWith("HTTP/1.1 405").containsIgnoringCase("allow: POST")
                    .containsIgnoringCase("content-type: application/json; charset=utf-8")
                    .endsWith("{\"error\":{\"code\":\"METHOD_NOT_ALLOWED\",\"message\":\"DELETE is not allowed here"
                            + " (allowed: POST)\",\"details\":{}}}");
        }
    }
}
