package dev.seatgate.http;

import io.netty.channel.ChannelHandler.Sharable;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * Caps the connections one listener holds open: past the limit a new connection is closed as soon as it is
 * accepted, before TLS or HTTP cost anything, so a connection flood cannot use up the process's file
 * descriptors (and with them Redis' connection and every other client's chance to connect).
 */
@Sharable
final class ConnectionLimit extends ChannelInboundHandlerAdapter {

    private final int max;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder refused = new LongAdder();

    ConnectionLimit(int max) {
        this.max = max;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (open.incrementAndGet() > max) {
            refused.increment();
            ctx.close();
            return;
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        open.decrementAndGet();
        ctx.fireChannelInactive();
    }

    /**
     * Connections open now, for the metrics. A connection past the limit counts too for the moment it takes to
     * close it, so during a flood this may read a little above the limit.
     */
    int open() {
        return open.get();
    }

    /** Connections refused since the start, for the metrics. */
    long refused() {
        return refused.sum();
    }
}
