package dev.seatgate.http;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import java.util.Map;

/**
 * Aggregates a request into one message, up to {@link #MAX_BODY_BYTES}. A larger body, announced by
 * Content-Length or found while reading chunks, is answered 413 with the JSON error body, and the
 * connection is closed, since the rest of the body would still be on the wire.
 */
final class BodyLimitAggregator extends HttpObjectAggregator {

    /** The largest request body accepted (API.md: 16 KiB). */
    static final int MAX_BODY_BYTES = 16 * 1024;

    BodyLimitAggregator() {
        super(MAX_BODY_BYTES);
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        ApiResponse tooLarge = ApiResponse.error(ErrorCode.PAYLOAD_TOO_LARGE,
                "the body is larger than " + MAX_BODY_BYTES + " bytes", Map.of(), Map.of());
        ctx.writeAndFlush(ResponseEncoder.encode(ctx.alloc(), tooLarge, false))
                .addListener(ChannelFutureListener.CLOSE);
    }
}
