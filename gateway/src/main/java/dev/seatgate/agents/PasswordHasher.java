package dev.seatgate.agents;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Salted, slow password hashes: PBKDF2-HMAC-SHA256 from the JDK, stored with their parameters as
 * {@code pbkdf2-sha256$<iterations>$<salt>$<hash>} (base64), so the iteration count can be raised later
 * without breaking existing passwords. Comparison is constant-time.
 *
 * <p>One hash at the default 600,000 iterations (OWASP's 2023 figure) costs about 0.2 s of one core on our
 * 2-core machine ({@code PasswordHashBenchmark}: 160 to 240 ms across runs). That is the point, an offline
 * guess costs as much, and it is why hashing runs on a pool
 * of its own, never on an event loop (invariant 7). The pool's queue is bounded by time: it holds what the
 * threads can hash in {@link #MAX_QUEUE_WAIT} (measured at start), so a login storm queues for at most that
 * long and requests beyond it fail at once with {@link RejectedExecutionException} (answered 503 with
 * Retry-After) instead of waiting in an ever longer line.
 */
public final class PasswordHasher implements AutoCloseable {

    private static final String ALGORITHM = "PBKDF2WithHmacSHA256";
    private static final String SCHEME = "pbkdf2-sha256";
    private static final int SALT_BYTES = 16;
    private static final int HASH_BITS = 256;
    /** The longest a password check waits for a hashing thread before the login is answered 503. */
    static final Duration MAX_QUEUE_WAIT = Duration.ofSeconds(5);
    private static final int MIN_QUEUE_PER_THREAD = 4;
    private static final int MAX_QUEUE_PER_THREAD = 100_000;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final int iterations;
    private final ThreadPoolExecutor pool;
    /** A hash of a random password, checked when the agent does not exist, so that it takes as long. */
    private final String decoy;

    public PasswordHasher(int iterations, int threads) {
        this.iterations = iterations;
        byte[] randomPassword = new byte[18];
        RANDOM.nextBytes(randomPassword);
        hashNow("warm-up " + iterations); // the first hash pays for class loading and the interpreter
        long started = System.nanoTime();
        this.decoy = hashNow(Base64.getEncoder().encodeToString(randomPassword));
        long nanosPerHash = Math.max(1, System.nanoTime() - started);
        long queuePerThread = Math.max(MIN_QUEUE_PER_THREAD,
                Math.min(MAX_QUEUE_PER_THREAD, MAX_QUEUE_WAIT.toNanos() / nanosPerHash));
        var counter = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>((int) (threads * queuePerThread)),
                task -> {
                    Thread thread = new Thread(task, "seatgate-hashing-" + counter.incrementAndGet());
                    thread.setDaemon(true);
                    return thread;
                },
                new ThreadPoolExecutor.AbortPolicy());
    }

    /** Hashes a new password on the pool. */
    public CompletionStage<String> hash(String password) {
        return submit(() -> hashNow(password));
    }

    /**
     * Checks a password on the pool against {@code encoded}, or against the decoy when there is no hash to
     * check (an unknown agent), so that both take as long. False for anything not made by {@link #hash}.
     */
    public CompletionStage<Boolean> verify(String password, String encoded) {
        return submit(() -> {
            if (encoded == null) {
                verifyNow(password, decoy);
                return false;
            }
            return verifyNow(password, encoded);
        });
    }

    String hashNow(String password) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        Base64.Encoder base64 = Base64.getEncoder().withoutPadding();
        return SCHEME + "$" + iterations + "$" + base64.encodeToString(salt) + "$"
                + base64.encodeToString(derive(password, salt, iterations));
    }

    boolean verifyNow(String password, String encoded) {
        String[] parts = encoded.split("\\$");
        if (parts.length != 4 || !parts[0].equals(SCHEME)) {
            return false;
        }
        Base64.Decoder base64 = Base64.getDecoder();
        byte[] expected = base64.decode(parts[3]);
        byte[] actual = derive(password, base64.decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual);
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        var spec = new PBEKeySpec(password.toCharArray(), salt, iterations, HASH_BITS);
        try {
            return SecretKeyFactory.getInstance(ALGORITHM).generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + ALGORITHM, e);
        } finally {
            spec.clearPassword();
        }
    }

    private <T> CompletionStage<T> submit(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, pool);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
