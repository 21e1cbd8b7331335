package dev.seatgate.http;

import io.netty.channel.Channel;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/**
 * The turns of one live socket's messages: one login or attach is answered at a time. While one is, reading
 * pauses, and the messages already read meanwhile (frames decoded from bytes that had arrived) wait their turn, in
 * order, so every answer goes out in the order of the messages. Used on the socket's event loop only.
 */
final class MessageTurns {

    /** Messages that may wait for an answer; one more means a client that does not wait for answers at all. */
    static final int MAX_WAITING = 8;

    private final Channel channel;
    private final Consumer<String> handler;
    private final ArrayDeque<String> waiting = new ArrayDeque<>();
    private boolean busy;

    /** @param handler handles one message; it may {@link #pause} for a message answered later */
    MessageTurns(Channel channel, Consumer<String> handler) {
        this.channel = channel;
        this.handler = handler;
    }

    /** A message read from the socket: handled now, or queued behind the one being answered. */
    boolean offer(String message) {
        if (!busy) {
            handler.accept(message);
            return true;
        }
        if (waiting.size() == MAX_WAITING) {
            return false;
        }
        waiting.add(message);
        return true;
    }

    /** The message being handled is answered later: later ones wait, and reading pauses. */
    void pause() {
        busy = true;
        channel.config().setAutoRead(false);
    }

    /** It was answered: the waiting messages are handled in turn (until one pauses again), then reading goes on. */
    void resume() {
        busy = false;
        while (!busy && channel.isActive() && !waiting.isEmpty()) {
            handler.accept(waiting.poll());
        }
        if (!busy) {
            channel.config().setAutoRead(true);
        }
    }
}
