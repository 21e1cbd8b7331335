package dev.seatgate.agents;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The password checks waiting for a hashing thread: fair between clients, and bounded by time.
 *
 * <p><b>Fair.</b> Checks wait in lanes, one per client address, and the threads take one check from each lane
 * in turn (round robin). A lane that had nothing waiting goes first with its check (as fq_codel serves new
 * flows first): a softphone logging in once is served before the backlog of a lane that sends many. A flood
 * of guesses from one address fills its own lane; every other address still gets its check taken next, so
 * the flood costs it at most the hash in progress.
 *
 * <p><b>Bounded by time.</b> A check is queued only if it would start within {@code maxWait}, estimated from
 * what is ahead of it in the order checks are served (the new lanes' checks; for a lane with a backlog, its own
 * checks and up to as many plus one of every other lane's; and a hash on every thread) and from the moving
 * average of how long a hash takes. Otherwise it is refused at once with the time
 * after which it would be taken: when its lane's backlog will have drained enough, spaced by its lane's share
 * of the threads for every check of the lane already refused (and, since clients come back in whole seconds,
 * never more in one second than the queue holds). A client that comes back when told therefore finds room,
 * and a storm's refused logins come back spread out rather than all at once.
 *
 * <p><b>Background</b> work (re-hashing a legacy password after a successful login) runs only when no lane
 * has a check waiting, and is dropped rather than queued beyond a small bound.
 *
 * <p>Thread-safe: every method holds this object's lock; hashing threads block in {@link #take()}. The clock
 * is injected, so tests drive the estimates without threads or sleeps.
 *
 * @param <T> a check, as the caller keeps it (its work and its future)
 */
final class HashingQueue<T> {

    /** How fast the moving average follows new measurements: each new hash counts for this much. */
    private static final double AVERAGING = 0.2;
    /** Background work kept waiting at most. */
    private static final int MAX_BACKGROUND = 100;
    /** The granularity of Retry-After. */
    private static final long SECOND = Duration.ofSeconds(1).toNanos();
    /** Lanes with nothing queued are kept (for their promised retry times) until there are this many. */
    private static final int MAX_IDLE_LANES = 10_000;

    /** What {@link #offer} did with a check. */
    sealed interface Offer {
        /** Queued: a thread will take it. */
        record Queued() implements Offer {
        }

        /** Refused: it would have waited too long; try again after {@code retryAfter}. */
        record Refused(Duration retryAfter) implements Offer {
        }
    }

    private static final class Lane<T> {
        final ArrayDeque<T> checks = new ArrayDeque<>();
        /** Waiting in {@link #fresh} for its first turn. */
        boolean isFresh;
        /** Whether a check of this lane was refused, and the latest retry time it was told (nanoClock). */
        boolean promised;
        long promisedAt;
    }

    private final int threads;
    private final long maxWaitNanos;
    private final LongSupplier nanoClock;
    private final Map<Object, Lane<T>> lanes = new HashMap<>();
    /** Lanes that had nothing waiting when their check came: each is served once before any in {@link #turns}. */
    private final ArrayDeque<Lane<T>> fresh = new ArrayDeque<>();
    /** Lanes with a backlog, in the order they get their next turn. */
    private final ArrayDeque<Lane<T>> turns = new ArrayDeque<>();
    private final ArrayDeque<T> background = new ArrayDeque<>();
    private int queued;
    /** Checks and background work taken by a thread and not {@link #finished} yet: the threads busy hashing. */
    private int busy;
    private double nanosPerHash;
    private boolean closed;

    /** @param nanosPerHash the first estimate of one hash, measured by the caller before any check comes */
    HashingQueue(int threads, Duration maxWait, long nanosPerHash, LongSupplier nanoClock) {
        this.threads = threads;
        this.maxWaitNanos = maxWait.toNanos();
        this.nanosPerHash = nanosPerHash;
        this.nanoClock = nanoClock;
    }

    /** Queues a check in {@code lane} (the client's address), or refuses it with when to try again. */
    synchronized Offer offer(Object laneKey, T check) {
        if (closed) {
            return new Offer.Refused(Duration.ofSeconds(1));
        }
        Lane<T> lane = lanes.get(laneKey);
        int own = lane == null ? 0 : lane.checks.size();
        // Checks ahead in the order they are served, and a hash on every thread: what the threads do under
        // load, so that an estimate made while they idle is not one check more generous than the next.
        long ahead = threads + fresh.size() - (lane != null && lane.isFresh ? 1 : 0);
        if (own > 0) {
            ahead += own;
            for (Lane<T> other : turns) {
                if (other != lane) {
                    ahead += Math.min(other.checks.size(), own + 1);
                }
            }
        }
        long wait = (long) (ahead * nanosPerHash / threads);
        if (lane == null) {
            forgetIdleLanes();
            lane = new Lane<>();
            lanes.put(laneKey, lane);
        }
        if (wait <= maxWaitNanos) {
            lane.checks.add(check);
            if (own == 0) {
                lane.isFresh = true;
                fresh.add(lane);
            }
            queued++;
            notify();
            return new Offer.Queued();
        }
        long now = nanoClock.getAsLong();
        int sharing = fresh.size() + turns.size() + (own == 0 ? 1 : 0);
        // Clients come back in whole seconds (Retry-After), so those told the same second arrive together: when
        // the bound is under a second, space the promises so that a second's worth fits in the queue.
        long share = (long) (nanosPerHash * sharing / threads * Math.max(1.0, (double) SECOND / maxWaitNanos));
        long drained = now + wait - maxWaitNanos;
        long retryAt = (lane.promised && lane.promisedAt - drained > 0 ? lane.promisedAt : drained) + share;
        lane.promised = true;
        lane.promisedAt = retryAt;
        return new Offer.Refused(Duration.ofNanos(retryAt - now));
    }

    /** Queues background work if there is room; false when it was dropped. */
    synchronized boolean offerBackground(T work) {
        if (closed || background.size() >= MAX_BACKGROUND) {
            return false;
        }
        background.add(work);
        notify();
        return true;
    }

    /** The next check: a new lane's, else the next turn's (background work when none waits); null when none. */
    synchronized T poll() {
        Lane<T> lane = fresh.isEmpty() ? turns.poll() : fresh.poll();
        T next;
        if (lane != null) {
            lane.isFresh = false;
            next = lane.checks.poll();
            queued--;
            if (!lane.checks.isEmpty()) {
                turns.add(lane);
            }
        } else {
            next = background.poll();
        }
        if (next != null) {
            busy++;
        }
        return next;
    }

    /** Blocks until there is work, as {@link #poll()} picks it; null once closed. */
    synchronized T take() throws InterruptedException {
        T next;
        while ((next = poll()) == null) {
            if (closed) {
                return null;
            }
            wait();
        }
        return next;
    }

    /** A thread finished a hash that took {@code nanos}: the estimate follows, and the thread is free again. */
    synchronized void finished(long nanos) {
        nanosPerHash += AVERAGING * (nanos - nanosPerHash);
        busy--;
    }

    /** Checks queued now, background work not included. */
    synchronized int queued() {
        return queued;
    }

    /** Threads hashing now: work taken by {@link #poll()} (or {@link #take()}) and not finished yet. */
    synchronized int busy() {
        return busy;
    }

    /** The current estimate of one hash. */
    synchronized Duration hashTime() {
        return Duration.ofNanos((long) nanosPerHash);
    }

    /** Refuses everything from now on and hands back what was still waiting, for its callers to be told. */
    synchronized List<T> close() {
        closed = true;
        var dropped = new ArrayList<T>(background);
        for (Lane<T> lane : lanes.values()) {
            dropped.addAll(lane.checks);
        }
        fresh.clear();
        turns.clear();
        lanes.clear();
        background.clear();
        queued = 0;
        notifyAll();
        return dropped;
    }

    private void forgetIdleLanes() {
        if (lanes.size() < MAX_IDLE_LANES) {
            return;
        }
        long now = nanoClock.getAsLong();
        lanes.values().removeIf(lane -> lane.checks.isEmpty() && (!lane.promised || lane.promisedAt - now < 0));
    }
}
