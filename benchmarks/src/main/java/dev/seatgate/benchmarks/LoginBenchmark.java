package dev.seatgate.benchmarks;

import dev.seatgate.Gateway;
import dev.seatgate.benchmarks.state.LocalRedis;
import dev.seatgate.config.ConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * HTTP logins per second through a real gateway on a real Redis, with the credential cache on (every login
 * after the first is a cache hit: an HMAC instead of Argon2id) and off (every login pays the full hash). Each
 * benchmark thread is one agent logging in again and again (a takeover of its own seat), the way a softphone
 * does after it lost its lease.
 *
 * <pre>
 * ./mvnw -B -q -DskipTests package
 * java -jar benchmarks/target/seatgate-benchmarks.jar LoginBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(1)
@Threads(16)
public class LoginBenchmark {

    private static final String ADMIN_TOKEN = "benchmark-admin-token-0123";
    private static final String TENANT = "bench";
    private static final int AGENTS = 16;

    /** 100000: the default credential cache; 0: no cache, every login hashes. */
    @Param({"100000", "0"})
    int credentialCacheSize;

    private LocalRedis redis;
    private Gateway gateway;
    private HttpClient http;
    private String loginUrl;

    /** Gives each benchmark thread its own agent. */
    @State(Scope.Thread)
    public static class Agent {
        private static final AtomicInteger NEXT = new AtomicInteger();
        String body;

        @Setup(Level.Trial)
        public void pick() {
            int id = NEXT.getAndIncrement() % AGENTS + 1;
            body = "{\"tenant\": \"" + TENANT + "\", \"agentId\": \"a" + id + "\", \"password\": \"password-a" + id
                    + "\", \"licenseType\": \"outbound\"}";
        }
    }

    @Setup(Level.Trial)
    public void start() throws Exception {
        redis = LocalRedis.start();
        gateway = Gateway.start(ConfigLoader.load(List.of(), Map.of(
                "SEATGATE_REDIS_URI", redis.uri(),
                "SEATGATE_AGENT_PORT", "0",
                "SEATGATE_ADMIN_PORT", "0",
                "SEATGATE_ADMIN_TOKEN", ADMIN_TOKEN,
                "SEATGATE_ACTIVATION_DELAY", "PT0S",
                "SEATGATE_CREDENTIAL_CACHE_SIZE", Integer.toString(credentialCacheSize))));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        String admin = "http://127.0.0.1:" + gateway.adminPort() + "/v1/tenants/" + TENANT;
        send(admin, "PUT", "{\"name\": \"Benchmark\"}", null);
        send(admin + "/licenses/outbound/purchases", "POST", "{\"count\": " + AGENTS + "}", "seats");
        for (int i = 1; i <= AGENTS; i++) {
            send(admin + "/agents", "POST", "{\"agentId\": \"a" + i + "\", \"name\": \"Agent " + i
                    + "\", \"password\": \"password-a" + i + "\"}", null);
        }
        loginUrl = "http://127.0.0.1:" + gateway.agentPort() + "/v1/login";
    }

    @TearDown(Level.Trial)
    public void stop() {
        gateway.close();
        redis.close();
    }

    @Benchmark
    public int login(Agent agent) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(loginUrl))
                .POST(HttpRequest.BodyPublishers.ofString(agent.body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("login answered " + response.statusCode() + ": " + response.body());
        }
        return response.statusCode();
    }

    private void send(String url, String method, String body, String idempotencyKey) throws Exception {
        var request = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + ADMIN_TOKEN)
                .method(method, HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + url + " answered " + response.statusCode() + ": "
                    + response.body());
        }
    }
}
