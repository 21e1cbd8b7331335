package dev.seatgate.loadtest;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Exact percentiles of a few thousand spans at most (nearest rank, in milliseconds), for figures that
 * {@link Stats}' table does not show (p95) or that may be negative: a hand-over's answer can reach its waiter
 * before the logout that freed the seat hears its own answer.
 */
final class Percentiles {

    private Percentiles() {
    }

    /**
     * {@code <name>P50Ms}, {@code <name>P95Ms}... for each of {@code percentiles}, and {@code <name>MaxMs}, of spans in
     * nanoseconds; no entries when there are no spans.
     */
    static Map<String, Object> of(String name, Collection<Long> nanos, int... percentiles) {
        var figures = new LinkedHashMap<String, Object>();
        if (nanos.isEmpty()) {
            return figures;
        }
        long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
        for (int percentile : percentiles) {
            figures.put(name + "P" + percentile + "Ms", millis(nearestRank(sorted, percentile)));
        }
        figures.put(name + "MaxMs", millis(sorted[sorted.length - 1]));
        return figures;
    }

    /** The smallest value with at least {@code percentile}% of the values at or below it. */
    static long nearestRank(long[] sorted, double percentile) {
        if (sorted.length == 0) {
            throw new IllegalArgumentException("no values");
        }
        int rank = (int) Math.ceil(percentile / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length, rank) - 1)];
    }

    private static double millis(long nanos) {
        return Math.round(nanos / 1_000.0) / 1_000.0;
    }
}
