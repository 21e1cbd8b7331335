package dev.seatgate.loadtest;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * At most {@code limit} tasks in flight, the rest queued in order, without a thread waiting: the live scenarios'
 * {@code --connections} bound on logins in flight (a socket's login is answered on an event loop, where nothing
 * may block).
 */
final class InFlightLimit {

    private final int limit;
    private final Queue<Supplier<? extends CompletionStage<?>>> waiting = new ArrayDeque<>();
    private int running;

    InFlightLimit(int limit) {
        this.limit = limit;
    }

    /** Starts the task now if there is room, else when an earlier one is done (however it ends). */
    void submit(Supplier<? extends CompletionStage<?>> task) {
        synchronized (this) {
            if (running >= limit) {
                waiting.add(task);
                return;
            }
            running++;
        }
        start(task);
    }

    /** Tasks queued, not started yet. */
    synchronized int queued() {
        return waiting.size();
    }

    private void start(Supplier<? extends CompletionStage<?>> task) {
        CompletionStage<?> done;
        try {
            done = task.get();
        } catch (RuntimeException e) {
            finished();
            throw e;
        }
        done.whenComplete((result, failure) -> finished());
    }

    private void finished() {
        Supplier<? extends CompletionStage<?>> next;
        synchronized (this) {
            next = waiting.poll();
            if (next == null) {
                running--;
                return;
            }
        }
        start(next);
    }
}
