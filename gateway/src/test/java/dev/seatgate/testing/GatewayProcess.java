package dev.seatgate.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A gateway as its own process ({@code dev.seatgate.Main}), the way operators run it, output to a file. */
public final class GatewayProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final int agentPort;
    private final int adminPort;

    private GatewayProcess(Process process, Path output, int agentPort, int adminPort) {
        this.process = process;
        this.output = output;
        this.agentPort = agentPort;
        this.adminPort = adminPort;
    }

    /** Starts one on {@code redis} with these environment settings and waits until /readyz answers 200. */
    public static GatewayProcess start(RedisServer redis, Path output, String... settings) throws IOException {
        int agentPort = RedisServer.freePort();
        int adminPort = RedisServer.freePort();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // The production logging configuration, not the tests' (logback-test.xml is on the test classpath).
        var builder = new ProcessBuilder(List.of(java, "-Dlogback.configurationFile=logback.xml",
                "-cp", System.getProperty("java.class.path"), "dev.seatgate.Main"));
        Map<String, String> env = new HashMap<>(Map.of(
                "SEATGATE_REDIS_URI", redis.uri(),
                "SEATGATE_AGENT_PORT", Integer.toString(agentPort),
                "SEATGATE_ADMIN_PORT", Integer.toString(adminPort),
                "SEATGATE_ADMIN_TOKEN", SeatgateExtension.ADMIN_TOKEN,
                "SEATGATE_PASSWORD_MEMORY_KIB", "64",
                "SEATGATE_PASSWORD_PASSES", "1"));
        for (int i = 0; i < settings.length; i += 2) {
            env.put(settings[i], settings[i + 1]);
        }
        builder.environment().putAll(env);
        var gateway = new GatewayProcess(builder.redirectErrorStream(true).redirectOutput(output.toFile()).start(),
                output, agentPort, adminPort);
        gateway.awaitReady();
        return gateway;
    }

    public int agentPort() {
        return agentPort;
    }

    public int adminPort() {
        return adminPort;
    }

    public Process process() {
        return process;
    }

    /** Everything the process printed so far. */
    public List<String> output() throws IOException {
        return Files.readAllLines(output);
    }

    private void awaitReady() throws IOException {
        var client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                var response = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agentPort + "/readyz"))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("the gateway process did not become ready:\n" + String.join("\n", output()));
    }

    /** SIGKILL: a crash, with no chance to end sessions or drain. */
    public void kill() {
        process.destroyForcibly();
    }

    @Override
    public void close() {
        kill();
    }
}
