package dev.seatgate.loadtest;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * seatgate's load generator: {@code java -jar loadtest/target/seatgate-loadtest.jar SCENARIO [options]}
 * ({@code --help} lists them, {@link LoadTestCommand} reads them). Prints progress every second, then a summary
 * table; {@code --json FILE} writes the same as JSON.
 */
public final class LoadTest {

    private LoadTest() {
    }

    public static void main(String[] args) {
        System.exit(LoadTestCommand.execute(args));
    }

    /** Runs the scenario, prints the summary, writes the JSON file if asked; returns the results. */
    public static Map<String, Object> run(Options options) throws Exception {
        try (var target = new Target(options)) {
            target.checkReachable();
            if (options.setup()) {
                System.err.printf("setting up tenant %s: %d seats, %d agents%n", options.tenant(), options.seats(),
                        options.agents());
                target.setUp();
            }
            Scenario scenario = options.scenario().create(options);
            if (scenario == null) {
                return Map.of("invariants", Map.of("ok", true));
            }
            scenario.prepare(target, options);
            var stats = new Stats();
            ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "loadtest-progress");
                thread.setDaemon(true);
                return thread;
            });
            long start = System.nanoTime();
            long[] last = {0};
            progress.scheduleAtFixedRate(() -> {
                long done = stats.completed();
                System.err.printf("  %5.1fs  %,10d answered  %,8d/s  %,6d waiting  %d without answer%s%n",
                        (System.nanoTime() - start) / 1e9, done, done - last[0], target.queued(), stats.failures(),
                        scenario.progress());
                last[0] = done;
            }, 1, 1, TimeUnit.SECONDS);
            Map<String, Object> invariants = scenario.run(target, options, stats);
            boolean warmedUp = scenario instanceof Throughput;
            double seconds = warmedUp ? options.duration().toNanos() / 1e9 : (System.nanoTime() - start) / 1e9;
            progress.shutdownNow();

            var results = new LinkedHashMap<String, Object>();
            results.put("scenario", options.scenario().toString());
            results.put("connections", options.connections());
            results.put("rate", options.rate());
            results.put("agents", options.agents());
            results.put("seats", options.seats());
            results.put("seconds", Math.round(seconds * 1000) / 1000.0);
            results.put("requests", stats.summary(seconds));
            results.put("statuses", stats.statuses());
            results.put("invariants", invariants);
            print(results);
            if (options.json() != null) {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(options.json().toFile(), results);
            }
            return results;
        }
    }

    @SuppressWarnings("unchecked")
    private static void print(Map<String, Object> results) {
        System.out.printf("%nscenario %s, %s s, %s connections%n", results.get("scenario"), results.get("seconds"),
                results.get("connections"));
        System.out.printf("%-10s %10s %10s %9s %9s %9s %9s %9s%n", "request", "count", "per s", "p50 ms", "p90 ms",
                "p99 ms", "p99.9 ms", "max ms");
        ((Map<String, Map<String, Object>>) results.get("requests")).forEach((kind, row) -> System.out.printf(
                "%-10s %10s %10s %9s %9s %9s %9s %9s%n", kind, row.get("count"), row.get("perSecond"), row.get("p50Ms"),
                row.get("p90Ms"), row.get("p99Ms"), row.get("p999Ms"), row.get("maxMs")));
        System.out.println("statuses   " + results.get("statuses"));
        System.out.println("invariants " + results.get("invariants"));
    }
}
