package dev.seatgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.ParameterException;

/** The load test's command line as a newcomer meets it: errors that name the option, exit statuses, defaults. */
class LoadTestCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return LoadTestCommand.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void noArgumentsIsABadCommandLineThatAsksForTheScenario() {
        assertThat(run()).isEqualTo(2);
        assertThat(err.toString()).startsWith("loadtest: Missing required parameter: 'SCENARIO'").contains("--help");
    }

    @Test
    void aBadValueNamesItsOption() {
        assertThat(run("storm", "--agents", "many", "--admin-token", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("'--agents'").contains("'many'");

        err.getBuffer().setLength(0);
        assertThat(run("storm", "--duration", "2s", "--admin-token", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("'--duration'").contains("not an ISO-8601 duration such as PT10S");

        err.getBuffer().setLength(0);
        assertThat(run("storm", "--agents", "0", "--admin-token", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("--agents must be at least 1, not 0");

        err.getBuffer().setLength(0);
        assertThat(run("steady", "--churn", "5", "--admin-token", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("--churn is a share between 0 and 1, not 5.0");
    }

    @Test
    void anUnknownScenarioOrOptionIsNamed() {
        assertThat(run("strom", "--admin-token", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("unknown scenario 'strom' (one of setup, logins, cycles, storm");

        err.getBuffer().setLength(0);
        assertThat(run("storm", "--agent", "5", "--admin-token", "t")).isEqualTo(2);
        assertThat(err.toString()).contains("Unknown option").contains("'--agent'");
    }

    @Test
    void setUpWithoutAnAdminTokenSaysWhereToGetOne() {
        assertThat(LoadTestCommand.parse(List.of("storm", "--no-setup")).setup()).isFalse();
        assertThatThrownBy(() -> LoadTestCommand.parse(List.of("storm", "--admin-token", "")).setup())
                .isInstanceOf(ParameterException.class).hasMessageContaining("SEATGATE_ADMIN_TOKEN");
    }

    @Test
    void anUnreachableGatewayIsOneLineAndExitStatusThree() throws IOException {
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort(); // closed again: nothing listens there
        }

        int status = run("logins", "--admin-token", "t", "--agent-url", "http://127.0.0.1:" + port,
                "--admin-url", "http://127.0.0.1:" + port, "--duration", "PT1S");

        assertThat(status).isEqualTo(3);
        assertThat(err.toString().strip()).startsWith("loadtest: cannot reach the gateway at http://127.0.0.1:" + port)
                .endsWith("is it running? (--agent-url)").doesNotContain("\tat ").hasLineCount(1);
    }

    /** A gateway that fails mid-set-up (here: every agent creation answered 500) ends the run, it does not hang it. */
    @Test
    void aSetUpTheGatewayRefusesIsOneLineAndExitStatusThree() throws IOException {
        HttpServer gateway = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        gateway.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            int status = path.equals("/healthz") || method.equals("PUT") ? 200
                    : path.endsWith("/purchases") ? 201
                    : method.equals("GET") ? 200
                    : 500;
            byte[] body = (method.equals("GET") && path.endsWith("/agents") ? "{\"agents\":[]}"
                    : status == 500 ? "{\"error\":{\"code\":\"INTERNAL\"}}" : "{}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        gateway.start();
        String url = "http://127.0.0.1:" + gateway.getAddress().getPort();
        try {
            int status = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> run("setup", "--admin-token", "t",
                    "--agents", "40", "--agent-url", url, "--admin-url", url)); // a guard against the hang, not a speed test

            assertThat(status).isEqualTo(3);
            assertThat(err.toString().strip()).startsWith("loadtest: set-up failed: creating agents failed: 500")
                    .hasLineCount(1);
        } finally {
            gateway.stop(0);
        }
    }

    @Test
    void aGatewayThatStopsAnsweringIsTheGatewaysFailureAndAnythingElseIsABug() {
        var lost = new CompletionException(new IOException("connection closed"));

        assertThat(LoadTestFailure.of(lost)).hasMessage("the gateway stopped answering: java.io.IOException: connection"
                + " closed");
        assertThat(LoadTestFailure.of(new CompletionException(new TimeoutException("no answer")))).isNotNull();
        assertThat(LoadTestFailure.of(new IllegalStateException("a bug"))).isNull();
    }

    @Test
    void helpShowsEveryScenarioAndTheDefaults() {
        assertThat(run("--help")).isZero();

        assertThat(out.toString()).contains("Scenarios:", "  first-logins  agents a1..a20", "  setup         create", "  live          agents log in over live sockets",
                "  sockets       agents log in over live sockets and hold them",
                "Default: 64", "Default: PT10S", "Default: http://127.0.0.1:8080", "Exit status");
        out.getBuffer().setLength(0);
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("seatgate-loadtest ");
    }

    @Test
    void defaultsFollowTheScenario() {
        Options storm = LoadTestCommand.parse(List.of("storm", "--admin-token", "t", "--agents", "40"));
        Options first = LoadTestCommand.parse(List.of("first-logins", "--admin-token", "t"));

        assertThat(storm.seats()).isEqualTo(40);
        assertThat(storm.tenant()).isEqualTo("loadtest");
        assertThat(storm.duration()).isEqualTo(Duration.ofSeconds(10));
        assertThat(first.tenant()).startsWith("loadtest-first-");
        assertThat(storm.otherAgentUrl()).isEqualTo(storm.agentUrl());
        assertThat(storm.reconnectGrace()).isEqualTo(Duration.ofSeconds(15));
        assertThat(storm.agents()).isEqualTo(40);
    }

    /** N hold the N seats and N more wait in line: 2N agents are set up, for exactly N seats. */
    @Test
    void aShiftChangeSetsUpTwiceTheAgentsForTheSeatsOnAFreshTenant() {
        Options defaults = LoadTestCommand.parse(List.of("shift-change", "--admin-token", "t"));
        Options small = LoadTestCommand.parse(List.of("shift-change", "--admin-token", "t", "--agents", "20",
                "--duration", "PT5S"));

        assertThat(defaults.agents()).isEqualTo(1000);
        assertThat(defaults.seats()).isEqualTo(500);
        assertThat(defaults.duration()).isEqualTo(Duration.ofMinutes(1));
        assertThat(defaults.tenant()).startsWith("loadtest-shift-");
        assertThat(small.agents()).isEqualTo(40);
        assertThat(small.seats()).isEqualTo(20);
        assertThat(small.duration()).isEqualTo(Duration.ofSeconds(5));

        assertThat(run("shift-change", "--admin-token", "t", "--seats", "10")).isEqualTo(2);
        assertThat(err.toString()).contains("--seats does not apply");
    }
}
