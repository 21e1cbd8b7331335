package dev.seatgate.loadtest;

import java.util.Map;

/** One way of loading the gateway. Runs until done and returns the invariant checks it made. */
interface Scenario {

    /** Unmeasured work before the run (the clock and the statistics start after it). */
    default void prepare(Target target, Options options) {
    }

    /** What the progress line shows besides the request counts (sockets held, say); empty by default. */
    default String progress() {
        return "";
    }

    /** @return name → value of each check (numbers and booleans), with "ok" false when an invariant broke */
    Map<String, Object> run(Target target, Options options, Stats stats) throws Exception;
}
