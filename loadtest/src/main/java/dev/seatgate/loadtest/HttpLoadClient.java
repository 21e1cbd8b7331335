package dev.seatgate.loadtest;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A small non-blocking HTTP/1.1 client on Netty for one host: a fixed number of keep-alive connections, one
 * request in flight on each (like a softphone), requests beyond that wait in order for a free connection.
 * Closed connections are reopened. Much lighter than the JDK's client, which matters when the load generator
 * shares the machine with what it measures. A request not answered within {@link #RESPONSE_TIMEOUT} fails (and
 * its connection is closed), so a gateway that stopped answering ends the run instead of hanging it.
 */
final class HttpLoadClient implements AutoCloseable {

    /** A response: status and body. */
    record Response(int status, String body, long retryAfterSeconds) {

        /** A 503 whose Retry-After says when the gateway can take the request (overloaded, not Redis down). */
        boolean overloaded() {
            return status == 503 && body.contains("\"overloaded\"");
        }
    }

    static final Duration RESPONSE_TIMEOUT = Duration.ofSeconds(30);

    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final String host;
    private final int port;
    private final Queue<Connection> idle = new ArrayDeque<>();
    private final Queue<Waiting> waiting = new ArrayDeque<>();
    private final int maxConnections;
    private int open;

    HttpLoadClient(URI base, int connections, int threads) {
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        this.host = base.getHost();
        this.port = base.getPort();
        this.maxConnections = connections;
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000);
    }

    /** Sends a request when a connection is free; the future completes with the response or an I/O failure. */
    CompletableFuture<Response> send(HttpMethod method, String path, String body, Map<String, String> headers) {
        var waiter = new Waiting(method, path, body, headers, new CompletableFuture<>());
        Connection connection;
        synchronized (this) {
            connection = idle.poll();
            if (connection == null) {
                waiting.add(waiter);
                if (open < maxConnections) {
                    open++;
                    connect();
                }
                return waiter.response;
            }
        }
        connection.send(waiter);
        return waiter.response;
    }

    /** Requests waiting for a free connection. */
    synchronized int queued() {
        return waiting.size();
    }

    private void connect() {
        bootstrap.handler(new ChannelInitializer<SocketChannel>() {
            @Override
            protected void initChannel(SocketChannel channel) {
                channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 20),
                        new Connection());
            }
        }).connect(host, port).addListener(connected -> {
            if (!connected.isSuccess()) {
                Waiting failed;
                synchronized (this) {
                    open--;
                    failed = waiting.poll();
                }
                if (failed != null) {
                    failed.response.completeExceptionally(connected.cause());
                }
            }
        });
    }

    /** A connection became free: give it the next waiting request, or park it. */
    private void release(Connection connection) {
        Waiting next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                idle.add(connection);
                return;
            }
        }
        connection.send(next);
    }

    private synchronized void lost(Connection connection) {
        idle.remove(connection);
        open--;
        if (!waiting.isEmpty() && open < maxConnections) {
            open++;
            connect();
        }
    }

    private record Waiting(HttpMethod method, String path, String body, Map<String, String> headers,
                           CompletableFuture<Response> response) {
    }

    private final class Connection extends SimpleChannelInboundHandler<FullHttpResponse> {
        private Channel channel;
        private CompletableFuture<Response> pending;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            release(this);
        }

        void send(Waiting request) {
            pending = request.response();
            byte[] bytes = request.body() == null ? new byte[0] : request.body().getBytes(StandardCharsets.UTF_8);
            FullHttpRequest http = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, request.method(), request.path(),
                    Unpooled.wrappedBuffer(bytes));
            http.headers().set(HttpHeaderNames.HOST, host + ":" + port);
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            HttpUtil.setContentLength(http, bytes.length);
            request.headers().forEach(http.headers()::set);
            CompletableFuture<Response> answer = pending;
            channel.writeAndFlush(http).addListener(written -> {
                if (!written.isSuccess()) {
                    fail(written.cause());
                    channel.close();
                }
            });
            var timeout = channel.eventLoop().schedule(() -> {
                if (pending == answer) {
                    fail(new TimeoutException("no answer to " + request.method() + " " + request.path() + " within "
                            + RESPONSE_TIMEOUT.toSeconds() + " s"));
                    channel.close();
                }
            }, RESPONSE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            answer.whenComplete((response, failure) -> timeout.cancel(false));
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse response) {
            CompletableFuture<Response> done = pending;
            pending = null;
            boolean keepAlive = HttpUtil.isKeepAlive(response);
            if (done != null) {
                String retryAfter = response.headers().get(HttpHeaderNames.RETRY_AFTER);
                done.complete(new Response(response.status().code(), response.content().toString(StandardCharsets.UTF_8),
                        retryAfter == null ? 0 : Long.parseLong(retryAfter.trim())));
            }
            if (keepAlive) {
                release(this);
            } else {
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            fail(new IOException("connection closed"));
            lost(this);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            fail(cause);
            ctx.close();
        }

        private void fail(Throwable cause) {
            CompletableFuture<Response> done = pending;
            pending = null;
            if (done != null) {
                done.completeExceptionally(cause);
            }
        }
    }

    @Override
    public void close() {
        // No quiet period: nothing is sent after close, and Netty's default 2 s would be added to every run.
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
