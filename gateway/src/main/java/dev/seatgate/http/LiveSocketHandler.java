package dev.seatgate.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seatgate.Json;
import dev.seatgate.live.LiveSessions;
import dev.seatgate.seats.EndReason;
import dev.seatgate.seats.SeatLedger;
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
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One live socket ({@code GET /v1/live}, API.md "Live sessions") after Netty's WebSocket handshake: the client
 * attaches a session (or logs in over the socket), and from then on the gateway keeps the lease alive
 * ({@link LiveSessions}), pings the client every heartbeat interval, and tells it at once when the session ends.
 *
 * <p>Close codes: 1000 after a logout, 4400 a malformed message, 4401 a bad or unknown token, 4408 no
 * {@code attach} or {@code login} within 10 s of the upgrade, 4409 the session was attached on another socket
 * since, 4410 the session ended (after an {@code ended} message saying why); 1001 when the client stopped
 * answering pings for a lease TTL or the gateway shuts down.
 */
final class LiveSocketHandler extends SimpleChannelInboundHandler<WebSocketFrame> implements LiveSessions.Socket {

    private static final Logger log = LoggerFactory.getLogger(LiveSocketHandler.class);

    static final int LOGGED_OUT = 1000;
    static final int GOING_AWAY = 1001;
    static final int MALFORMED = 4400;
    static final int BAD_TOKEN = 4401;
    static final int FIRST_MESSAGE_LATE = 4408;
    static final int MOVED = 4409;
    static final int ENDED = 4410;
    /** How long after the upgrade the first attach or login may come. */
    static final Duration FIRST_MESSAGE_WITHIN = Duration.ofSeconds(10);

    private final LiveSessions live;
    private final SeatLedger seats;
    private final Router.Handler login;
    private final ErrorMapper errors;
    private final Duration pingEvery;
    private final Duration goneAfter;

    /** Messages that arrived while a login or attach was answered (frames already read when reading paused). */
    private static final int MAX_WAITING_MESSAGES = 8;

    private ChannelHandlerContext ctx;
    /** Set by the handshake: until then the connection is an HTTP one, whose events are not this handler's. */
    private HttpHeaders upgradeHeaders;
    private ScheduledFuture<?> firstMessageDeadline;
    private ScheduledFuture<?> pings;
    /** The session this socket holds, or null. */
    private SessionToken session;
    /** A login or attach is being answered: later messages wait in {@link #waiting}. */
    private boolean busy;
    private final ArrayDeque<String> waiting = new ArrayDeque<>();
    /** Read by {@link LiveSessions} from Redis' threads. */
    private volatile boolean closing;

    /**
     * @param login     the agent API's login, observed as an HTTP login is (metrics, event log)
     * @param pingEvery the heartbeat interval
     * @param goneAfter the lease TTL: a client silent for that long (no pong, no message) is gone
     */
    LiveSocketHandler(LiveSessions live, SeatLedger seats, Router.Handler login, ErrorMapper errors,
                      Duration pingEvery, Duration goneAfter) {
        this.live = live;
        this.seats = seats;
        this.login = login;
        this.errors = errors;
        this.pingEvery = pingEvery;
        this.goneAfter = goneAfter;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake) {
            upgradeHeaders = handshake.requestHeaders();
            LiveUpgrade.switchOver(ctx.pipeline(), goneAfter);
            firstMessageDeadline = ctx.executor().schedule(() -> close(FIRST_MESSAGE_LATE,
                    "no attach or login within " + FIRST_MESSAGE_WITHIN.toSeconds() + " s"),
                    FIRST_MESSAGE_WITHIN.toMillis(), TimeUnit.MILLISECONDS);
            pings = ctx.executor().scheduleAtFixedRate(() -> ctx.writeAndFlush(new PingWebSocketFrame()),
                    pingEvery.toMillis(), pingEvery.toMillis(), TimeUnit.MILLISECONDS);
        } else if (event instanceof IdleStateEvent && upgradeHeaders != null) {
            close(GOING_AWAY, "no answer to pings"); // the client is gone: its session is detached below
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
            close(MALFORMED, "text frames only, one JSON object each");
            return;
        }
        if (busy) {
            if (waiting.size() == MAX_WAITING_MESSAGES) {
                close(MALFORMED, "too many messages before an answer");
            } else {
                waiting.add(text.text());
            }
            return;
        }
        handle(text.text());
    }

    private void handle(String text) {
        JsonNode message;
        try {
            message = Json.MAPPER.readTree(text);
        } catch (JacksonException e) {
            close(MALFORMED, "not a JSON object");
            return;
        }
        if (message == null || !message.isObject()) {
            close(MALFORMED, "not a JSON object");
            return;
        }
        String type = message.path("type").asText("");
        if ((type.equals("attach") || type.equals("login")) && firstMessageDeadline != null) {
            firstMessageDeadline.cancel(false); // the first message came: a refused login may be tried again
        }
        switch (type) {
            case "attach" -> attach(message);
            case "login" -> login(message, text);
            case "logout" -> logout();
            case "ping" -> send(LiveMessages.pong());
            default -> close(MALFORMED, type.isEmpty() ? "a message needs a type" : "unknown message type");
        }
    }

    private void attach(JsonNode message) {
        if (session != null) {
            close(MALFORMED, "this socket holds a session already");
            return;
        }
        Optional<SessionToken> token = SessionToken.parse(message.path("sessionToken").asText(""));
        if (token.isEmpty()) {
            close(BAD_TOKEN, "unknown session token");
            return;
        }
        pause();
        // Every answer is sent before the messages that waited are handled (resume), so answers keep their order.
        live.attach(token.get(), this).whenComplete((result, failure) -> onLoop(() -> {
            if (failure != null) {
                sendError(failure);
            } else if (result instanceof SessionResult.Extended extended) {
                held(token.get());
                send(LiveMessages.attached(token.get().sessionId(), extended.leaseExpiresAt()));
            } else if (result instanceof SessionResult.Gone gone) {
                sendEnded(gone.reason());
            } else {
                close(BAD_TOKEN, "unknown session token");
            }
            resume();
        }));
    }

    /** A login as POST /v1/login, with the upgrade request's headers (X-Forwarded-For) and peer. */
    private void login(JsonNode message, String text) {
        if (session != null) {
            close(MALFORMED, "this socket holds a session already");
            return;
        }
        var peer = ctx.channel().remoteAddress() instanceof InetSocketAddress address ? address.getAddress() : null;
        ApiRequest request = ApiRequest.overSocket(upgradeHeaders, peer, text.getBytes(StandardCharsets.UTF_8));
        pause();
        login.handle(request).whenComplete((response, failure) -> onLoop(() -> {
            if (failure != null) { // the observer maps every failure to a response; this is a bug
                sendError(failure);
                resume();
                return;
            }
            if (response.status().code() != 200) {
                send(LiveMessages.error(response));
                resume();
                return;
            }
            ObjectNode admitted = LiveMessages.admitted(response);
            SessionToken token = SessionToken.parse(admitted.path("sessionToken").asText()).orElseThrow();
            // Attached before the client hears of it, so that an end right after the login is pushed too.
            live.attach(token, this).whenComplete((result, attachFailure) -> onLoop(() -> {
                send(admitted);
                if (result instanceof SessionResult.Extended) {
                    held(token);
                } else if (result instanceof SessionResult.Gone gone) {
                    sendEnded(gone.reason());
                } else if (attachFailure != null) {
                    sendError(attachFailure); // admitted, not held here: the client heartbeats or attaches again
                }
                resume();
            }));
        }));
    }

    private void logout() {
        if (session == null) {
            close(MALFORMED, "no session to log out: attach or log in first");
            return;
        }
        SessionToken loggingOut = session;
        session = null;
        live.forget(loggingOut.sessionId(), this); // so that the end this logout publishes is not pushed as well
        CompletionStage<SessionResult> logout;
        try {
            logout = seats.logout(loggingOut);
        } catch (RuntimeException notConnected) {
            logout = CompletableFuture.failedFuture(notConnected);
        }
        logout.whenComplete((result, failure) -> onLoop(() -> {
            if (failure != null) { // not logged out, and no longer renewed here: it lapses within one lease TTL
                sendError(failure);
                close(GOING_AWAY, "logout failed");
                return;
            }
            send(LiveMessages.ended(EndReason.LOGGED_OUT));
            close(LOGGED_OUT, "logged out");
        }));
    }

    private void held(SessionToken token) {
        session = token;
    }

    @Override
    public void ended(EndReason reason) {
        onLoop(() -> sendEnded(reason));
    }

    @Override
    public void moved() {
        onLoop(() -> {
            session = null; // held by another socket now: nothing to detach
            close(MOVED, "the session was attached on another socket");
        });
    }

    @Override
    public void goingAway() {
        onLoop(() -> {
            session = null; // detached already: it keeps its seat for the grace
            close(GOING_AWAY, "the gateway is shutting down; attach again");
        });
    }

    @Override
    public boolean isOpen() {
        return !closing && ctx.channel().isActive();
    }

    /** Runs on this socket's event loop; a loop already shut down (the gateway stopped) has no socket left to tell. */
    private void onLoop(Runnable task) {
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
        close(ENDED, reason.wireName());
    }

    /** A failure of Redis or of ours, as the API's error body: the socket stays open to try again. */
    private void sendError(Throwable failure) {
        send(LiveMessages.error(errors.toResponse(failure)));
    }

    private void send(ObjectNode message) {
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

    /**
     * One login or attach at a time: reading pauses until it is answered, and the messages already read meanwhile
     * wait their turn, in order.
     */
    private void pause() {
        busy = true;
        ctx.channel().config().setAutoRead(false);
    }

    private void resume() {
        busy = false;
        while (!busy && !closing && !waiting.isEmpty()) {
            handle(waiting.poll());
        }
        if (!busy) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (firstMessageDeadline != null) {
            firstMessageDeadline.cancel(false);
        }
        if (pings != null) {
            pings.cancel(false);
        }
        if (session != null) {
            live.detach(session.sessionId(), this);
            session = null;
        }
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
        close(MALFORMED, "protocol error");
    }
}
