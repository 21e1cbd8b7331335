package dev.seatgate.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seatgate.Gateway;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Talks to one gateway over real HTTP (the JDK's client, HTTP/1.1), the way softphones and admin tools do.
 * Every call returns the status, the parsed JSON body and the headers; nothing is asserted here.
 */
public final class ApiClient {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

    private final String agentBase;
    private final String adminBase;

    public ApiClient(Gateway gateway) {
        this(gateway.agentPort(), gateway.adminPort());
    }

    public ApiClient(int agentPort, int adminPort) {
        this.agentBase = "http://127.0.0.1:" + agentPort;
        this.adminBase = "http://127.0.0.1:" + adminPort;
    }

    /** A response: status, body (a missing node when empty), headers. */
    public record Reply(int status, JsonNode json, Map<String, List<String>> headers) {

        /** The error code of an error body, or null. */
        public String errorCode() {
            return json.path("error").path("code").asText(null);
        }

        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }

        @Override
        public String toString() {
            return status + " " + json;
        }
    }

    // ---- agent API

    public Reply login(String tenant, String agentId, String password, String licenseType) {
        return join(loginAsync(tenant, agentId, password, licenseType));
    }

    public CompletableFuture<Reply> purchaseAsync(String tenant, String licenseType, int count, String idempotencyKey) {
        return sendAsync(request(adminBase + "/v1/tenants/" + tenant + "/licenses/" + licenseType + "/purchases", "POST",
                json(Map.of("count", count)), "Authorization", "Bearer " + SeatgateExtension.ADMIN_TOKEN,
                "Idempotency-Key", idempotencyKey));
    }

    public CompletableFuture<Reply> removalAsync(String tenant, String licenseType, int count, String idempotencyKey) {
        return sendAsync(request(adminBase + "/v1/tenants/" + tenant + "/licenses/" + licenseType + "/removals", "POST",
                json(Map.of("count", count)), "Authorization", "Bearer " + SeatgateExtension.ADMIN_TOKEN,
                "Idempotency-Key", idempotencyKey));
    }

    public CompletableFuture<Reply> loginAsync(String tenant, String agentId, String password, String licenseType) {
        return sendAsync(post(agentBase + "/v1/login", json(Map.of("tenant", tenant, "agentId", agentId,
                "password", password, "licenseType", licenseType))).build());
    }

    /** A login with any body (resume tokens, extra fields) and extra headers (X-Forwarded-For). */
    public Reply login(Map<String, ?> body, String... headers) {
        return join(loginAsync(body, headers));
    }

    public CompletableFuture<Reply> loginAsync(Map<String, ?> body, String... headers) {
        return sendAsync(request(agentBase + "/v1/login", "POST", json(body), headers));
    }

    public Reply heartbeat(String sessionToken) {
        return send(post(agentBase + "/v1/heartbeat", "").header("Authorization", "Bearer " + sessionToken).build());
    }

    public Reply logout(String sessionToken) {
        return send(post(agentBase + "/v1/logout", "").header("Authorization", "Bearer " + sessionToken).build());
    }

    /** A login that waits in line when no seat is free ({@code "queue": true}). */
    public CompletableFuture<Reply> queuedLoginAsync(String tenant, String agentId, String licenseType) {
        return loginAsync(Map.of("tenant", tenant, "agentId", agentId, "password", Fixtures.password(agentId),
                "licenseType", licenseType, "queue", true));
    }

    public Reply queuedLogin(String tenant, String agentId, String licenseType) {
        return join(queuedLoginAsync(tenant, agentId, licenseType));
    }

    /** {@code POST /v1/queue/wait}: 200 once a seat is handed to the ticket, else 202 after {@code seconds}. */
    public CompletableFuture<Reply> waitAsync(String ticket, int seconds) {
        return sendAsync(request(agentBase + "/v1/queue/wait", "POST", json(Map.of("waitSeconds", seconds)),
                "Authorization", "Bearer " + ticket));
    }

    public Reply waitInLine(String ticket, int seconds) {
        return join(waitAsync(ticket, seconds));
    }

    /** {@code DELETE /v1/queue}. */
    public Reply leaveLine(String ticket) {
        return send(request(agentBase + "/v1/queue", "DELETE", "", "Authorization", "Bearer " + ticket));
    }

    /** Any request to the agent API, with a raw body. */
    public Reply agent(String method, String path, String body, String... headers) {
        return send(request(agentBase + path, method, body, headers));
    }

    // ---- admin API (with the test admin token unless the headers say otherwise)

    public Reply admin(String method, String path, Object body, String... headers) {
        String[] withToken = headers.length > 0 ? headers
                : new String[] {"Authorization", "Bearer " + SeatgateExtension.ADMIN_TOKEN};
        return send(request(adminBase + path, method, body == null ? "" : json(body), withToken));
    }

    /** Any request to the admin API, with a raw body and exactly these headers. */
    public Reply adminRaw(String method, String path, String body, String... headers) {
        return send(request(adminBase + path, method, body, headers));
    }

    public Reply putTenant(String tenant, String timeZone) {
        return admin("PUT", "/v1/tenants/" + tenant, Map.of("name", "Tenant " + tenant, "timeZone", timeZone));
    }

    public Reply createAgent(String tenant, String agentId, String password, List<String> licenseTypes) {
        var body = new LinkedHashMap<String, Object>();
        body.put("agentId", agentId);
        body.put("name", "Agent " + agentId);
        body.put("password", password);
        body.put("licenseTypes", licenseTypes);
        return admin("POST", "/v1/tenants/" + tenant + "/agents", body);
    }

    public Reply purchase(String tenant, String licenseType, int count, String idempotencyKey) {
        return admin("POST", "/v1/tenants/" + tenant + "/licenses/" + licenseType + "/purchases",
                Map.of("count", count), "Authorization", "Bearer " + SeatgateExtension.ADMIN_TOKEN,
                "Idempotency-Key", idempotencyKey);
    }

    /** A removal, with an Idempotency-Key when {@code idempotencyKey} is not null. */
    public Reply removal(String tenant, String licenseType, int count, String idempotencyKey) {
        String path = "/v1/tenants/" + tenant + "/licenses/" + licenseType + "/removals";
        String token = "Bearer " + SeatgateExtension.ADMIN_TOKEN;
        return idempotencyKey == null
                ? admin("POST", path, Map.of("count", count))
                : admin("POST", path, Map.of("count", count), "Authorization", token, "Idempotency-Key", idempotencyKey);
    }

    /** The tenant's billing ledger, oldest first. */
    public Reply events(String tenant) {
        return admin("GET", "/v1/tenants/" + tenant + "/billing/events?limit=1000", null);
    }

    public Reply licenses(String tenant) {
        return admin("GET", "/v1/tenants/" + tenant + "/licenses", null);
    }

    /** The Prometheus exposition of the admin port's /metrics (with these headers: a token). */
    public String metrics(String... headers) {
        try {
            var request = HttpRequest.newBuilder(URI.create(adminBase + "/metrics")).timeout(REQUEST_TIMEOUT);
            for (int i = 0; i < headers.length; i += 2) {
                request.header(headers[i], headers[i + 1]);
            }
            return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // ---- plumbing

    private static HttpRequest.Builder post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static HttpRequest request(String url, String method, String body, String... headers) {
        var builder = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT)
                .method(method, body.isEmpty() ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2) {
            builder.header(headers[i], headers[i + 1]);
        }
        return builder.build();
    }

    private static Reply send(HttpRequest request) {
        return join(sendAsync(request));
    }

    private static CompletableFuture<Reply> sendAsync(HttpRequest request) {
        return HTTP.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(response -> new Reply(
                response.statusCode(), parse(response.body()), response.headers().map()));
    }

    private static Reply join(CompletableFuture<Reply> reply) {
        return reply.join();
    }

    /** JSON text as a tree, for comparing with bodies. */
    public static JsonNode parse(String body) {
        try {
            return body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + body, e);
        }
    }

    public static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
