package dev.seatgate.agents;

import dev.seatgate.config.HashingConfig;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes password hashes ({@link PasswordHash}) on threads of its own, never on an event loop
 * (invariant 7), taking the checks in the fair, time-bounded order of a {@link HashingQueue}: a check that
 * would wait longer than the configured bound fails at once with {@link HashingOverloadedException}, which
 * says when to try again.
 *
 * <p>Checks wait in lanes by client address (logins), or in the admin lane (new passwords set through the
 * admin API). Re-hashing a legacy password is background work, done when nothing else waits.
 */
public final class PasswordHasher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PasswordHasher.class);
    /** The lane of passwords hashed for the admin API. */
    private static final Object ADMIN_LANE = new Object();
    /** Hashes computed at start before the cost is measured: the first pays for class loading and the JIT. */
    private static final int WARM_UP_HASHES = 3;

    private final HashingConfig config;
    private final HashingQueue<Check<?>> queue;
    private final Thread[] threads;
    /** A hash of a random password, checked when the agent does not exist, so that it takes as long. */
    private final String decoy;

    /** One hash to compute and the future that waits for it. */
    private record Check<T>(Supplier<T> work, CompletableFuture<T> result) {
        void run() {
            try {
                result.complete(work.get());
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        }
    }

    public PasswordHasher(HashingConfig config) {
        this.config = config;
        byte[] randomPassword = new byte[18];
        new SecureRandom().nextBytes(randomPassword);
        String password = Base64.getEncoder().encodeToString(randomPassword);
        for (int i = 0; i < WARM_UP_HASHES; i++) {
            PasswordHash.argon2id(password, config);
        }
        long cost = Long.MAX_VALUE;
        String hash = null;
        for (int i = 0; i < 2; i++) { // the faster of two: a slow neighbour at start should not halve capacity
            long started = System.nanoTime();
            hash = PasswordHash.argon2id(password, config);
            cost = Math.min(cost, System.nanoTime() - started);
        }
        this.decoy = hash;
        this.queue = new HashingQueue<>(config.threads(), config.maxQueueWait(), cost, System::nanoTime);
        this.threads = new Thread[config.threads()];
        for (int i = 0; i < threads.length; i++) {
            threads[i] = new Thread(this::work, "seatgate-hashing-" + (i + 1));
            threads[i].setDaemon(true);
            threads[i].start();
        }
        log.info("password hashing: Argon2id m={} KiB t={} p=1, {} ms a hash, {} thread(s), queue bounded at {}",
                config.memoryKib(), config.passes(), Duration.ofNanos(cost).toMillis(), config.threads(),
                config.maxQueueWait());
    }

    /** Hashes a new password (set through the admin API) in the admin lane. */
    public CompletionStage<String> hash(String password) {
        return submit(ADMIN_LANE, () -> PasswordHash.argon2id(password, config));
    }

    /**
     * Checks a password against {@code encoded}, in the lane of {@code client}; against the decoy when there is
     * no hash to check (an unknown agent), so that both take as long. False for anything not a known form.
     * Fails with {@link HashingOverloadedException} when the check would wait too long.
     */
    public CompletionStage<Boolean> verify(String password, String encoded, Object client) {
        return submit(client, () -> {
            if (encoded == null) {
                PasswordHash.matches(password, decoy);
                return false;
            }
            return PasswordHash.matches(password, encoded);
        });
    }

    /** Whether {@code encoded} is a hash of today's kind and cost; if not, it is worth {@link #rehash}ing. */
    public boolean isCurrent(String encoded) {
        return PasswordHash.isCurrent(encoded, config);
    }

    /**
     * Hashes a password anew as background work, when no check waits; empty at once when the background
     * queue is full (the next login tries again).
     */
    public CompletionStage<String> rehash(String password) {
        var check = new Check<>(() -> PasswordHash.argon2id(password, config), new CompletableFuture<>());
        if (!queue.offerBackground(check)) {
            return CompletableFuture.failedFuture(new RejectedExecutionException("background hashing is full"));
        }
        return check.result();
    }

    /** Checks waiting for a thread now. */
    public int queued() {
        return queue.queued();
    }

    /** Threads computing a hash now (a check or background work). */
    public int busy() {
        return queue.busy();
    }

    private <T> CompletionStage<T> submit(Object lane, Supplier<T> work) {
        var check = new Check<>(work, new CompletableFuture<>());
        if (queue.offer(lane, check) instanceof HashingQueue.Offer.Refused refused) {
            return CompletableFuture.failedFuture(new HashingOverloadedException(refused.retryAfter()));
        }
        return check.result();
    }

    private void work() {
        try {
            Check<?> check;
            while ((check = queue.take()) != null) {
                long started = System.nanoTime();
                check.run();
                queue.finished(System.nanoTime() - started);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        for (Check<?> dropped : queue.close()) {
            dropped.result().completeExceptionally(new RejectedExecutionException("the gateway is shutting down"));
        }
        for (Thread thread : threads) {
            thread.interrupt();
        }
    }
}
