package dev.seatgate.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Live sockets ({@code GET /v1/live}) to one gateway, on Netty's own WebSocket client codec. A socket costs a
 * channel and a few small handlers, never a thread, so a few event-loop threads hold thousands of them (the JDK's
 * WebSocket client, which the gateway's tests use, needs an HttpClient with its own selector thread per socket).
 * Netty answers the gateway's pings by itself; close frames are passed on, so the scenarios see the close code.
 */
final class LiveSocketClient implements AutoCloseable {

    /** The path of the live sockets on the agent port. */
    static final String PATH = "/v1/live";
    /** The largest message the gateway sends: an admitted answer is well under 1 KiB. */
    private static final int MAX_MESSAGE_BYTES = 64 * 1024;
    /** The upgrade request and its answer: a few hundred bytes. */
    private static final int MAX_HANDSHAKE_BYTES = 8 * 1024;
    /** A handshake not answered within this fails the socket's {@link LiveSocket#opened()}. */
    static final Duration HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final WebSocketClientProtocolConfig protocol;
    private final String host;
    private final int port;

    LiveSocketClient(URI agentUrl, int threads) {
        this.host = agentUrl.getHost();
        this.port = agentUrl.getPort();
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
        this.protocol = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(URI.create("ws://" + host + ":" + port + PATH))
                .maxFramePayloadLength(MAX_MESSAGE_BYTES)
                .handshakeTimeoutMillis(HANDSHAKE_TIMEOUT.toMillis())
                .handleCloseFrames(false) // the close code is part of what the scenarios check
                .sendCloseFrame(null)     // closing the channel drops it: the softphone that lost its network
                .build();
    }

    /** Opens a socket; {@link LiveSocket#opened()} completes once the handshake is done. */
    LiveSocket open(LiveSocket.Listener listener) {
        var socket = new LiveSocket(listener);
        bootstrap.clone().handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(MAX_HANDSHAKE_BYTES),
                        new WebSocketClientProtocolHandler(protocol), new WebSocketFrameAggregator(MAX_MESSAGE_BYTES),
                        socket);
            }
        }).connect(host, port).addListener(connected -> {
            if (!connected.isSuccess()) {
                socket.failed(connected.cause());
            }
        });
        return socket;
    }

    @Override
    public void close() {
        // No quiet period: nothing is sent after close, and Netty's default 2 s would be added to every run.
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
