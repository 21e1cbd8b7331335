package dev.seatgate.config;

import java.time.Duration;

/**
 * How passwords are hashed, and how much hashing a gateway takes on at once.
 *
 * @param memoryKib    Argon2id memory per hash, in KiB
 * @param passes       Argon2id passes over that memory
 * @param threads      hashing threads; each keeps one core busy while logins wait for it
 * @param maxQueueWait the longest a login may wait for a hashing thread; beyond it, 503 overloaded at once
 */
public record HashingConfig(int memoryKib, int passes, int threads, Duration maxQueueWait) {

    /** OWASP's Argon2id recommendation (2023): 19 MiB, 2 passes, 1 lane. */
    public static final int DEFAULT_MEMORY_KIB = 19 * 1024;
    /** OWASP's Argon2id recommendation (2023). */
    public static final int DEFAULT_PASSES = 2;
    /** A login storm waits at most this long for its password to be checked; the rest is told when to retry. */
    public static final Duration DEFAULT_MAX_QUEUE_WAIT = Duration.ofSeconds(5);

    /**
     * Hashing threads: half the cores (at least one). Hashing is pure CPU; with every core hashing, a flood of
     * first logins would starve the event loops and the Redis client, and cached logins and heartbeats would
     * time out with it (seen on 2 cores with PBKDF2: 62% of them got 503).
     */
    public static int defaultThreads() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    }
}
