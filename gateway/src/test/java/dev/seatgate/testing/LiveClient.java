package dev.seatgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A softphone's live socket ({@code GET /v1/live}) for tests, on the JDK's own WebSocket client (which answers
 * the gateway's pings by itself): every text message is queued as JSON, in order, with the time it arrived; the
 * close code and reason the gateway sent are kept.
 */
public final class LiveClient implements AutoCloseable {

    /** A message from the gateway and when it arrived (System.nanoTime). */
    public record Message(JsonNode json, long receivedAt) {
        public String type() {
            return json.path("type").asText();
        }
    }

    /** How the gateway closed the socket. */
    public record Closed(int code, String reason) {
    }

    private final BlockingQueue<Message> messages = new LinkedBlockingQueue<>();
    private final CompletableFuture<Closed> closed = new CompletableFuture<>();
    private final WebSocket socket;

    private LiveClient(URI uri, HttpClient client) {
        this.socket = client.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(5))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            messages.add(new Message(ApiClient.parse(text.toString()), System.nanoTime()));
                            text.setLength(0);
                        }
                        webSocket.request(1);
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
                        closed.complete(new Closed(statusCode, reason));
                        return null;
                    }

                    @Override
                    public void onError(WebSocket webSocket, Throwable error) {
                        closed.completeExceptionally(error);
                    }
                }).join();
    }

    /** Opens a socket to the gateway's agent port. */
    public static LiveClient connect(int agentPort) {
        return connect(URI.create("ws://127.0.0.1:" + agentPort + "/v1/live"), HttpClient.newHttpClient());
    }

    /** Opens a socket to {@code uri} ({@code wss://} with a client that trusts the gateway's certificate). */
    public static LiveClient connect(URI uri, HttpClient client) {
        return new LiveClient(uri, client);
    }

    /** Sends one message: an object, written as JSON. */
    public LiveClient send(Object message) {
        socket.sendText(ApiClient.json(message), true).join();
        return this;
    }

    /** Sends text as it is (for malformed messages). */
    public LiveClient sendRaw(String text) {
        socket.sendText(text, true).join();
        return this;
    }

    /** The next message, waiting at most {@code within}; fails the test when none comes. */
    public Message next(Duration within) {
        try {
            Message message = messages.poll(within.toMillis(), TimeUnit.MILLISECONDS);
            if (message == null) {
                throw new AssertionError("no message from the gateway within " + within);
            }
            return message;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The next message, within 5 s. */
    public Message next() {
        return next(Duration.ofSeconds(5));
    }

    /** How the gateway closed the socket, waiting at most {@code within}. */
    public Closed closed(Duration within) {
        try {
            return closed.get(within.toMillis(), TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            throw new AssertionError("the gateway did not close the socket within " + within + ": " + e, e);
        }
    }

    public boolean isClosed() {
        return closed.isDone();
    }

    /** Drops the connection without a close handshake, as a softphone that lost its network. */
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
