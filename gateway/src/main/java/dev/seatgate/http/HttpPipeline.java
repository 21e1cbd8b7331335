package dev.seatgate.http;

import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.group.ChannelGroup;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;

/**
 * The handlers of one connection of a listener, in order:
 *
 * <ol>
 *   <li>{@link ConnectionLimit}: past the listener's limit the connection is closed before anything else;</li>
 *   <li>TLS, when configured;</li>
 *   <li>an idle timeout for keep-alive connections, and the {@link RequestDeadline} against slow clients;</li>
 *   <li>the HTTP/1.1 codec, with the request line and header limits;</li>
 *   <li>{@link BodyLimitAggregator}: a whole request, or 413 (it reads on by itself while a request is partial);</li>
 *   <li>flow control: one whole request per {@code read()}, so one at a time even when a client pipelines;</li>
 *   <li>the listener's {@link ProtocolUpgrade}s, which take the upgrade requests that are theirs;</li>
 *   <li>{@link RequestHandler}: routes the request and writes its answer.</li>
 * </ol>
 */
final class HttpPipeline extends ChannelInitializer<Channel> {

    /** The longest request line accepted (414 beyond); lower when the header budget is lower. */
    private static final int MAX_INITIAL_LINE = 4096;
    /** The largest chunk of a body the codec hands on at once. */
    private static final int MAX_CHUNK = 8192;

    private final HttpServer.Listener listener;
    private final HttpServer.Options options;
    private final ConnectionLimit connectionLimit;
    private final ChannelGroup connections;
    private final InFlight inFlight;

    HttpPipeline(HttpServer.Listener listener, HttpServer.Options options, ConnectionLimit connectionLimit,
                 ChannelGroup connections, InFlight inFlight) {
        this.listener = listener;
        this.options = options;
        this.connectionLimit = connectionLimit;
        this.connections = connections;
        this.inFlight = inFlight;
    }

    @Override
    protected void initChannel(Channel channel) {
        connections.add(channel);
        ChannelPipeline pipeline = channel.pipeline();
        pipeline.addLast(connectionLimit);
        options.tls().ifPresent(tls -> pipeline.addLast(tls.newHandler(channel.alloc())));
        var limits = options.limits();
        var deadline = new RequestDeadline(limits.requestTimeout());
        pipeline.addLast(
                new IdleStateHandler(0, 0, options.idleTimeout().toMillis(), TimeUnit.MILLISECONDS),
                deadline,
                new HttpServerCodec(Math.min(MAX_INITIAL_LINE, limits.maxHeaderBytes()), limits.maxHeaderBytes(),
                        MAX_CHUNK),
                new BodyLimitAggregator(),
                new FlowControlHandler());
        listener.upgrades().forEach(upgrade -> upgrade.addHandlers(pipeline));
        pipeline.addLast(new RequestHandler(listener.router(), inFlight, deadline, limits.maxHeaders()));
    }
}
