package dev.seatgate.loadtest;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help.Visibility;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The load test's command line (picocli): a scenario and its options, each with its default shown by
 * {@code --help}. A bad command line names the option and exits 2; a gateway that cannot be reached, stops
 * answering or refuses the set-up exits 3 with one line; a broken invariant exits 1.
 */
@Command(name = "seatgate-loadtest", mixinStandardHelpOptions = true, versionProvider = LoadTestCommand.Version.class,
        showDefaultValues = true, sortOptions = false, usageHelpWidth = 110,
        customSynopsis = "java -jar loadtest/target/seatgate-loadtest.jar SCENARIO [OPTIONS]",
        description = {"Drives a running gateway through its HTTP API and live sockets and checks the invariants from"
            + " outside.", "",
            "Scenarios:"}, // each scenario's lines are added from ScenarioName
        optionListHeading = "%nOptions:%n",
        footer = {"", "Exit status: 0 every invariant held, 1 one broke, 2 bad command line, 3 the gateway could not"
                + " be reached, stopped answering or refused the set-up, 70 a bug in the load test."})
final class LoadTestCommand implements Callable<Integer> {

    static final int EXIT_INVARIANT_BROKEN = 1;
    static final int EXIT_USAGE = 2;
    static final int EXIT_GATEWAY = 3;
    /** A failure of the load test itself (sysexits' EX_SOFTWARE): printed with its stack trace. */
    static final int EXIT_BUG = 70;

    /** --agents when not given. */
    static final int DEFAULT_AGENTS = 100;
    /** --agents of shift-change when not given: a contact center's shift, and as many waiting to take over. */
    static final int SHIFT_CHANGE_AGENTS = 500;
    /** --duration when not given. */
    static final Duration DEFAULT_DURATION = Duration.ofSeconds(10);
    /** --duration of shift-change when not given: the period the holders' logouts are spread over. */
    static final Duration SHIFT_CHANGE_DURATION = Duration.ofMinutes(1);

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "SCENARIO", converter = ScenarioConverter.class, hidden = true)
    ScenarioName scenario;

    @Option(names = "--agent-url", paramLabel = "URL", description = "agent API")
    URI agentUrl = URI.create("http://127.0.0.1:8080");

    @Option(names = "--admin-url", paramLabel = "URL", description = "admin API")
    URI adminUrl = URI.create("http://127.0.0.1:8081");

    @Option(names = "--other-agent-url", paramLabel = "URL", showDefaultValue = Visibility.NEVER,
            description = "live: the agent API of a second gateway, where the takeovers log in; shift-change: a"
                    + " second gateway, each hand-over crosses between the two (default: --agent-url)")
    URI otherAgentUrl;

    @Option(names = "--admin-token", paramLabel = "TOKEN", showDefaultValue = Visibility.NEVER,
            description = "admin token (default: $SEATGATE_ADMIN_TOKEN)")
    String adminToken = System.getenv().getOrDefault("SEATGATE_ADMIN_TOKEN", "");

    @Option(names = "--tenant", paramLabel = "ID", showDefaultValue = Visibility.NEVER,
            description = "tenant to use (default: loadtest; first-logins, shift-change: a new one every run)")
    String tenant;

    @Option(names = "--agents", paramLabel = "N", showDefaultValue = Visibility.NEVER,
            description = "agents (default: 100; shift-change: 500 holding the seats, and as many more in line)")
    Integer agents;

    @Option(names = "--seats", paramLabel = "N", showDefaultValue = Visibility.NEVER,
            description = "outbound seats bought at set-up (default: --agents; shift-change: always --agents)")
    Integer seats;

    @Option(names = "--connections", paramLabel = "N", description = "connections to the agent API, one request in"
            + " flight each")
    int connections = 64;

    @Option(names = "--rate", paramLabel = "R", description = "requests per second, open model; 0 keeps every"
            + " connection busy")
    double rate;

    @Option(names = "--duration", paramLabel = "D", converter = IsoDuration.class, showDefaultValue = Visibility.NEVER,
            description = "ISO-8601 duration of the measured run (default: PT10S; shift-change: the period the holders'"
                    + " logouts are spread over, PT1M)")
    Duration duration;

    @Option(names = "--warmup", paramLabel = "D", converter = IsoDuration.class, description = "logins, cycles:"
            + " unmeasured load before the run, for the JIT and the connections; first-logins: how long the idle"
            + " figures are measured")
    Duration warmup = Duration.ofSeconds(3);

    @Option(names = "--heartbeat", paramLabel = "D", converter = IsoDuration.class,
            description = "steady: heartbeat interval; live: the interval of --churn and --vanish")
    Duration heartbeat = Duration.ofSeconds(10);

    @Option(names = "--churn", paramLabel = "F", description = "steady: share of agents logging out and in each"
            + " interval; live: share taken over by an HTTP login on --other-agent-url each interval")
    double churn = 0.05;

    @Option(names = "--vanish", paramLabel = "F", description = "steady, live: share vanishing without logging out"
            + " each interval")
    double vanish = 0.01;

    @Option(names = "--reconnect-grace", paramLabel = "D", converter = IsoDuration.class,
            description = "live: the gateway's SEATGATE_RECONNECT_GRACE: a dropped socket's seat must stay held that"
                    + " long")
    Duration reconnectGrace = Duration.ofSeconds(15);

    @Option(names = "--purchase", paramLabel = "N", description = "steady: seats bought half-way through the run")
    int purchase;

    @Option(names = "--license-type", paramLabel = "TYPE", description = "license type to log in with")
    String licenseType = "outbound";

    @Option(names = "--json", paramLabel = "FILE", description = "also write the results as JSON to FILE")
    Path json;

    @Option(names = "--no-setup", description = "skip creating tenant, seats and agents")
    boolean noSetup;

    @Option(names = "--warm", description = "storm: every agent logs in (and out) once before, unmeasured, so the"
            + " gateway's credential cache is warm: the storm then measures the seat path")
    boolean warm;

    @Option(names = "--keep-sessions", description = "storm: leave the admitted logged in (they lapse after a"
            + " lease TTL)")
    boolean keepSessions;

    @Option(names = "--wrong-password", description = "logins: every login has a wrong password (each costs a full"
            + " hash; 401, or 503 overloaded once checks would wait longer than the gateway's SEATGATE_HASH_QUEUE_WAIT,"
            + " are the expected answers)")
    boolean wrongPassword;

    /** The exit status of a whole run: the command line, the run, what went wrong. */
    static int execute(String... args) {
        return execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, with the usage, version and error lines written to {@code out} and {@code err}. */
    static int execute(PrintWriter out, PrintWriter err, String... args) {
        var commandLine = new CommandLine(new LoadTestCommand()).setOut(out).setErr(err);
        var usage = commandLine.getCommandSpec().usageMessage();
        var description = new ArrayList<>(List.of(usage.description()));
        for (ScenarioName name : ScenarioName.values()) {
            description.addAll(name.helpLines());
        }
        usage.description(description.toArray(String[]::new));
        return commandLine
                .setParameterExceptionHandler((failure, ignored) -> {
                    failure.getCommandLine().getErr().println("loadtest: " + failure.getMessage() + " (see --help)");
                    return EXIT_USAGE;
                })
                .setExecutionExceptionHandler((failure, line, ignored) -> {
                    LoadTestFailure outside = LoadTestFailure.of(failure);
                    if (outside == null) {
                        failure.printStackTrace(line.getErr()); // a bug in the load test: the trace is what we want
                        return EXIT_BUG;
                    }
                    line.getErr().println("loadtest: " + outside.getMessage());
                    return EXIT_GATEWAY;
                })
                .execute(args);
    }

    /** The options of a command line, without running it (the smoke test's way in). */
    static Options parse(List<String> args) {
        var command = new LoadTestCommand();
        new CommandLine(command).parseArgs(args.toArray(String[]::new));
        return command.options();
    }

    @Override
    public Integer call() throws Exception {
        Map<String, Object> results = LoadTest.run(options());
        return Boolean.TRUE.equals(((Map<?, ?>) results.get("invariants")).get("ok")) ? 0 : EXIT_INVARIANT_BROKEN;
    }

    private Options options() {
        boolean shiftChange = scenario == ScenarioName.SHIFT_CHANGE;
        int agentCount = agents != null ? agents : shiftChange ? SHIFT_CHANGE_AGENTS : DEFAULT_AGENTS;
        Duration period = duration != null ? duration : shiftChange ? SHIFT_CHANGE_DURATION : DEFAULT_DURATION;
        atLeast("--agents", agentCount, 1);
        atLeast("--connections", connections, 1);
        atLeast("--purchase", purchase, 0);
        if (seats != null) {
            atLeast("--seats", seats, 0);
            if (shiftChange) {
                throw usage("shift-change: the tenant owns exactly --agents seats; --seats does not apply");
            }
        }
        share("--churn", churn);
        share("--vanish", vanish);
        if (rate < 0) {
            throw usage("--rate must not be negative, not " + rate);
        }
        for (var option : Map.of("--duration", period, "--warmup", warmup, "--heartbeat", heartbeat,
                "--reconnect-grace", reconnectGrace).entrySet()) {
            if (option.getValue().isNegative() || option.getKey().equals("--heartbeat") && option.getValue().isZero()) {
                throw usage(option.getKey() + " must be positive, not " + option.getValue());
            }
        }
        if (adminToken.isEmpty() && !noSetup) {
            throw usage("--admin-token (or SEATGATE_ADMIN_TOKEN) is needed to set up; --no-setup skips the set-up");
        }
        long now = System.currentTimeMillis() / 1000;
        String tenantId = tenant != null ? tenant : scenario == ScenarioName.FIRST_LOGINS ? "loadtest-first-" + now
                : shiftChange ? "loadtest-shift-" + now : "loadtest";
        // shift-change: agents a1..aN hold the N seats and a(N+1)..a2N wait in line, so 2N agents are set up
        return new Options(scenario, agentUrl, adminUrl, adminToken, tenantId,
                shiftChange ? 2 * agentCount : agentCount, seats == null ? agentCount : seats,
                connections, rate, period, warmup, heartbeat, churn, vanish, purchase, licenseType, json, !noSetup,
                warm, keepSessions, wrongPassword, otherAgentUrl == null ? agentUrl : otherAgentUrl, reconnectGrace);
    }

    private void atLeast(String option, int value, int least) {
        if (value < least) {
            throw usage(option + " must be at least " + least + ", not " + value);
        }
    }

    private void share(String option, double value) {
        if (value < 0 || value > 1) {
            throw usage(option + " is a share between 0 and 1, not " + value);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec == null ? new CommandLine(this) : spec.commandLine(), message);
    }

    /** A scenario name, checked as it is read. */
    static final class ScenarioConverter implements ITypeConverter<ScenarioName> {
        @Override
        public ScenarioName convert(String value) {
            try {
                return ScenarioName.of(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** ISO-8601 durations, with an error that shows one. */
    static final class IsoDuration implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            try {
                return Duration.parse(value);
            } catch (DateTimeParseException e) {
                throw new TypeConversionException("'" + value + "' is not an ISO-8601 duration such as PT10S or PT2M");
            }
        }
    }

    /** The version in the jar's manifest (the build writes it). */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = LoadTestCommand.class.getPackage().getImplementationVersion();
            return new String[] {"seatgate-loadtest " + (version == null ? "(not built as a jar)" : version)};
        }
    }
}
