package dev.seatgate.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Gives every request a deadline from its first byte to its last: a client that trickles a request in
 * (slowloris) keeps its socket only that long, then gets 408 and a closed connection. The idle timeout
 * alone cannot stop it, since every trickled byte counts as traffic. One per connection, in front of the
 * HTTP codec; {@link RequestHandler} reports each request that arrived whole.
 *
 * <p>Like Netty's IdleStateHandler, it keeps at most one check scheduled per connection and notes times
 * instead of scheduling and cancelling a timer for every request: a check that finds the request it was
 * set for already received looks at the one in progress, if any, and sleeps again for what that one has left.
 */
final class RequestDeadline extends ChannelInboundHandlerAdapter {

    private static final long NOT_RECEIVING = -1;

    private final long timeoutNanos;
    private ChannelHandlerContext ctx;
    /** When the first byte of the request being received arrived (nanoTime), or {@link #NOT_RECEIVING}. */
    private long startedAt = NOT_RECEIVING;
    private ScheduledFuture<?> check;

    RequestDeadline(Duration timeout) {
        this.timeoutNanos = timeout.toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (startedAt == NOT_RECEIVING) {
            startedAt = now();
            if (check == null) {
                scheduleCheck(timeoutNanos);
            }
        }
        ctx.fireChannelRead(msg);
    }

    /** The request arrived whole; the clock starts again with the next request's first byte. */
    void received() {
        startedAt = NOT_RECEIVING;
    }

    /** The event loop's clock (Netty's ticker: the real one, or a test's). */
    private long now() {
        return ctx.executor().ticker().nanoTime();
    }

    private void scheduleCheck(long delayNanos) {
        check = ctx.executor().schedule(this::check, delayNanos, TimeUnit.NANOSECONDS);
    }

    private void check() {
        check = null;
        if (startedAt == NOT_RECEIVING || !ctx.channel().isOpen()) {
            return; // nothing in progress: the next request's first byte schedules a check
        }
        long left = timeoutNanos - (now() - startedAt);
        if (left > 0) {
            scheduleCheck(left);
            return;
        }
        ApiResponse timedOut = ApiResponse.error(ErrorCode.REQUEST_TIMEOUT, "the request did not arrive whole within "
                + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms", Map.of(), Map.of());
        // Written from the channel's tail so that the HTTP encoder in front of this handler encodes it.
        ctx.channel().writeAndFlush(ResponseEncoder.encode(ctx.alloc(), timedOut, false))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** Taken out when the connection stops speaking HTTP (a WebSocket upgrade): no 408 may follow. */
    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (check != null) {
            check.cancel(false);
            check = null;
        }
        ctx.fireChannelInactive();
    }
}
