package dev.seatgate.http;

import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gives every request a deadline from its first byte to its last: a client that trickles a request in
 * (slowloris) keeps its socket only that long, then gets 408 and a closed connection. The idle timeout
 * alone cannot stop it, since every trickled byte counts as traffic. One per connection, in front of the
 * HTTP codec; {@link RequestHandler} reports each request that arrived whole.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {

    private final long timeoutMillis;
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> pending;

    RequestDeadline(Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (pending == null) {
            pending = ctx.executor().schedule(this::expire, timeoutMillis, TimeUnit.MILLISECONDS);
        }
        ctx.fireChannelRead(msg);
    }

    /** The request arrived whole; the clock starts again with the next request's first byte. */
    void received() {
        if (pending != null) {
            pending.cancel(false);
            pending = null;
        }
    }

    private void expire() {
        pending = null;
        ApiResponse timedOut = ApiResponse.error(ErrorCode.REQUEST_TIMEOUT, "the request did not arrive whole within "
                + timeoutMillis + " ms", Map.of(), Map.of());
        // Written from the channel's tail so that the HTTP encoder in front of this handler encodes it.
        ctx.channel().writeAndFlush(ResponseEncoder.encode(ctx.alloc(), timedOut, false))
                .addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        received();
        ctx.fireChannelInactive();
    }
}
