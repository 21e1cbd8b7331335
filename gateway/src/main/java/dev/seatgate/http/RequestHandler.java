package dev.seatgate.http;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.PrematureChannelClosureException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the requests of one connection, one at a time.
 *
 * <p>The channel does not read on its own (auto-read is off): this handler asks for the next request only
 * after the current response is written. {@code FlowControlHandler} in front hands on one whole request per
 * {@code read()}, keeping the rest of what a pipelining client sent, so responses can never overtake each
 * other and a connection never has more than one request's work in flight.
 *
 * <p>A {@code read()} is good for one read cycle: the flow control forgets it when a cycle ends without a
 * whole request (the codec and the aggregator in front read on by themselves while they hold a part, but
 * their reads do not pass it). This handler therefore keeps track of its own outstanding read, as the flow
 * control does, and asks again when a cycle ends with none delivered, never asking twice: two would let a
 * pipelined request through while the one before it is still being served.
 *
 * <p>The handler runs on the event loop and never blocks: the router returns a stage, and the response is
 * written back on this channel's event loop when the stage completes.
 */
final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

    private final Router router;
    private final InFlight inFlight;
    private final RequestDeadline deadline;
    private final int maxHeaders;
    /** A request of this connection is being served; the next is read only after its response. */
    private boolean serving;
    /** A {@code read()} was asked for and no request has come of it yet in this read cycle. */
    private boolean readPending;

    RequestHandler(Router router, InFlight inFlight, RequestDeadline deadline, int maxHeaders) {
        this.router = router;
        this.inFlight = inFlight;
        this.deadline = deadline;
        this.maxHeaders = maxHeaders;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        readNext(ctx);
        ctx.fireChannelActive();
    }

    /** Asks for the next request, unless one is being served or already asked for. */
    private void readNext(ChannelHandlerContext ctx) {
        if (!serving && !readPending) {
            readPending = true; // before read(): the flow control may hand on a waiting request at once
            ctx.read();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        readPending = false; // the flow control forgot a read that brought nothing in this cycle
        readNext(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        readPending = false;
        serving = true;
        deadline.received();
        if (request.decoderResult().isFailure()) {
            respond(ctx, malformed(request.decoderResult().cause()), false);
            return;
        }
        if (request.headers().size() > maxHeaders) {
            respond(ctx, ApiResponse.error(ErrorCode.HEADERS_TOO_LARGE, "more than " + maxHeaders + " header fields",
                    Map.of(), Map.of()), false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        inFlight.begin();
        router.dispatch(ApiRequest.from(request, ctx.channel().remoteAddress())).whenComplete((answer, failure) -> {
            // Answers come back on Redis' or the hashing pool's threads; write them from this channel's loop
            // (directly when already on it, as for answers that needed no I/O).
            if (ctx.executor().inEventLoop()) {
                answer(ctx, answer, keepAlive);
            } else {
                try {
                    ctx.executor().execute(() -> answer(ctx, answer, keepAlive));
                } catch (RejectedExecutionException shuttingDown) {
                    inFlight.end();
                }
            }
        });
    }

    private void answer(ChannelHandlerContext ctx, ApiResponse answer, boolean keepAlive) {
        try {
            respond(ctx, answer, keepAlive && !inFlight.isDraining()).addListener(written -> inFlight.end());
        } catch (RuntimeException e) { // the response could not be encoded: a bug
            log.warn("could not answer a request from {}", ctx.channel().remoteAddress(), e);
            inFlight.end();
            ctx.close();
        }
    }

    private ChannelFuture respond(ChannelHandlerContext ctx, ApiResponse response, boolean keepAlive) {
        return ctx.writeAndFlush(ResponseEncoder.encode(ctx.alloc(), response, keepAlive)).addListener(written -> {
            if (keepAlive && written.isSuccess()) {
                serving = false;
                readNext(ctx);
            } else {
                ctx.close();
            }
        });
    }

    private static ApiResponse malformed(Throwable cause) {
        if (cause instanceof TooLongHttpLineException) {
            return ApiResponse.error(ErrorCode.URI_TOO_LONG, "the request line is too long", Map.of(), Map.of());
        }
        if (cause instanceof TooLongHttpHeaderException) {
            return ApiResponse.error(ErrorCode.HEADERS_TOO_LARGE, "the request headers are too large",
                    Map.of(), Map.of());
        }
        return ApiResponse.error(ErrorCode.INVALID_REQUEST, "malformed HTTP request", Map.of(), Map.of());
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            if (!serving) { // a request being served (a long poll in line: up to 25 s) is no idle connection
                ctx.close(); // an idle keep-alive connection; the client reconnects when it needs to
            }
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Resets, requests cut short, failed TLS handshakes and plain HTTP sent to the TLS port are the
        // client's doing, not ours.
        if (cause instanceof IOException || cause instanceof DecoderException
                || cause instanceof PrematureChannelClosureException) {
            log.debug("connection error from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
        } else {
            log.warn("closing connection from {} after an unexpected error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
