package dev.seatgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.config.HttpLimits;
import dev.seatgate.metrics.GatewayMetrics;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ImmediateEventExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The connection's pipeline ({@link HttpPipeline}) on Netty's {@link EmbeddedChannel}: bytes in, bytes out, time
 * moved by the test. What the HTTP tests show over real sockets, here exactly and in milliseconds.
 */
class HttpPipelineTest {

    private static final HttpLimits LIMITS = new HttpLimits(100, Duration.ofSeconds(10), 8192, 16);

    private final List<CompletableFuture<ApiResponse>> pending = new ArrayList<>();
    private final List<String> handled = new ArrayList<>();
    private final InFlight inFlight = new InFlight();
    private EmbeddedChannel channel;

    /** A router whose /slow answers when the test says so, and whose /fast answers at once. */
    private Router router() {
        return new Router(new ErrorMapper(new GatewayMetrics(List.of(), List.of(), List.of())))
                .add(HttpMethod.GET, "/slow/{n}", request -> {
                    handled.add(request.pathParam("n"));
                    var answer = new CompletableFuture<ApiResponse>();
                    pending.add(answer);
                    return answer;
                })
                .add(HttpMethod.GET, "/fast", request -> CompletableFuture.completedFuture(ApiResponse.ok(Map.of("ok", 1))))
                .add(HttpMethod.POST, "/fast", request -> CompletableFuture.completedFuture(ApiResponse.noContent()));
    }

    private EmbeddedChannel open(List<ProtocolUpgrade> upgrades) {
        var listener = new HttpServer.Listener("test", "127.0.0.1", 0, router(), upgrades);
        var options = new HttpServer.Options(Duration.ofSeconds(60), LIMITS, Optional.empty());
        channel = new EmbeddedChannel();
        channel.config().setAutoRead(false); // as the server sets every connection: the handler asks for reads
        channel.freezeTime();
        channel.pipeline().addLast(new HttpPipeline(listener, options, new ConnectionLimit(LIMITS.maxConnections()),
                new DefaultChannelGroup(ImmediateEventExecutor.INSTANCE), inFlight));
        channel.pipeline().fireChannelActive();
        return channel;
    }

    @AfterEach
    void close() {
        if (channel != null) {
            channel.finishAndReleaseAll();
        }
    }

    @Test
    void pipelinedRequestsAreServedOneAtATimeInOrder() {
        open(List.of());

        channel.writeInbound(bytes("GET /slow/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /slow/2 HTTP/1.1\r\nHost: x\r\n\r\n"));

        assertThat(handled).as("the second waits for the first's answer").containsExactly("1");
        pending.get(0).complete(ApiResponse.ok(Map.of("n", 1)));
        channel.runPendingTasks();
        assertThat(handled).containsExactly("1", "2");
        pending.get(1).complete(ApiResponse.ok(Map.of("n", 2)));
        channel.runPendingTasks();

        String written = outbound();
        assertThat(written.indexOf("{\"n\":1}")).isPositive().isLessThan(written.indexOf("{\"n\":2}"));
        assertThat(channel.isOpen()).isTrue();
    }

    @Test
    void aRequestInPiecesIsServedOnceWholeAndThePiecesOfTheNextWait() {
        open(List.of());

        channel.writeInbound(bytes("GET /slow/1 HT"));
        channel.writeInbound(bytes("TP/1.1\r\nHost: x\r\n\r\nGET /slow/"));
        channel.writeInbound(bytes("2 HTTP/1.1\r\nHost: x\r\n\r\n"));

        assertThat(handled).containsExactly("1");
        pending.get(0).complete(ApiResponse.ok(Map.of("n", 1)));
        channel.runPendingTasks();
        assertThat(handled).containsExactly("1", "2");
    }

    @Test
    void aMalformedRequestIsAnsweredWithTheJsonErrorAndTheConnectionClosed() {
        open(List.of());

        channel.writeInbound(bytes("GET /fast HTTP/1.1\r\nHost x\r\n\r\n"));

        assertThat(outbound()).startsWith("HTTP/1.1 400 Bad Request")
                .contains("{\"error\":{\"code\":\"INVALID_REQUEST\",\"message\":\"malformed HTTP request\",\"details\":{}}}");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void moreHeaderFieldsThanTheLimitAre431() {
        open(List.of());
        var request = new StringBuilder("GET /fast HTTP/1.1\r\n");
        for (int i = 0; i < 17; i++) {
            request.append("X-H").append(i).append(": v\r\n");
        }

        channel.writeInbound(bytes(request + "\r\n"));

        assertThat(outbound()).startsWith("HTTP/1.1 431 Request Header Fields Too Large").contains("HEADERS_TOO_LARGE");
    }

    @Test
    void aBodyOver16KiBIs413AndTheRestIsNotRead() {
        open(List.of());

        channel.writeInbound(bytes("POST /fast HTTP/1.1\r\nContent-Length: 16385\r\n\r\n"));

        assertThat(outbound()).startsWith("HTTP/1.1 413 Request Entity Too Large").contains("PAYLOAD_TOO_LARGE");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void connectionCloseIsHonoured() {
        open(List.of());

        channel.writeInbound(bytes("GET /fast HTTP/1.1\r\nConnection: close\r\n\r\n"));

        assertThat(outbound()).startsWith("HTTP/1.1 200 OK").containsIgnoringCase("connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aRequestThatDoesNotArriveWholeInTimeIs408() {
        open(List.of());

        channel.writeInbound(bytes("GET /fast HTTP/1.1\r\nX-Slow: "));
        channel.advanceTimeBy(9_999, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isOpen()).isTrue();
        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(outbound()).startsWith("HTTP/1.1 408 Request Timeout").contains("REQUEST_TIMEOUT");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aSecondProtocolSeesEveryWholeRequestFirstAndPassesOnWhatIsNotItsOwn() {
        ProtocolUpgrade upgrade = pipeline -> pipeline.addLast(new SimpleChannelInboundHandler<FullHttpRequest>(false) {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
                if (request.uri().equals("/upgrade")) {
                    ReferenceCountUtil.release(request);
                    ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                            HttpResponseStatus.SWITCHING_PROTOCOLS));
                } else {
                    ctx.fireChannelRead(request);
                }
            }
        });
        open(List.of(upgrade));

        channel.writeInbound(bytes("GET /fast HTTP/1.1\r\n\r\n"));
        assertThat(outbound()).startsWith("HTTP/1.1 200 OK");
        channel.writeInbound(bytes("GET /upgrade HTTP/1.1\r\n\r\n"));

        assertThat(outbound()).startsWith("HTTP/1.1 101 Switching Protocols");
    }

    private static ByteBuf bytes(String text) {
        return Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII);
    }

    /** Everything written so far, as text. */
    private String outbound() {
        var text = new StringBuilder();
        Object message;
        while ((message = channel.readOutbound()) != null) {
            ByteBuf buffer = (ByteBuf) message;
            text.append(buffer.toString(StandardCharsets.UTF_8));
            buffer.release();
        }
        return text.toString();
    }
}
