package dev.seatgate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An observer independent of the clients: reads the tenant's seats (GET .../licenses) every {@link #EVERY} and
 * counts the samples in which in-use exceeded active, which must never happen, whatever the clients believe.
 */
final class SeatSampler implements AutoCloseable {

    /** How often the seats are read. */
    static final Duration EVERY = Duration.ofMillis(200);

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "loadtest-seat-sampler");
        thread.setDaemon(true);
        return thread;
    });
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong overActive = new AtomicLong();
    private final AtomicLong maxInUse = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    SeatSampler(Target target) {
        timer.scheduleWithFixedDelay(() -> {
            try {
                JsonNode seats = target.seats();
                int inUse = seats.get("inUse").asInt();
                maxInUse.accumulateAndGet(inUse, Math::max);
                if (inUse > seats.get("active").asInt()) {
                    overActive.incrementAndGet();
                }
                samples.incrementAndGet();
            } catch (RuntimeException e) {
                failed.incrementAndGet(); // an admin call that failed is no sample; a run with none fails below
            }
        }, 0, EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    long samples() {
        return samples.get();
    }

    long overActive() {
        return overActive.get();
    }

    long maxInUse() {
        return maxInUse.get();
    }

    long failed() {
        return failed.get();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
