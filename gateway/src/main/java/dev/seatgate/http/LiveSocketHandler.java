package dev.seatgate.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seatgate.live.LiveSessions;
import dev.seatgate.seats.EndReason;
import dev.seatgate.seats.SessionResult;
import dev.seatgate.seats.SessionToken;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live socket ({@code GET /v1/live}, API.md "Live sessions") after Netty's WebSocket handshake: the client
 * attaches a session (or logs in over the socket), and from then on the gateway keeps the lease alive
 * ({@link LiveSessions}), pings the client every heartbeat interval, and tells it at once when the session ends.
 * A login over the socket that has to wait keeps its place in line on the socket ({@link SocketInLine}) until a
 * seat is handed over. What it sends, close codes included, is in {@link LiveMessages}.
 */
final class LiveSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> implements LiveSessions.Socket {

    private static final Logger log = LoggerFactory.getLogger(LiveSocketHandler.class);

    /** How long after the upgrade the first attach or login may come. */
    static final Duration FIRST_MESSAGE_WITHIN = Duration.ofSeconds(10);

    private final LiveServices services;

    private ChannelHandlerContext ctx;
    private MessageTurns turns;
    /** Set by the handshake: until then the connection is an HTTP one, whose events are not this handler's. */
    private HttpHeaders upgradeHeaders;
    private ScheduledFuture<?> firstMessageDeadline;
    /** The session this socket holds, or null. */
    private SessionToken session;
    /** Its place in line, while a login over it waits for a seat. */
    private final SocketInLine inLine;
    /** Read by {@link LiveSessions} from Redis' threads. */
    private volatile boolean closing;

    LiveSocketHandler(LiveServices services) {
        this.services = services;
        this.inLine = new SocketInLine(this, services.lineWaits(), services.queue());
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
        this.turns = new MessageTurns(ctx.channel(), this::handle);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            upgradeHeaders = handshake.requestHeaders();
            LiveUpgrade.switchOver(ctx.pipeline(), services.goneAfter(), services.pingEvery());
            firstMessageDeadline = ctx.executor().schedule(() -> close(LiveMessages.FIRST_MESSAGE_LATE,
                    "no attach or login within " + FIRST_MESSAGE_WITHIN.toSeconds() + " s"),
                    FIRST_MESSAGE_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
        } else if (event instanceof IdleStateEvent idle && upgradeHeaders != null) {
            if (idle.state() == IdleState.WRITER_IDLE) {
                ctx.writeAndFlush(new PingWebSocketFrame()); // nothing sent for a heartbeat interval
            } else {
                close(LiveMessages.GOING_AWAY, "no answer to pings"); // gone: its session is detached below
            }
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (closing) {
            return;
        }
        if (!(frame instanceof TextWebSocketFrame text)) {
            close(LiveMessages.MALFORMED, "text frames only, one JSON object each");
            return;
        }
        if (!turns.offer(text.text())) {
            close(LiveMessages.MALFORMED, "too many messages before an answer");
        }
    }

    private void handle(String text) {
        if (closing) {
            return;
        }
        Optional<JsonNode> message = LiveMessages.parse(text);
        if (message.isEmpty()) {
            close(LiveMessages.MALFORMED, "not a JSON object");
            return;
        }
        String type = message.get().path("type").asText("");
        if (type.equals("attach") || type.equals("login")) {
            if (session != null || inLine.waiting()) {
                close(LiveMessages.MALFORMED, session != null ? "this socket holds a session already"
                        : "this socket waits in line already");
                return;
            }
            if (firstMessageDeadline != null) {
                firstMessageDeadline.cancel(false); // the first message came: a refused login may be tried again
            }
        }
        switch (type) {
            case "attach" -> attach(message.get());
            case "login" -> login(text);
            case "logout" -> logout();
            case "ping" -> send(LiveMessages.pong());
            default -> close(LiveMessages.MALFORMED, type.isEmpty() ? "a message needs a type" : "unknown type");
        }
    }

    private void attach(JsonNode message) {
        Optional<SessionToken> token = SessionToken.parse(message.path("sessionToken").asText(""));
        if (token.isEmpty()) {
            close(LiveMessages.BAD_TOKEN, "unknown session token");
            return;
        }
        turns.pause();
        hold(token.get(), () -> { },
                extended -> send(LiveMessages.attached(token.get().sessionId(), extended.leaseExpiresAt())));
    }

    /** A login as POST /v1/login, with the upgrade request's headers (X-Forwarded-For) and peer. */
    private void login(String text) {
        var peer = ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
        ApiRequest request = ApiRequest.overSocket(upgradeHeaders, peer, text.getBytes(StandardCharsets.UTF_8));
        turns.pause();
        services.login().handle(request).whenComplete((response, failure) -> onLoop(() -> {
            if (failure == null && response.status().code() == 200) {
                holdAdmitted(response);
                return;
            }
            if (failure == null && response.status().code() == 202) {
                inLine.join(response);
            } else { // a failure here is a bug: the observer mapped them already
                send(failure != null ? errorMessage(failure) : LiveMessages.error(response));
            }
            turns.resume();
        }));
    }

    /** A login's 200, or a ticket's: the socket holds the session from now on. */
    void holdAdmitted(ApiResponse response) {
        turns.pause();
        ObjectNode admitted = LiveMessages.admitted(response);
        SessionToken token = SessionToken.parse(admitted.path("sessionToken").asText()).orElseThrow();
        // Attached before the client hears of it, so that an end right after the login is pushed too; the
        // client hears of the login whatever the attach found (a failed one: it heartbeats or attaches again).
        hold(token, () -> send(admitted), extended -> { });
    }

    /**
     * Attaches the session to this socket, then, on its event loop: {@code first}, then what the attach found, then
     * the messages that waited (so that answers keep their order).
     */
    private void hold(SessionToken token, Runnable first, Consumer<SessionResult.Extended> whenHeld) {
        services.live().attach(token, this).whenComplete((result, failure) -> onLoop(() -> {
            first.run();
            if (failure != null) {
                send(errorMessage(failure));
            } else if (result instanceof SessionResult.Extended extended) {
                session = token;
                whenHeld.accept(extended);
            } else if (result instanceof SessionResult.Gone gone) {
                sendEnded(gone.reason());
            } else {
                close(LiveMessages.BAD_TOKEN, "unknown session token");
            }
            turns.resume();
        }));
    }

    private void logout() {
        if (inLine.waiting()) {
            inLine.leave(() -> close(LiveMessages.LOGGED_OUT, "left the line"));
            return;
        }
        if (session == null) {
            close(LiveMessages.MALFORMED, "no session to log out: attach or log in first");
            return;
        }
        SessionToken loggingOut = session;
        session = null;
        services.live().forget(loggingOut.sessionId(), this); // the end this logout publishes: not pushed too
        services.seats().logout(loggingOut).whenComplete((result, failure) -> onLoop(() -> {
            if (failure != null) { // not logged out, and no longer renewed here: it lapses within one lease TTL
                send(errorMessage(failure));
                close(LiveMessages.GOING_AWAY, "logout failed");
                return;
            }
            send(LiveMessages.ended(EndReason.LOGGED_OUT));
            close(LiveMessages.LOGGED_OUT, "logged out");
        }));
    }

    @Override
    public void ended(EndReason reason) {
        onLoop(() -> sendEnded(reason));
    }

    @Override
    public void moved() {
        onLoop(() -> {
            session = null; // held by another socket now: nothing to detach
            close(LiveMessages.MOVED, "the session was attached on another socket");
        });
    }

    @Override
    public void goingAway() {
        onLoop(() -> {
            session = null; // detached already: it keeps its seat for the grace
            close(LiveMessages.GOING_AWAY, "the gateway is shutting down; attach again");
        });
    }

    @Override
    public boolean isOpen() {
        return !closing && ctx.channel().isActive();
    }

    /** Runs on this socket's event loop; a loop already shut down (the gateway stopped) has no socket left to tell. */
    void onLoop(Runnable task) {
        try {
            ctx.executor().execute(task);
        } catch (RejectedExecutionException stopped) {
            // the gateway's event loops are gone, and the connection with them
        }
    }

    private void sendEnded(EndReason reason) {
        session = null;
        if (closing) {
            return;
        }
        send(LiveMessages.ended(reason));
        close(LiveMessages.ENDED, reason.wireName());
    }

    /** A failure of Redis or of ours, as the API's error body: the socket stays open to try again. */
    ObjectNode errorMessage(Throwable failure) {
        return LiveMessages.error(services.errors().toResponse(failure));
    }

    void send(ObjectNode message) {
        if (!closing) {
            ctx.writeAndFlush(new TextWebSocketFrame(message.toString()));
        }
    }

    private void close(int code, String reason) {
        if (closing) {
            return;
        }
        closing = true;
        ctx.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (firstMessageDeadline != null) {
            firstMessageDeadline.cancel(false);
        }
        if (session != null) {
            services.live().detach(session.sessionId(), this);
            session = null;
        }
        inLine.release();
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (upgradeHeaders == null) {
            ctx.fireExceptionCaught(cause); // an HTTP connection's: the request handler's to deal with
            return;
        }
        if (cause instanceof CorruptedWebSocketFrameException || cause instanceof TooLongFrameException) {
            log.debug("live socket: {}", cause.toString());
        } else {
            log.warn("live socket failed unexpectedly", cause);
        }
        close(LiveMessages.MALFORMED, "protocol error");
    }
}
