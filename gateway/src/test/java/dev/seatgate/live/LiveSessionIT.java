package dev.seatgate.live;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Await;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.GatewayProcess;
import dev.seatgate.testing.LiveClient;
import dev.seatgate.testing.RawHttp;
import dev.seatgate.testing.SeatgateExtension;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code GET /v1/live} on real gateways over one real Redis: a softphone holds its seat on a WebSocket without
 * heartbeats, hears at once when its session ends on whichever gateway, and keeps its seat for the reconnect
 * grace when its socket drops. The lease tests use short times (lease TTL 2 s, heartbeat 1 s, grace 2 s) to be
 * quick; the push tests use the default heartbeat interval (10 s), so that only the published end, not the next
 * renewal tick, can reach the socket within the 1 s API.md promises.
 */
class LiveSessionIT {

    private static final Duration LEASE_TTL = Duration.ofSeconds(2);
    /** Longer than the lease TTL, so that a seat held past the TTL after a drop is held by the grace. */
    private static final Duration GRACE = Duration.ofSeconds(3);
    private static final String[] SETTINGS = {"SEATGATE_LEASE_TTL", "PT2S", "SEATGATE_HEARTBEAT_INTERVAL", "PT1S",
        "SEATGATE_RECONNECT_GRACE", "PT3S"};
    /** What API.md promises for a pushed end. */
    private static final Duration PUSH_WITHIN = Duration.ofSeconds(1);

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static Gateway first;
    private static Gateway second;
    private static ApiClient viaFirst;
    private static ApiClient viaSecond;
    /** Two gateways renewing only every 10 s: a push within 1 s there is the published end. */
    private static Gateway pushing;
    private static ApiClient viaPushing;
    private static ApiClient viaOtherPushing;

    @BeforeAll
    static void startGateways() {
        first = seatgate.startGateway(SETTINGS);
        second = seatgate.startGateway(SETTINGS);
        viaFirst = new ApiClient(first);
        viaSecond = new ApiClient(second);
        pushing = seatgate.startGateway("SEATGATE_RECONNECT_GRACE", "PT2S");
        viaPushing = new ApiClient(pushing);
        viaOtherPushing = new ApiClient(seatgate.startGateway("SEATGATE_RECONNECT_GRACE", "PT2S"));
    }

    @Test
    void anAttachedSessionKeepsItsSeatWithoutHeartbeats() throws InterruptedException {
        String tenant = Fixtures.tenant(viaFirst, 1, 0, 2);
        String token = Fixtures.sessionToken(viaFirst.login(tenant, "a1", password("a1"), "outbound"));

        try (var socket = LiveClient.connect(first.agentPort())) {
            LiveClient.Message attached = socket.send(Map.of("type", "attach", "sessionToken", token)).next();

            assertThat(attached.type()).isEqualTo("attached");
            assertThat(attached.json().get("sessionId").asText()).isEqualTo(token.split("\\.")[1]);
            Thread.sleep(LEASE_TTL.multipliedBy(3).toMillis()); // three TTLs without one HTTP heartbeat
            assertThat(inUse(tenant)).isEqualTo(1);
            assertThat(viaSecond.login(tenant, "a2", password("a2"), "outbound").errorCode())
                    .isEqualTo("SEATS_EXHAUSTED");
            assertThat(socket.send(Map.of("type", "ping")).next().type()).isEqualTo("pong");
        }
    }

    @Test
    void aTakeoverOnTheOtherGatewayIsPushedAtOnceAndTheSocketClosedWith4410() {
        String tenant = Fixtures.tenant(viaPushing, 1, 0, 1);
        String token = Fixtures.sessionToken(viaPushing.login(tenant, "a1", password("a1"), "outbound"));

        try (var socket = LiveClient.connect(pushing.agentPort())) {
            assertThat(socket.send(Map.of("type", "attach", "sessionToken", token)).next().type()).isEqualTo("attached");
            long takenOverAt = System.nanoTime();
            assertThat(viaOtherPushing.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);

            LiveClient.Message ended = socket.next(PUSH_WITHIN);
            Duration latency = Duration.ofNanos(ended.receivedAt() - takenOverAt);
            System.out.printf("LiveSessionIT: takeover on the other gateway pushed %d ms after the login was sent%n",
                    latency.toMillis());
            assertThat(latency).isLessThan(PUSH_WITHIN);
            assertThat(ended.json()).isEqualTo(ApiClient.parse("{\"type\":\"ended\",\"reason\":\"superseded\"}"));
            assertThat(socket.closed(PUSH_WITHIN).code()).isEqualTo(4410);
        }
    }

    @Test
    void aRevocationOrAnHttpLogoutElsewhereIsPushedWithItsReason() {
        String tenant = Fixtures.tenant(viaPushing, 2, 0, 2);
        String revoked = Fixtures.sessionToken(viaPushing.login(tenant, "a1", password("a1"), "outbound"));
        String loggedOut = Fixtures.sessionToken(viaPushing.login(tenant, "a2", password("a2"), "outbound"));

        try (var one = LiveClient.connect(pushing.agentPort()); var two = LiveClient.connect(pushing.agentPort())) {
            assertThat(one.send(Map.of("type", "attach", "sessionToken", revoked)).next().type()).isEqualTo("attached");
            assertThat(two.send(Map.of("type", "attach", "sessionToken", loggedOut)).next().type()).isEqualTo("attached");

            long sentAt = System.nanoTime();
            assertThat(viaOtherPushing.admin("DELETE", "/v1/tenants/" + tenant + "/sessions/" + revoked.split("\\.")[1], null)
                    .status()).isEqualTo(204);
            assertThat(viaOtherPushing.logout(loggedOut).status()).isEqualTo(204);

            LiveClient.Message revokedEnd = one.next(PUSH_WITHIN);
            LiveClient.Message loggedOutEnd = two.next(PUSH_WITHIN);
            assertThat(revokedEnd.json().get("reason").asText()).isEqualTo("revoked");
            assertThat(loggedOutEnd.json().get("reason").asText()).isEqualTo("logged_out");
            assertThat(Duration.ofNanos(loggedOutEnd.receivedAt() - sentAt)).isLessThan(PUSH_WITHIN);
            assertThat(one.closed(PUSH_WITHIN).code()).isEqualTo(4410);
        }
    }

    @Test
    void aLoginOverTheSocketIsAdmittedAndAttachedAndARefusalLeavesTheSocketOpen() {
        String tenant = Fixtures.tenant(viaPushing, 1, 0, 1);

        try (var socket = LiveClient.connect(pushing.agentPort())) {
            LiveClient.Message refused = socket.send(login(tenant, "a1", "wrong-password")).next();
            assertThat(refused.type()).isEqualTo("error");
            assertThat(refused.json().get("status").asInt()).isEqualTo(401);
            assertThat(refused.json().at("/error/code").asText()).isEqualTo("INVALID_CREDENTIALS");

            LiveClient.Message admitted = socket.send(login(tenant, "a1", password("a1"))).next();
            assertThat(admitted.type()).isEqualTo("admitted");
            assertThat(admitted.json().get("sessionToken").asText()).isNotEmpty();
            assertThat(admitted.json().get("resumeToken").asText()).isNotEmpty();
            assertThat(admitted.json().get("licenseType").asText()).isEqualTo("outbound");

            // Attached by the login itself: a takeover elsewhere is pushed.
            assertThat(viaOtherPushing.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);
            assertThat(socket.next(PUSH_WITHIN).json().get("reason").asText()).isEqualTo("superseded");
        }
    }

    @Test
    void aLogoutOverTheSocketFreesTheSeatAtOnceAndClosesWith1000() {
        String tenant = Fixtures.tenant(viaFirst, 1, 0, 1);

        try (var socket = LiveClient.connect(first.agentPort())) {
            assertThat(socket.send(login(tenant, "a1", password("a1"))).next().type()).isEqualTo("admitted");
            assertThat(inUse(tenant)).isEqualTo(1);

            LiveClient.Message ended = socket.send(Map.of("type", "logout")).next();

            assertThat(ended.json().get("reason").asText()).isEqualTo("logged_out");
            assertThat(socket.closed(Duration.ofSeconds(2)).code()).isEqualTo(1000);
            assertThat(inUse(tenant)).isZero();
        }
    }

    @Test
    void aDroppedSocketHoldsTheSeatForTheGraceThenFreesIt() throws InterruptedException {
        String tenant = Fixtures.tenant(viaFirst, 1, 0, 1);
        var socket = LiveClient.connect(first.agentPort());
        assertThat(socket.send(login(tenant, "a1", password("a1"))).next().type()).isEqualTo("admitted");

        long droppedAt = System.nanoTime();
        socket.abort();
        Thread.sleep(GRACE.minusMillis(700).toMillis());
        assertThat(inUse(tenant)).as("held during the grace").isEqualTo(1);
        assertThat(Await.until(Duration.ofSeconds(5), () -> inUse(tenant) == 0)).as("freed").isTrue();
        long freedAfter = Duration.ofNanos(System.nanoTime() - droppedAt).toMillis();
        System.out.printf("LiveSessionIT: a dropped socket's seat was free %d ms after the drop (grace %d ms)%n",
                freedAfter, GRACE.toMillis());
        assertThat(freedAfter).isLessThan(GRACE.plusMillis(1500).toMillis());
    }

    @Test
    void reattachingWithinTheGraceOnTheOtherGatewayKeepsTheSession() throws InterruptedException {
        String tenant = Fixtures.tenant(viaFirst, 1, 0, 1);
        String token = Fixtures.sessionToken(viaFirst.login(tenant, "a1", password("a1"), "outbound"));
        var dropped = LiveClient.connect(first.agentPort());
        assertThat(dropped.send(Map.of("type", "attach", "sessionToken", token)).next().type()).isEqualTo("attached");
        dropped.abort();
        Thread.sleep(GRACE.dividedBy(2).toMillis());

        try (var again = LiveClient.connect(second.agentPort())) {
            assertThat(again.send(Map.of("type", "attach", "sessionToken", token)).next().type()).isEqualTo("attached");
            Thread.sleep(GRACE.plus(LEASE_TTL).toMillis()); // well past the grace and a lease TTL

            assertThat(inUse(tenant)).isEqualTo(1);
            assertThat(viaFirst.heartbeat(token).status()).isEqualTo(200);
            viaFirst.login(tenant, "a1", password("a1"), "outbound"); // a takeover: pushed by the second gateway
            assertThat(again.next(PUSH_WITHIN).json().get("reason").asText()).isEqualTo("superseded");
        }
    }

    /** A client whose socket stays open but that answers no ping is gone after a lease TTL: then the grace. */
    @Test
    void aClientThatStopsAnsweringPingsIsTreatedAsGone() throws Exception {
        String tenant = Fixtures.tenant(viaFirst, 1, 0, 1);
        String token = Fixtures.sessionToken(viaFirst.login(tenant, "a1", password("a1"), "outbound"));

        try (var silent = new Socket("127.0.0.1", first.agentPort())) {
            OutputStream out = silent.getOutputStream();
            out.write(("GET /v1/live HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = silent.getInputStream();
            String handshake = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            assertThat(handshake).isEqualTo("HTTP/1.1 101");
            out.write(maskedText("{\"type\":\"attach\",\"sessionToken\":\"" + token + "\"}"));
            long attachedAt = System.nanoTime();
            // From now on it reads nothing it is sent and answers no ping.
            assertThat(Await.until(LEASE_TTL.plus(GRACE).plusSeconds(3), () -> inUse(tenant) == 0)).as("freed").isTrue();
            long freedAfter = Duration.ofNanos(System.nanoTime() - attachedAt).toMillis();
            System.out.printf("LiveSessionIT: a silent client's seat was free %d ms after its last frame"
                    + " (lease TTL %d ms + grace %d ms)%n", freedAfter, LEASE_TTL.toMillis(), GRACE.toMillis());
            assertThat(freedAfter).isGreaterThanOrEqualTo(LEASE_TTL.plus(GRACE).toMillis() - 200);
        }
    }

    /** A gateway killed with SIGKILL renews nothing more: its sockets' seats lapse within one lease TTL. */
    @Test
    void aKilledGatewaysSessionsFreeTheirSeatsWithinOneLeaseTtl(@TempDir Path dir) throws Exception {
        String tenant = Fixtures.tenant(viaFirst, 2, 0, 2);
        try (var doomed = GatewayProcess.start(seatgate.redis(), dir.resolve("doomed.log"), SETTINGS)) {
            var sockets = List.of(LiveClient.connect(doomed.agentPort()), LiveClient.connect(doomed.agentPort()));
            assertThat(sockets.get(0).send(login(tenant, "a1", password("a1"))).next().type()).isEqualTo("admitted");
            assertThat(sockets.get(1).send(login(tenant, "a2", password("a2"))).next().type()).isEqualTo("admitted");
            Thread.sleep(LEASE_TTL.toMillis()); // renewed by the doomed gateway meanwhile
            assertThat(inUse(tenant)).isEqualTo(2);

            long killedAt = System.nanoTime();
            doomed.kill();
            assertThat(Await.until(LEASE_TTL.plusSeconds(2), () -> inUse(tenant) == 0)).as("freed").isTrue();
            long freedAfter = Duration.ofNanos(System.nanoTime() - killedAt).toMillis();
            System.out.printf("LiveSessionIT: a killed gateway's socket seats were free %d ms after the kill"
                    + " (lease TTL %d ms)%n", freedAfter, LEASE_TTL.toMillis());
            assertThat(freedAfter).isLessThanOrEqualTo(LEASE_TTL.plusSeconds(1).toMillis());
        }
    }

    @Test
    void aSessionAttachedOnAnotherSocketLeavesTheFirstWith4409() {
        String tenant = Fixtures.tenant(viaFirst, 1, 0, 1);
        String token = Fixtures.sessionToken(viaFirst.login(tenant, "a1", password("a1"), "outbound"));

        try (var old = LiveClient.connect(first.agentPort()); var sameGateway = LiveClient.connect(first.agentPort());
             var otherGateway = LiveClient.connect(second.agentPort())) {
            assertThat(old.send(Map.of("type", "attach", "sessionToken", token)).next().type()).isEqualTo("attached");
            assertThat(sameGateway.send(Map.of("type", "attach", "sessionToken", token)).next().type())
                    .isEqualTo("attached");
            assertThat(old.closed(Duration.ofSeconds(1)).code()).as("replaced on the same gateway").isEqualTo(4409);

            assertThat(otherGateway.send(Map.of("type", "attach", "sessionToken", token)).next().type())
                    .isEqualTo("attached");
            // The first gateway learns it at its next renewal (every heartbeat interval, 1 s here).
            assertThat(sameGateway.closed(Duration.ofSeconds(3)).code()).as("moved to the other gateway")
                    .isEqualTo(4409);
            assertThat(inUse(tenant)).isEqualTo(1);
        }
    }

    /** A gateway that stops detaches its sockets' sessions and closes them with 1001: they keep their seats. */
    @Test
    void aStoppingGatewayClosesItsSocketsWith1001AndTheSessionsKeepTheirSeats() throws InterruptedException {
        Gateway stopping = seatgate.startGateway(SETTINGS);
        String tenant = Fixtures.tenant(viaFirst, 1, 0, 1);
        String token = Fixtures.sessionToken(viaFirst.login(tenant, "a1", password("a1"), "outbound"));

        try (var socket = LiveClient.connect(stopping.agentPort())) {
            assertThat(socket.send(Map.of("type", "attach", "sessionToken", token)).next().type()).isEqualTo("attached");
            stopping.close();

            assertThat(socket.closed(Duration.ofSeconds(5)).code()).isEqualTo(1001);
            Thread.sleep(LEASE_TTL.plusMillis(500).toMillis()); // past the lease: held by the grace alone
            try (var again = LiveClient.connect(second.agentPort())) {
                assertThat(again.send(Map.of("type", "attach", "sessionToken", token)).next().type())
                        .isEqualTo("attached");
            }
        }
    }

    /** An attach with the right session id and a wrong secret takes nothing from the socket that holds it. */
    @Test
    void aForgedAttachDoesNotDisturbTheSocketHoldingTheSession() throws InterruptedException {
        String tenant = Fixtures.tenant(viaFirst, 1, 0, 1);
        String token = Fixtures.sessionToken(viaFirst.login(tenant, "a1", password("a1"), "outbound"));
        String forged = token.substring(0, token.lastIndexOf('.') + 1) + "A".repeat(43);

        try (var holder = LiveClient.connect(first.agentPort()); var forger = LiveClient.connect(first.agentPort())) {
            assertThat(holder.send(Map.of("type", "attach", "sessionToken", token)).next().type()).isEqualTo("attached");
            forger.send(Map.of("type", "attach", "sessionToken", forged));

            assertThat(forger.closed(Duration.ofSeconds(2)).code()).isEqualTo(4401);
            Thread.sleep(LEASE_TTL.plusSeconds(1).toMillis()); // still renewed for the holder
            assertThat(holder.isClosed()).isFalse();
            assertThat(inUse(tenant)).isEqualTo(1);
            assertThat(holder.send(Map.of("type", "ping")).next().type()).isEqualTo("pong");
        }
    }

    /** A socket that goes while its attach is being answered leaves nothing held: the seat is free after the grace. */
    @Test
    void aSocketThatGoesWhileAttachingHoldsNothing() {
        String tenant = Fixtures.tenant(viaFirst, 1, 0, 1);
        String token = Fixtures.sessionToken(viaFirst.login(tenant, "a1", password("a1"), "outbound"));
        var socket = LiveClient.connect(first.agentPort());

        socket.send(Map.of("type", "attach", "sessionToken", token));
        socket.abort();

        assertThat(Await.until(LEASE_TTL.plus(GRACE).plusSeconds(2), () -> inUse(tenant) == 0)).as("freed").isTrue();
    }

    @Test
    void messagesSentTogetherAreAnsweredInOrder() {
        String tenant = Fixtures.tenant(viaFirst, 1, 0, 1);

        try (var socket = LiveClient.connect(first.agentPort())) {
            socket.send(login(tenant, "a1", "wrong")).send(login(tenant, "a1", password("a1")))
                    .send(Map.of("type", "ping"));

            assertThat(socket.next().type()).isEqualTo("error");
            assertThat(socket.next().type()).isEqualTo("admitted");
            assertThat(socket.next().type()).isEqualTo("pong");
            assertThat(inUse(tenant)).isEqualTo(1);
        }
    }

    @Test
    void badMessagesAndBadTokensCloseWithTheirCodes() {
        try (var malformed = LiveClient.connect(first.agentPort());
             var unknownType = LiveClient.connect(first.agentPort());
             var badToken = LiveClient.connect(first.agentPort());
             var forged = LiveClient.connect(first.agentPort())) {
            malformed.sendRaw("{not json");
            unknownType.send(Map.of("type", "dance"));
            badToken.send(Map.of("type", "attach", "sessionToken", "not-a-token"));
            forged.send(Map.of("type", "attach", "sessionToken", "t1.AAAAAAAAAAAAAAAAAAAAAA.BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB"));

            assertThat(malformed.closed(Duration.ofSeconds(2)).code()).isEqualTo(4400);
            assertThat(unknownType.closed(Duration.ofSeconds(2)).code()).isEqualTo(4400);
            assertThat(badToken.closed(Duration.ofSeconds(2)).code()).isEqualTo(4401);
            assertThat(forged.closed(Duration.ofSeconds(2)).code()).isEqualTo(4401);
        }
    }

    @Test
    void aPlainRequestForTheSocketIsAnsweredInTheApisErrorShape() {
        ApiClient.Reply get = viaFirst.agent("GET", "/v1/live", "");
        assertThat(get.status()).isEqualTo(400);
        assertThat(get.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(get.json().at("/error/message").asText()).contains("WebSocket");
        assertThat(viaFirst.agent("POST", "/v1/live", "").status()).isEqualTo(405);

        // A handshake Netty cannot take (version 8), then POST with Upgrade: answered as JSON, the connection kept.
        try (var raw = new RawHttp(first.agentPort())) {
            raw.send("GET /v1/live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 400").contains("INVALID_REQUEST");
            raw.send("POST /v1/live HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nContent-Length: 0\r\n\r\n");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 405");
            raw.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(raw.readResponse()).startsWith("HTTP/1.1 200");
        }
    }

    @Test
    void aMessageLargerThanTheLimitClosesTheSocket() {
        try (var socket = LiveClient.connect(first.agentPort())) {
            socket.sendRaw("{\"type\":\"ping\",\"pad\":\"" + "x".repeat(20_000) + "\"}");

            assertThat(socket.closed(Duration.ofSeconds(2)).code()).isIn(1009, 4400);
        }
    }

    @Test
    void aSocketWithoutAnAttachOrLoginIsClosedAfterTenSeconds() {
        try (var socket = LiveClient.connect(first.agentPort())) {
            LiveClient.Closed closed = socket.closed(Duration.ofSeconds(13));
            assertThat(closed.code()).as(closed.reason()).isEqualTo(4408);
        }
    }

    @Test
    void theMetricsCountSocketsAndPushes() {
        Gateway counted = seatgate.startGateway(); // a gateway of its own: every count starts at zero
        var viaCounted = new ApiClient(counted);
        String tenant = Fixtures.tenant(viaCounted, 1, 0, 1);

        try (var socket = LiveClient.connect(counted.agentPort())) {
            assertThat(socket.send(login(tenant, "a1", password("a1"))).next().type()).isEqualTo("admitted");
            assertThat(viaCounted.metrics()).contains("seatgate_live_sockets 1.0")
                    .contains("seatgate_live_pushes_total{reason=\"superseded\"} 0.0");
            viaOtherPushing.login(tenant, "a1", password("a1"), "outbound");
            assertThat(socket.next(PUSH_WITHIN).json().get("reason").asText()).isEqualTo("superseded");
        }
        String metrics = viaCounted.metrics();
        assertThat(metrics).contains("seatgate_live_sockets 0.0")
                .contains("seatgate_live_pushes_total{reason=\"superseded\"} 1.0")
                .contains("seatgate_live_push_latency_seconds_count 1");
    }

    private static Map<String, Object> login(String tenant, String agentId, String password) {
        var message = new LinkedHashMap<String, Object>();
        message.put("type", "login");
        message.put("tenant", tenant);
        message.put("agentId", agentId);
        message.put("password", password);
        message.put("licenseType", "outbound");
        return message;
    }

    private static int inUse(String tenant) {
        JsonNode licenses = viaFirst.licenses(tenant).json();
        return licenses.at("/licenses/outbound/inUse").asInt();
    }

    /** One masked text frame, as a client must send it (RFC 6455 5.3); the mask is all zeros. */
    private static byte[] maskedText(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        var frame = new java.io.ByteArrayOutputStream();
        frame.write(0x81);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else {
            frame.write(0x80 | 126);
            frame.write(payload.length >> 8);
            frame.write(payload.length & 0xff);
        }
        frame.writeBytes(new byte[4]);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }
}
