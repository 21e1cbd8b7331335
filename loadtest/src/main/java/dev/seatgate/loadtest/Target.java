package dev.seatgate.loadtest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.seatgate.loadtest.HttpLoadClient.Response;
import io.netty.handler.codec.http.HttpMethod;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** The gateway under test, spoken to as softphones and an admin would: one client per listener. */
final class Target implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Options options;
    private final HttpLoadClient agents;
    private final HttpLoadClient admin;
    private final Map<String, String> adminAuth;

    Target(Options options) {
        this.options = options;
        this.agents = new HttpLoadClient(options.agentUrl(), options.connections(), 1);
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
        return agents.send(HttpMethod.POST, "/v1/login", "{\"tenant\":\"" + options.tenant() + "\",\"agentId\":\""
                + agentId(agent) + "\",\"password\":\"" + (options.wrongPassword() ? "wrong" : "") + password(agent)
                + "\",\"licenseType\":\""
                + options.licenseType() + "\"}", Map.of());
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

    /** Creates the tenant, buys the seats (once: idempotency key) and creates the agents that are missing. */
    void setUp() {
        String tenant = "/v1/tenants/" + options.tenant();
        expect(admin.send(HttpMethod.PUT, tenant, "{\"name\":\"load test\"}", adminAuth), 200, 201);
        expect(admin.send(HttpMethod.POST, tenant + "/licenses/" + options.licenseType() + "/purchases",
                "{\"count\":" + options.seats() + "}",
                Map.of("Authorization", "Bearer " + options.adminToken(),
                        "Idempotency-Key", "loadtest-" + options.licenseType() + "-" + options.seats())), 200, 201);
        var creations = new ArrayList<CompletableFuture<Response>>();
        for (int i = 1; i <= options.agents(); i++) {
            creations.add(admin.send(HttpMethod.POST, tenant + "/agents", "{\"agentId\":\"" + agentId(i)
                    + "\",\"name\":\"Load " + i + "\",\"password\":\"" + password(i) + "\"}", adminAuth));
        }
        creations.forEach(creation -> expect(creation, 201, 409));
    }

    CompletableFuture<Response> purchase(int count, String key) {
        return admin.send(HttpMethod.POST, "/v1/tenants/" + options.tenant() + "/licenses/" + options.licenseType()
                + "/purchases", "{\"count\":" + count + "}",
                Map.of("Authorization", "Bearer " + options.adminToken(), "Idempotency-Key", key));
    }

    /** {@code licenses.<type>} of GET .../licenses: active, inUse, pending... */
    JsonNode seats() {
        Response response = admin.send(HttpMethod.GET, "/v1/tenants/" + options.tenant() + "/licenses", null, adminAuth)
                .join();
        return parse(response.body()).at("/licenses/" + options.licenseType());
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
        throw new IllegalStateException("setup failed: " + response.status() + " " + response.body());
    }

    @Override
    public void close() {
        agents.close();
        admin.close();
    }
}
