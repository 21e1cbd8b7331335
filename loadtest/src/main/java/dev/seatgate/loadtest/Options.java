package dev.seatgate.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The command line: a scenario and {@code --name value} options, each with a default. */
record Options(String scenario, URI agentUrl, URI adminUrl, String adminToken, String tenant, int agents, int seats,
               int connections, double rate, Duration duration, Duration warmup, Duration heartbeat, double churn, double vanish,
               int purchase, String licenseType, Path json, boolean setup, boolean warm,
               boolean keepSessions, boolean wrongPassword) {

    static final Set<String> SCENARIOS = Set.of("setup", "logins", "cycles", "storm", "steady", "first-logins");

    static final String USAGE = """
            usage: java -jar loadtest/target/seatgate-loadtest.jar SCENARIO [options]

            Drives a running gateway through its HTTP API and checks the invariants from outside.

            scenarios
              setup    create the tenant, its seats and agents a1..aN (idempotent; the others do it too unless --no-setup)
              logins   agents log in again and again (each a takeover of its own seat): login throughput
              cycles   agents log in and out again and again: login + logout throughput
              storm    --agents agents log in once each within --duration for --seats seats (open model):
                       exactly --seats must be admitted, none answered 5xx
              steady   agents hold seats and heartbeat every --heartbeat; each interval some log out and in
                       again (--churn) and some vanish without logging out (--vanish); --purchase seats are
                       bought half-way; at the end, what the clients hold must equal in-use in Redis
              first-logins
                       agents a1..a20 log in, then heartbeat and log in again (cached) at --rate per
                       second (200), alone for --warmup ("idle"), then while every other agent, none of
                       which has logged in before, logs in once, --connections at a time, so the gateway
                       hashes passwords flat out ("hashing"; 503 overloaded is retried as told): first
                       logins per second (firstLoginsPerSecond: over their own time; the table's per-s
                       column is over the whole run), and what the event loops answer meanwhile. The
                       tenant must be new (default: loadtest-first-<time>)

            options (default)
              --agent-url URL        agent API (http://127.0.0.1:8080)
              --admin-url URL        admin API (http://127.0.0.1:8081)
              --admin-token TOKEN    admin token (SEATGATE_ADMIN_TOKEN)
              --tenant ID            tenant to use (loadtest; first-logins: a new one every run)
              --agents N             agents (100)
              --seats N              outbound seats bought at setup (--agents)
              --connections N        connections to the agent API, one request in flight each (64)
              --rate R               requests per second, open model; 0 keeps every connection busy (0)
              --duration D           ISO-8601 duration of the measured run (PT10S)
              --warmup D             logins, cycles: unmeasured load before it, for the JIT and the
                                     connections; first-logins: how long the idle figures are
                                     measured (PT3S)
              --heartbeat D          steady: heartbeat interval (PT10S)
              --churn F              steady: share of agents logging out and in each interval (0.05)
              --vanish F             steady: share vanishing without logging out each interval (0.01)
              --purchase N           steady: seats bought half-way through the run (0)
              --license-type TYPE    license type to log in with (outbound)
              --json FILE            also write the results as JSON to FILE
              --no-setup             skip creating tenant, seats and agents
              --warm                 storm: every agent logs in (and out) once before, unmeasured, so the
                                     gateway's credential cache is warm: the storm then measures the seat path
              --keep-sessions        storm: leave the admitted logged in (they lapse after a lease TTL)
              --wrong-password       logins: every login has a wrong password (each costs a full hash; 401
                                     or, once the hashing pool is full, 503 are the expected answers)
            """;

    static Options parse(List<String> args) {
        if (args.isEmpty() || !SCENARIOS.contains(args.get(0))) {
            throw new IllegalArgumentException(args.isEmpty() ? "missing scenario" : "unknown scenario " + args.get(0));
        }
        Map<String, String> values = new HashMap<>();
        boolean setup = true;
        boolean warm = false;
        boolean keepSessions = false;
        boolean wrongPassword = false;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--no-setup")) {
                setup = false;
            } else if (arg.equals("--warm")) {
                warm = true;
            } else if (arg.equals("--keep-sessions")) {
                keepSessions = true;
            } else if (arg.equals("--wrong-password")) {
                wrongPassword = true;
            } else if (arg.startsWith("--") && i + 1 < args.size()) {
                values.put(arg.substring(2), args.get(++i));
            } else {
                throw new IllegalArgumentException("unexpected argument " + arg);
            }
        }
        int agents = Integer.parseInt(values.getOrDefault("agents", "100"));
        String token = values.getOrDefault("admin-token", System.getenv().getOrDefault("SEATGATE_ADMIN_TOKEN", ""));
        var options = new Options(args.get(0),
                URI.create(values.getOrDefault("agent-url", "http://127.0.0.1:8080")),
                URI.create(values.getOrDefault("admin-url", "http://127.0.0.1:8081")),
                token,
                values.getOrDefault("tenant", args.get(0).equals("first-logins")
                        ? "loadtest-first-" + System.currentTimeMillis() / 1000 : "loadtest"),
                agents,
                Integer.parseInt(values.getOrDefault("seats", Integer.toString(agents))),
                Integer.parseInt(values.getOrDefault("connections", "64")),
                Double.parseDouble(values.getOrDefault("rate", "0")),
                Duration.parse(values.getOrDefault("duration", "PT10S")),
                Duration.parse(values.getOrDefault("warmup", "PT3S")),
                Duration.parse(values.getOrDefault("heartbeat", "PT10S")),
                Double.parseDouble(values.getOrDefault("churn", "0.05")),
                Double.parseDouble(values.getOrDefault("vanish", "0.01")),
                Integer.parseInt(values.getOrDefault("purchase", "0")),
                values.getOrDefault("license-type", "outbound"),
                values.containsKey("json") ? Path.of(values.get("json")) : null,
                setup, warm, keepSessions, wrongPassword);
        Set<String> known = Set.of("agent-url", "admin-url", "admin-token", "tenant", "agents", "seats", "connections",
                "rate", "duration", "warmup", "heartbeat", "churn", "vanish", "purchase", "license-type", "json");
        values.keySet().stream().filter(key -> !known.contains(key)).findFirst().ifPresent(key -> {
            throw new IllegalArgumentException("unknown option --" + key);
        });
        if (token.isEmpty() && setup) {
            throw new IllegalArgumentException("--admin-token (or SEATGATE_ADMIN_TOKEN) is needed to set up");
        }
        return options;
    }
}
