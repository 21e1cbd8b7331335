package dev.seatgate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One agent of the live scenarios: it holds its session on a live socket, logged in over the socket, and goes
 * through what a softphone meets, counting in {@link LiveCounts} what it saw:
 *
 * <ul>
 *   <li><b>a takeover</b>: the agent logs in over HTTP on the other gateway; the socket must receive {@code ended}
 *       {@code superseded} and close code 4410. Once the socket closed and the takeover was answered, the agent logs
 *       in again over a new socket (taking over the HTTP session in turn, which has no socket: no push).</li>
 *   <li><b>a drop</b>: the socket is closed without a logout. The seat must stay held for the reconnect grace and
 *       be free after it ({@link FreedSeats}); then the agent logs in again.</li>
 * </ul>
 *
 * Callbacks arrive from the socket's event loop, the HTTP client's and the timers; every state change holds the
 * agent's lock, and a callback from a socket that is not the agent's current one is ignored.
 */
final class LiveAgent implements LiveSocket.Listener {

    /** How long an agent waits before logging in again after a refused login or a socket that would not open. */
    static final Duration RETRY_AFTER = Duration.ofSeconds(1);
    /** A dropped socket's seat not free this long after the reconnect grace counts as never freed. */
    static final Duration FREED_WITHIN_AFTER_GRACE = Duration.ofSeconds(30);

    /** What the agents of one run share. */
    record Shared(Options options, LiveSocketClient sockets, InFlightLimit logins, Target target, Target other,
                  FreedSeats freed, Stats stats, LiveCounts counts, ScheduledExecutorService timer) {
    }

    enum State { LOGGING_IN, ATTACHED, TAKEN_OVER, DROPPED, LOGGING_OUT, DONE }

    private final int id;
    private final Shared run;
    private final CompletableFuture<Void> loggedOut = new CompletableFuture<>();

    private State state = State.DONE;
    /** The socket the agent uses now; null while it has none. */
    private LiveSocket socket;
    /** Completed when the socket's login is answered (or fails): frees its place among the logins in flight. */
    private CompletableFuture<Void> loginAnswered;
    private long loginSent;
    private String sessionId;
    // The takeover in progress: sent when, answered (and how), pushed, the socket closed.
    private long takeoverSent;
    private boolean takeoverAnswered;
    private boolean tookOver;
    private boolean pushed;
    private boolean socketClosed;

    LiveAgent(int id, Shared run) {
        this.id = id;
        this.run = run;
    }

    synchronized State state() {
        return state;
    }

    /** Logs in over a new socket, when there is room among the logins in flight. */
    void logIn() {
        synchronized (this) {
            state = State.LOGGING_IN;
            socket = null;
        }
        run.logins().submit(this::openAndLogIn);
    }

    private CompletableFuture<Void> openAndLogIn() {
        var answered = new CompletableFuture<Void>();
        LiveSocket opening = run.sockets().open(this);
        synchronized (this) {
            socket = opening;
            loginAnswered = answered;
        }
        opening.opened().whenComplete((open, failure) -> {
            if (failure != null) {
                run.counts().connectFailures.increment();
                answered.complete(null);
                retryLater(opening);
                return;
            }
            synchronized (this) {
                if (socket != opening) {
                    return;
                }
                loginSent = System.nanoTime();
            }
            opening.send("{\"type\":\"login\"," + run.target().loginFields(id) + "}");
        });
        return answered;
    }

    /** One interval: an attached agent may be taken over or drop its socket (--churn, --vanish). */
    void tick(double dice) {
        LiveSocket dropping;
        String dropped;
        synchronized (this) {
            if (state != State.ATTACHED) {
                return;
            }
            if (dice >= run.options().vanish()) {
                if (dice < run.options().vanish() + run.options().churn()) {
                    takeOver();
                }
                return;
            }
            state = State.DROPPED;
            dropping = socket;
            dropped = sessionId;
            socket = null;
        }
        drop(dropping, dropped);
    }

    /** Logs the attached agent out over its socket; completes when the socket closed (at once for the others). */
    CompletableFuture<Void> logOut() {
        synchronized (this) {
            if (state != State.ATTACHED) {
                return CompletableFuture.completedFuture(null);
            }
            state = State.LOGGING_OUT;
            socket.send("{\"type\":\"logout\"}");
        }
        return loggedOut;
    }

    private void takeOver() { // holds the lock
        state = State.TAKEN_OVER;
        takeoverAnswered = false;
        tookOver = false;
        pushed = false;
        socketClosed = false;
        long sent = System.nanoTime();
        takeoverSent = sent;
        run.other().login(id).whenComplete((response, failure) -> {
            synchronized (this) {
                takeoverAnswered = true;
                if (failure != null) {
                    run.stats().failure("takeover");
                } else {
                    run.stats().record("takeover", sent, response.status());
                    tookOver = response.status() == 200;
                    if (tookOver) {
                        run.counts().pushesExpected.increment();
                    } else if (!expectedRefusal(response.status(), response.body())) {
                        run.counts().unexpectedAnswers.increment();
                    }
                }
            }
            afterTakeover();
        });
    }

    /** Logs in again once the takeover was answered and the socket closed; a refused takeover leaves it attached. */
    private void afterTakeover() {
        synchronized (this) {
            if (state != State.TAKEN_OVER || !takeoverAnswered) {
                return;
            }
            if (!socketClosed) {
                if (!tookOver && !pushed) {
                    state = State.ATTACHED; // refused: the socket's session is untouched
                }
                return;
            }
        }
        logIn();
    }

    private void drop(LiveSocket dropping, String dropped) {
        long droppedAt = System.nanoTime();
        run.counts().dropped.increment();
        dropping.drop();
        Duration grace = run.options().reconnectGrace();
        run.freed().watch(dropped).orTimeout(grace.plus(FREED_WITHIN_AFTER_GRACE).toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((freedAt, notFreed) -> {
                    if (notFreed != null) {
                        run.counts().notFreed.increment();
                    } else {
                        run.stats().span("drop to free", droppedAt, freedAt);
                        (freedAt - droppedAt < grace.toNanos() ? run.counts().freedEarly : run.counts().freed)
                                .increment();
                    }
                    logIn();
                });
    }

    @Override
    public void message(LiveSocket from, JsonNode message, long receivedNanos) {
        String type = message.path("type").asText();
        synchronized (this) {
            if (from != socket) {
                return;
            }
            switch (type) {
                case "admitted" -> admitted(message);
                case "error" -> {
                    refused(from, message.path("status").asInt(), message);
                    return;
                }
                case "ended" -> ended(message.path("reason").asText(), receivedNanos);
                default -> run.counts().unexpectedAnswers.increment();
            }
        }
    }

    private void admitted(JsonNode message) { // holds the lock
        if (state != State.LOGGING_IN) {
            run.counts().unexpectedAnswers.increment();
            return;
        }
        run.stats().record("login (socket)", loginSent, 200);
        sessionId = message.path("sessionId").asText();
        state = State.ATTACHED;
        loginAnswered.complete(null);
    }

    /** A login refused over the socket: the agent leaves the socket and tries again a little later. */
    private void refused(LiveSocket from, int status, JsonNode message) { // holds the lock
        if (state != State.LOGGING_IN) {
            run.counts().unexpectedAnswers.increment(); // an error outside a login: the gateway could not attach
            return;
        }
        run.stats().record("login (socket)", loginSent, status);
        if (!expectedRefusal(status, message.path("error").path("code").asText())) {
            run.counts().unexpectedAnswers.increment();
        }
        loginAnswered.complete(null);
        socket = null;
        from.drop(); // it held nothing
        run.timer().schedule(this::logIn, RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void ended(String reason, long receivedNanos) { // holds the lock
        if (state == State.TAKEN_OVER && reason.equals("superseded") && !pushed) {
            pushed = true;
            run.counts().pushesReceived.increment();
            run.stats().span("push", takeoverSent, receivedNanos);
        } else if (!(state == State.LOGGING_OUT && reason.equals("logged_out"))) {
            run.counts().unexpectedEnds.increment();
        }
    }

    @Override
    public void closed(LiveSocket from, int code) {
        synchronized (this) {
            if (from != socket) {
                return; // dropped or left on purpose
            }
            switch (state) {
                case TAKEN_OVER -> {
                    socketClosed = true;
                    if (code != 4410) {
                        run.counts().wrongCloseCodes.increment();
                    }
                }
                case LOGGING_OUT -> {
                    if (code != 1000) {
                        run.counts().wrongCloseCodes.increment();
                    }
                    state = State.DONE;
                    socket = null;
                    loggedOut.complete(null);
                    return;
                }
                default -> { // attached or logging in: nobody asked for this
                    run.counts().socketsLost.increment();
                    if (state == State.LOGGING_IN) {
                        loginAnswered.complete(null);
                    }
                    socket = null;
                    state = State.LOGGING_IN;
                    run.timer().schedule(this::logIn, RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                }
            }
        }
        afterTakeover();
    }

    private void retryLater(LiveSocket failed) {
        synchronized (this) {
            if (socket != failed) {
                return;
            }
            socket = null;
        }
        run.timer().schedule(this::logIn, RETRY_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A login refused for want of a seat, or because the gateway is overloaded: the agent tries again later. */
    private static boolean expectedRefusal(int status, String bodyOrCode) {
        return status == 503 || status == 409 && bodyOrCode.contains("SEATS_EXHAUSTED");
    }
}
