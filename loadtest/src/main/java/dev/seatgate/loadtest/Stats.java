package dev.seatgate.loadtest;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Latencies (HdrHistogram, microseconds, from the moment a request was meant to be sent, so a queue in front
 * of a busy gateway shows as latency instead of hiding as fewer requests) and status counts, per request
 * kind (login, heartbeat, logout, ...).
 */
final class Stats {

    private static final long MAX_MICROS = 60_000_000;

    private final Map<String, Recorder> recorders = new ConcurrentHashMap<>();
    private final Map<String, Histogram> totals = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> statuses = new ConcurrentHashMap<>();
    private final LongAdder completed = new LongAdder();
    private final LongAdder failures = new LongAdder();

    /** Requests meant to start before this (System.nanoTime) are warm-up: answered, not recorded. */
    private volatile long measureFrom;
    private volatile boolean warmingUp;

    void measureFrom(long nanos) {
        measureFrom = nanos;
        warmingUp = true;
    }

    void record(String kind, long intendedNanos, int status) {
        if (warmingUp && intendedNanos - measureFrom < 0) {
            return;
        }
        long micros = Math.max(1, (System.nanoTime() - intendedNanos) / 1000);
        recorders.computeIfAbsent(kind, k -> new Recorder(MAX_MICROS, 3)).recordValue(Math.min(micros, MAX_MICROS));
        statuses.computeIfAbsent(kind + " " + status, k -> new LongAdder()).increment();
        completed.increment();
    }

    /**
     * Something that is not a request (a push, a seat freed), from {@code fromNanos} to {@code toNanos}
     * (System.nanoTime): its latency is recorded under {@code kind}, without a status.
     */
    void span(String kind, long fromNanos, long toNanos) {
        long micros = Math.max(1, (toNanos - fromNanos) / 1000);
        recorders.computeIfAbsent(kind, k -> new Recorder(MAX_MICROS, 3)).recordValue(Math.min(micros, MAX_MICROS));
        completed.increment();
    }

    /** A request that got no HTTP answer at all (connection refused or reset). */
    void failure(String kind) {
        statuses.computeIfAbsent(kind + " no-response", k -> new LongAdder()).increment();
        failures.increment();
    }

    long completed() {
        return completed.sum();
    }

    long failures() {
        return failures.sum();
    }

    /** Folds what was recorded since the last call into the totals (call from one thread). */
    synchronized void collect() {
        recorders.forEach((kind, recorder) -> totals.computeIfAbsent(kind, k -> new Histogram(MAX_MICROS, 3))
                .add(recorder.getIntervalHistogram()));
    }

    /** Per kind: count, rate over {@code seconds}, and latency percentiles in milliseconds. */
    synchronized Map<String, Map<String, Object>> summary(double seconds) {
        collect();
        var summary = new TreeMap<String, Map<String, Object>>();
        totals.forEach((kind, histogram) -> {
            var row = new LinkedHashMap<String, Object>();
            row.put("count", histogram.getTotalCount());
            row.put("perSecond", round(histogram.getTotalCount() / seconds));
            row.put("p50Ms", millis(histogram.getValueAtPercentile(50)));
            row.put("p90Ms", millis(histogram.getValueAtPercentile(90)));
            row.put("p99Ms", millis(histogram.getValueAtPercentile(99)));
            row.put("p999Ms", millis(histogram.getValueAtPercentile(99.9)));
            row.put("maxMs", millis(histogram.getMaxValue()));
            summary.put(kind, row);
        });
        return summary;
    }

    Map<String, Long> statuses() {
        var counts = new TreeMap<String, Long>();
        statuses.forEach((key, adder) -> counts.put(key, adder.sum()));
        return counts;
    }

    private static double millis(long micros) {
        return round(micros / 1000.0);
    }

    private static double round(double value) {
        return Math.round(value * 1000) / 1000.0;
    }
}
