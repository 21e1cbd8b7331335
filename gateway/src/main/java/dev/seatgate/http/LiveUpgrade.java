package dev.seatgate.http;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code GET /v1/live} on the agent listener: Netty's WebSocket handshake and codec (RFC 6455), then a
 * {@link LiveSocketHandler} per socket. Every other request passes on to the router untouched.
 */
final class LiveUpgrade implements ProtocolUpgrade {

    static final String PATH = "/v1/live";
    /** The largest message, whole or in fragments: a login is a few hundred bytes. */
    static final int MAX_MESSAGE_BYTES = 16 * 1024;

    private final LiveServices services;

    LiveUpgrade(LiveServices services) {
        this.services = services;
    }

    @Override
    public void addHandlers(ChannelPipeline pipeline) {
        pipeline.addLast(
                new NotAnUpgrade(),
                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(PATH)
                        .checkStartsWith(true) // /v1/live?x too, not /v1/lively
                        .handshakeTimeoutMillis(LiveSocketHandler.FIRST_MESSAGE_WITHIN.toMillis())
                        .decoderConfig(WebSocketDecoderConfig.newBuilder()
                                .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                                .allowExtensions(false)
                                .build())
                        .build()),
                new WebSocketFrameAggregator(MAX_MESSAGE_BYTES),
                new LiveSocketHandler(services));
    }

    /**
     * Sends a request for {@link #PATH} that is not a WebSocket handshake Netty can take (a plain GET, a POST, a
     * version other than 13, no key) past the WebSocket handlers to the router, which answers it in the API's error
     * shape and keeps the connection; Netty's handshake would answer in plain text, and leave the request deadline
     * running on a connection that goes on speaking HTTP.
     */
    private static final class NotAnUpgrade extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object message) {
            if (message instanceof FullHttpRequest request
                    && new QueryStringDecoder(request.uri()).path().equals(PATH) && !isHandshake(request)) {
                ctx.pipeline().context(LiveSocketHandler.class).fireChannelRead(message);
            } else {
                ctx.fireChannelRead(message);
            }
        }

        private static boolean isHandshake(FullHttpRequest request) {
            var headers = request.headers();
            return request.method().equals(HttpMethod.GET)
                    && headers.containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                    && "13".equals(headers.get(HttpHeaderNames.SEC_WEBSOCKET_VERSION))
                    && headers.contains(HttpHeaderNames.SEC_WEBSOCKET_KEY);
        }
    }

    /**
     * The connection speaks WebSocket from now on: the HTTP-only handlers go (the request deadline, one request
     * per read, the router), the keep-alive idle timeout becomes "silent for a lease TTL" (gone) and "nothing sent
     * for a heartbeat interval" (a ping), and reading is
     * continuous (frames are small and bounded; a login pauses it).
     */
    static void switchOver(ChannelPipeline pipeline, Duration goneAfter, Duration pingEvery) {
        pipeline.remove(NotAnUpgrade.class);
        pipeline.remove(RequestDeadline.class);
        pipeline.remove(FlowControlHandler.class);
        pipeline.remove(RequestHandler.class);
        pipeline.replace(IdleStateHandler.class, "live-idle",
                new IdleStateHandler(goneAfter.toMillis(), pingEvery.toMillis(), 0, TimeUnit.MILLISECONDS));
        pipeline.channel().config().setAutoRead(true);
    }
}
