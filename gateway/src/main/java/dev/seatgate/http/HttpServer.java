package dev.seatgate.http;

import dev.seatgate.config.HttpLimits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Netty server: one boss thread accepting, one event loop per core serving, and any number of
 * listeners, each with its own router (the agent API and the admin API listen on different ports).
 *
 * <p>Each connection's handlers are set up by {@link HttpPipeline}.
 */
public final class HttpServer implements AutoCloseable {

    /** Connections waiting to be accepted during a storm. */
    private static final int ACCEPT_BACKLOG = 1024;

    /**
     * Where to listen and what to serve there: HTTP requests to the router, and the protocols connections
     * may upgrade to.
     */
    public record Listener(String name, String host, int port, Router router, List<ProtocolUpgrade> upgrades) {

        public Listener(String name, String host, int port, Router router) {
            this(name, host, port, router, List.of());
        }
    }

    /** Linux's epoll when its native library loads (fewer syscalls, less garbage), else Java's NIO. */
    private static final boolean EPOLL = Epoll.isAvailable();

    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, ioHandler());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(
            Runtime.getRuntime().availableProcessors(), ioHandler());
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private final List<Channel> listeners = new ArrayList<>();
    private final Map<Listener, ConnectionLimit> connectionLimits = new LinkedHashMap<>();

    /** How every listener treats its connections. */
    public record Options(Duration idleTimeout, HttpLimits limits, Optional<SslContext> tls) {
    }

    /** Binds every listener, or fails (and releases what it bound) when one port cannot be bound. */
    public static HttpServer start(List<Listener> listeners, Options options, InFlight inFlight) {
        var server = new HttpServer();
        try {
            for (Listener listener : listeners) {
                server.bind(listener, options, inFlight);
            }
            return server;
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
    }

    private void bind(Listener listener, Options options, InFlight inFlight) {
        var connectionLimit = new ConnectionLimit(options.limits().maxConnections());
        connectionLimits.put(listener, connectionLimit);
        ChannelFuture bound = new ServerBootstrap()
                .group(boss, workers)
                .channel(EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, ACCEPT_BACKLOG)
                .childOption(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new HttpPipeline(listener, options, connectionLimit, connections, inFlight))
                .bind(listener.host(), listener.port())
                .awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("cannot listen on " + listener.host() + ":" + listener.port() + " for the "
                    + listener.name() + ": " + bound.cause().getMessage());
        }
        listeners.add(bound.channel());
    }

    private static IoHandlerFactory ioHandler() {
        return EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** The port a listener is bound to (useful when it was configured as 0). */
    public int port(int listenerIndex) {
        return ((InetSocketAddress) listeners.get(listenerIndex).localAddress()).getPort();
    }

    /** Connections a listener (one given to {@link #start}) holds open now. */
    public int openConnections(Listener listener) {
        return connectionLimits.get(listener).open();
    }

    /** Connections closed at once because their listener was full, since the start. */
    public long connectionsRefused() {
        return connectionLimits.values().stream().mapToLong(ConnectionLimit::refused).sum();
    }

    /** Closes the listening sockets; connections already open keep being served. */
    public void stopAccepting() {
        listeners.forEach(channel -> channel.close().syncUninterruptibly());
    }

    @Override
    public void close() {
        stopAccepting();
        connections.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
