package dev.seatgate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * One live socket of {@link LiveSocketClient}: sends text messages, hands each message from the gateway (one JSON
 * object) to its listener with the time it arrived, and tells the listener once how the socket closed. Callbacks
 * run on the socket's event loop, one at a time.
 */
final class LiveSocket extends SimpleChannelInboundHandler<WebSocketFrame> {

    /** The close code when the connection ended without a close frame (RFC 6455 section 7.1.5). */
    static final int NO_CLOSE_FRAME = 1006;

    /** What a scenario does with a socket's messages and its end. */
    interface Listener {
        void message(LiveSocket socket, JsonNode message, long receivedNanos);

        /** The socket closed: with the gateway's close code, or {@link #NO_CLOSE_FRAME}. Only after it opened. */
        void closed(LiveSocket socket, int code);
    }

    private final Listener listener;
    private final CompletableFuture<Void> opened = new CompletableFuture<>();
    private volatile Channel channel;
    private int closeCode = NO_CLOSE_FRAME;

    LiveSocket(Listener listener) {
        this.listener = listener;
    }

    /** Completes when the handshake is done; fails when the connection or the handshake did. */
    CompletableFuture<Void> opened() {
        return opened;
    }

    void send(String text) {
        channel.writeAndFlush(new TextWebSocketFrame(text));
    }

    /** Closes the connection without a close frame or a logout, as a softphone that lost its network. */
    void drop() {
        Channel open = channel;
        if (open != null) {
            open.close();
        }
    }

    void failed(Throwable cause) {
        opened.completeExceptionally(cause);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            opened.complete(null);
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (frame instanceof TextWebSocketFrame text) {
            listener.message(this, Target.parse(text.text()), System.nanoTime());
        } else if (frame instanceof CloseWebSocketFrame close) {
            closeCode = close.statusCode();
            ctx.close(); // the gateway closes its side right after its close frame
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (opened.isDone() && !opened.isCompletedExceptionally()) {
            listener.closed(this, closeCode);
        } else {
            opened.completeExceptionally(new IOException("the live socket closed during the handshake"));
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        opened.completeExceptionally(cause); // no effect once open: the close that follows is what counts
        ctx.close();
    }
}
