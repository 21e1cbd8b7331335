package dev.seatgate.loadtest;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

/** Every scenario: its name on the command line, what --help says of it, and how it is made. */
enum ScenarioName {
    SETUP("setup", options -> null,
            "create the tenant, its seats and agents a1..aN (idempotent; the others do it too",
            "unless --no-setup)"),
    LOGINS("logins", options -> new Throughput(false, options.wrongPassword()),
            "agents log in again and again (each a takeover of its own seat): login throughput"),
    CYCLES("cycles", options -> new Throughput(true, false),
            "agents log in and out again and again: login + logout throughput"),
    STORM("storm", options -> new Storm(),
            "--agents agents log in once each within --duration for --seats seats (open model):",
            "exactly --seats must be admitted, none answered 5xx (503 overloaded is retried as told)"),
    STEADY("steady", options -> new Steady(),
            "agents hold seats and heartbeat every --heartbeat; each interval some log out and in",
            "again (--churn) and some vanish without logging out (--vanish); --purchase seats are",
            "bought half-way; at the end, what the clients hold must equal in-use in Redis"),
    LIVE("live", options -> new Live(true),
            "agents log in over live sockets (GET /v1/live); each --heartbeat interval --churn of",
            "them are taken over by an HTTP login on --other-agent-url and --vanish drop their",
            "socket; every takeover must be pushed (ended, close 4410), every dropped seat held",
            "for --reconnect-grace and freed after it, in-use (sampled every 200 ms) never above",
            "active, and at the end what the clients hold must equal in-use"),
    SOCKETS("sockets", options -> new Live(false),
            "agents log in over live sockets and hold them for --duration: none may be lost"),
    FIRST_LOGINS("first-logins", options -> new FirstLogins(),
            "agents a1..a20 log in, then heartbeat and log in again (cached) at --rate per second",
            "(200), alone for --warmup (\"idle\"), then while every other agent, none of which has",
            "logged in before, logs in once, --connections at a time, so the gateway hashes",
            "passwords flat out (\"hashing\"): first logins per second and what the event loops",
            "answer meanwhile. The tenant must be new (default: loadtest-first-<time>)"),
    SHIFT_CHANGE("shift-change", options -> new ShiftChange(),
            "--agents agents (500) hold all the tenant's --agents seats while as many more log in",
            "with queue: true and long-poll their tickets; then the holders log out, spread over",
            "--duration (PT1M). Every waiter must be admitted, in the order of its place in line",
            "(the k-th seat freed to position k), and in-use (sampled every 200 ms) never above",
            "active: hand-over latency and time in line. With --other-agent-url, every hand-over",
            "crosses from one gateway to the other. The tenant must be new (default:",
            "loadtest-shift-<time>), on a gateway whose activation delay is PT0S");

    private final String label;
    private final Function<Options, Scenario> factory;
    private final List<String> help;

    ScenarioName(String label, Function<Options, Scenario> factory, String... help) {
        this.label = label;
        this.factory = factory;
        this.help = List.of(help);
    }

    /** The name as typed; an unknown one is an error that lists them all. */
    static ScenarioName of(String label) {
        return Arrays.stream(values()).filter(name -> name.label.equals(label)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown scenario '" + label + "' (one of "
                        + Arrays.stream(values()).map(ScenarioName::toString).collect(Collectors.joining(", ")) + ")"));
    }

    /** The scenario to run, or null for set-up alone. */
    Scenario create(Options options) {
        return factory.apply(options);
    }

    /** Its lines in --help: the name, then the description aligned beside it. */
    List<String> helpLines() {
        var lines = new ArrayList<String>();
        for (int i = 0; i < help.size(); i++) {
            lines.add(String.format("  %-13s %s", i == 0 ? label : "", help.get(i)));
        }
        return lines;
    }

    @Override
    public String toString() {
        return label;
    }
}
