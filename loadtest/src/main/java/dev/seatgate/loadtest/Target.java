package dev.seatgate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seatgate.loadtest.HttpLoadClient.Response;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.stream.IntStream;

/** The gateway under test, spoken to as softphones and an admin would: one client per listener. */
final class Target implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Agents created at once during set-up: each costs the gateway a password hash. */
    private static final int CREATIONS_IN_FLIGHT = 8;

    private final Options options;
    private final HttpLoadClient agents;
    private final HttpLoadClient admin;
    private final Map<String, String> adminAuth;
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
        Thread thread = new Thread(runnable, "loadtest-retries");
        thread.setDaemon(true);
        return thread;
    });

    Target(Options options) {
        this(options, options.connections());
    }

    /** A target whose agent requests use {@code agentConnections} connections of their own. */
    Target(Options options, int agentConnections) {
        this(options, options.agentUrl(), agentConnections);
    }

    /** A target whose agent requests go to {@code agentUrl} (another gateway of the same Redis, say). */
    Target(Options options, URI agentUrl, int agentConnections) {
        this.options = options;
        this.agents = new HttpLoadClient(agentUrl, agentConnections, 1);
        this.admin = new HttpLoadClient(options.adminUrl(), 16, 1);
        this.adminAuth = Map.of("Authorization", "Bearer " + options.adminToken());
    }

    static String agentId(int index) {
        return "a" + index;
    }

    static String password(int index) {
        return "loadtest-password-" + index;
    }

    CompletableFuture<Response> login(int agent) {
        return agents.send(HttpMethod.POST, "/v1/login", "{" + loginFields(agent) + "}", Map.of());
    }

    /** The fields of a login (POST /v1/login, or a live socket's login message), without the braces. */
    String loginFields(int agent) {
        return "\"tenant\":\"" + options.tenant() + "\",\"agentId\":\"" + agentId(agent) + "\",\"password\":\""
                + (options.wrongPassword() ? "wrong" : "") + password(agent) + "\",\"licenseType\":\""
                + options.licenseType() + "\"";
    }

    /**
     * A login that, answered 503 overloaded (its password could not be checked in time), waits as its
     * Retry-After says and tries again, as a softphone should; {@code retried} counts the retries.
     */
    CompletableFuture<Response> loginHonouringRetryAfter(int agent, LongAdder retried) {
        return honouringRetryAfter(() -> login(agent), retried);
    }

    private CompletableFuture<Response> honouringRetryAfter(Supplier<CompletableFuture<Response>> call,
                                                            LongAdder retried) {
        return call.get().thenCompose(response -> {
            if (!response.overloaded()) {
                return CompletableFuture.completedFuture(response);
            }
            retried.increment();
            var again = new CompletableFuture<Response>();
            retries.schedule(() -> honouringRetryAfter(call, retried).whenComplete((next, failure) -> {
                if (failure != null) {
                    again.completeExceptionally(failure);
                } else {
                    again.complete(next);
                }
            }), Math.max(1, response.retryAfterSeconds()), TimeUnit.SECONDS);
            return again;
        });
    }

    /** A login that waits in line when no seat is free ({@code queue: true}), honouring Retry-After as a login does. */
    CompletableFuture<Response> loginInLine(int agent, LongAdder retried) {
        return honouringRetryAfter(() -> agents.send(HttpMethod.POST, "/v1/login", "{" + loginFields(agent)
                + ",\"queue\":true}", Map.of()), retried);
    }

    /** A long poll on a ticket: 200 with the login answer once a seat is handed to it, else 202 after the wait. */
    CompletableFuture<Response> awaitSeat(String ticket, int waitSeconds) {
        return agents.send(HttpMethod.POST, "/v1/queue/wait", "{\"waitSeconds\":" + waitSeconds + "}",
                Map.of("Authorization", "Bearer " + ticket));
    }

    CompletableFuture<Response> heartbeat(String token) {
        return agents.send(HttpMethod.POST, "/v1/heartbeat", "", Map.of("Authorization", "Bearer " + token));
    }

    CompletableFuture<Response> logout(String token) {
        return agents.send(HttpMethod.POST, "/v1/logout", "", Map.of("Authorization", "Bearer " + token));
    }

    int queued() {
        return agents.queued();
    }

    /**
     * Fails with one line naming the URL and its option when the gateway does not answer /healthz on the agent
     * port or the admin port (every scenario reads what Redis holds through it), before anything is measured.
     */
    void checkReachable() {
        check(agents, options.agentUrl(), "--agent-url");
        check(admin, options.adminUrl(), "--admin-url");
    }

    private static void check(HttpLoadClient client, URI url, String option) {
        try {
            Response response = client.send(HttpMethod.GET, "/healthz", null, Map.of()).join();
            if (response.status() != 200) {
                throw new LoadTestFailure(url + "/healthz answered " + response.status() + ": is that a seatgate"
                        + " gateway? (" + option + ")");
            }
        } catch (CompletionException e) {
            throw new LoadTestFailure("cannot reach the gateway at " + url + " (" + e.getCause().getMessage()
                    + "); is it running? (" + option + ")");
        }
    }

    /**
     * Creates the tenant, buys the seats (once: idempotency key) and creates the agents a1..aN that are missing,
     * a few at a time (each costs the gateway a password hash), showing its progress every second.
     */
    void setUp() throws InterruptedException {
        String tenant = "/v1/tenants/" + options.tenant();
        expect(admin.send(HttpMethod.PUT, tenant, "{\"name\":\"load test\"}", adminAuth), 200, 201);
        expect(admin.send(HttpMethod.POST, tenant + "/licenses/" + options.licenseType() + "/purchases",
                "{\"count\":" + options.seats() + "}",
                Map.of("Authorization", "Bearer " + options.adminToken(),
                        "Idempotency-Key", "loadtest-" + options.licenseType() + "-" + options.seats())), 200, 201);
        Set<String> existing = existingAgents(tenant);
        var missing = IntStream.rangeClosed(1, options.agents()).filter(i -> !existing.contains(agentId(i)))
                .boxed().toList();
        if (missing.isEmpty()) {
            return;
        }
        var created = new LongAdder();
        var overloaded = new LongAdder();
        var inFlight = new Semaphore(CREATIONS_IN_FLIGHT);
        var failure = new AtomicReference<Throwable>();
        long started = System.nanoTime();
        var progress = retries.scheduleAtFixedRate(() -> System.err.printf("  %5.1fs  %,d of %,d agents created%n",
                (System.nanoTime() - started) / 1e9, created.sum(), missing.size()), 1, 1, TimeUnit.SECONDS);
        for (int i : missing) {
            inFlight.acquire();
            if (failure.get() != null) {
                inFlight.release(); // the wait for the creations in flight below needs every permit back
                break;
            }
            String body = "{\"agentId\":\"" + agentId(i) + "\",\"name\":\"Load " + i + "\",\"password\":\""
                    + password(i) + "\"}";
            honouringRetryAfter(() -> admin.send(HttpMethod.POST, tenant + "/agents", body, adminAuth), overloaded)
                    .whenComplete((response, error) -> {
                        if (error != null || response.status() != 201 && response.status() != 409) {
                            failure.compareAndSet(null, error != null ? error : new IllegalStateException(
                                    "creating agents failed: " + response.status() + " " + response.body()));
                        } else {
                            created.increment();
                        }
                        inFlight.release();
                    });
        }
        inFlight.acquire(CREATIONS_IN_FLIGHT);
        progress.cancel(false);
        if (failure.get() != null) {
            throw new LoadTestFailure("set-up failed: " + failure.get().getMessage());
        }
        System.err.printf("  created %,d agents in %.1f s%n", missing.size(), (System.nanoTime() - started) / 1e9);
    }

    /** The ids of the tenant's agents that exist already, read a page at a time. */
    private Set<String> existingAgents(String tenant) {
        var ids = new HashSet<String>();
        String cursor = null;
        do {
            Response response = admin.send(HttpMethod.GET, tenant + "/agents?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor), null, adminAuth).join();
            if (response.status() != 200) {
                throw new LoadTestFailure("set-up failed: listing agents answered " + response.status() + " "
                        + response.body());
            }
            JsonNode page = parse(response.body());
            page.path("agents").forEach(agent -> ids.add(agent.path("agentId").asText()));
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return ids;
    }

    CompletableFuture<Response> purchase(int count, String key) {
        return admin.send(HttpMethod.POST, "/v1/tenants/" + options.tenant() + "/licenses/" + options.licenseType()
                + "/purchases", "{\"count\":" + count + "}",
                Map.of("Authorization", "Bearer " + options.adminToken(), "Idempotency-Key", key));
    }

    /** The gateway's count of password checks that computed the hash (its /metrics on the admin port). */
    double passwordsHashed() {
        Response response = admin.send(HttpMethod.GET, "/metrics", null, adminAuth).join(); // also when it needs a token
        String series = "seatgate_credential_checks_total{result=\"hashed\"} ";
        int at = response.body().indexOf(series);
        if (at < 0) {
            throw new IllegalStateException("the gateway's /metrics has no " + series.trim());
        }
        int end = response.body().indexOf('\n', at);
        return Double.parseDouble(response.body().substring(at + series.length(), end).trim());
    }

    /** {@code licenses.<type>} of GET .../licenses: active, inUse, pending... */
    JsonNode seats() {
        Response response = admin.send(HttpMethod.GET, "/v1/tenants/" + options.tenant() + "/licenses", null, adminAuth)
                .join();
        return parse(response.body()).at("/licenses/" + options.licenseType());
    }

    /** The ids of the tenant's sessions that hold a seat now (GET .../sessions, every page). */
    Set<String> liveSessionIds() {
        var ids = new HashSet<String>();
        String cursor = null;
        do {
            Response response = admin.send(HttpMethod.GET, "/v1/tenants/" + options.tenant() + "/sessions?limit=1000"
                    + (cursor == null ? "" : "&cursor=" + cursor), null, adminAuth).join();
            if (response.status() != 200) {
                throw new LoadTestFailure("listing sessions answered " + response.status() + " " + response.body());
            }
            JsonNode page = parse(response.body());
            page.path("sessions").forEach(session -> ids.add(session.path("sessionId").asText()));
            cursor = page.path("nextCursor").isTextual() ? page.path("nextCursor").asText() : null;
        } while (cursor != null);
        return ids;
    }

    /** The sessionToken of a 200 login answer, read without building a JSON tree (the hot path). */
    static String sessionToken(String loginAnswer) {
        String field = "\"sessionToken\":\"";
        int start = loginAnswer.indexOf(field);
        if (start < 0) {
            throw new IllegalStateException("no sessionToken in " + loginAnswer);
        }
        start += field.length();
        return loginAnswer.substring(start, loginAnswer.indexOf('"', start));
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void expect(CompletableFuture<Response> call, int... statuses) {
        Response response = call.join();
        for (int status : statuses) {
            if (response.status() == status) {
                return;
            }
        }
        throw new LoadTestFailure("set-up failed: " + response.status() + " " + response.body());
    }

    @Override
    public void close() {
        retries.shutdownNow();
        agents.close();
        admin.close();
    }
}
