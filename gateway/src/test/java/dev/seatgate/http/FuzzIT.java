package dev.seatgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.SeatgateExtension;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Random JSON at every endpoint, from a seeded generator (set {@code -Dseatgate.fuzz.seed=N} to try other
 * inputs; a failure names the seed, the request and the answer). Bodies are random values, valid bodies
 * with one field replaced, or broken JSON. Every answer must be a documented status with the JSON error
 * body; never a 500, never a connection left hanging (each request has a timeout), and the gateway serves
 * normally afterwards.
 */
class FuzzIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static final long SEED = Long.getLong("seatgate.fuzz.seed", 20261127L);
    private static final int BODIES_PER_ENDPOINT = 150;
    private static final Set<Integer> DOCUMENTED = Set.of(200, 201, 204, 400, 401, 403, 404, 405, 409, 410, 413,
            422, 429);

    private record Endpoint(boolean admin, String method, String path, Map<String, Object> validBody) {
    }

    @Test
    void randomBodiesAtEveryEndpointGetDocumentedAnswers() {
        Gateway gateway = seatgate.startGateway();
        var api = new ApiClient(gateway);
        String tenant = Fixtures.tenant(api, 3, 2, 3);
        String session = Fixtures.sessionToken(api.login(tenant, "a1", Fixtures.password("a1"), "outbound"));
        String agents = "/v1/tenants/" + tenant + "/agents";
        List<Endpoint> endpoints = List.of(
                new Endpoint(false, "POST", "/v1/login", Map.of("tenant", tenant, "agentId", "a2",
                        "password", Fixtures.password("a2"), "licenseType", "closer", "deviceId", "d1")),
                new Endpoint(false, "POST", "/v1/heartbeat", Map.of()),
                new Endpoint(false, "POST", "/v1/logout", Map.of()),
                new Endpoint(true, "PUT", "/v1/tenants/" + tenant, Map.of("name", "Fuzz", "timeZone", "Europe/Paris")),
                new Endpoint(true, "POST", agents, Map.of("agentId", "f1", "name", "F", "password", "password-f1",
                        "licenseTypes", List.of("closer"), "attributes", Map.of("group", "g"))),
                new Endpoint(true, "PATCH", agents + "/a3", Map.of("name", "N", "enabled", true,
                        "licenseTypes", List.of("outbound"), "attributes", Map.of("k", "v"))),
                new Endpoint(true, "POST", agents + "/a3/clone", Map.of("agentId", "c1", "name", "C",
                        "password", "password-c1")),
                new Endpoint(true, "POST", "/v1/tenants/" + tenant + "/licenses/outbound/purchases", Map.of("count", 1)),
                new Endpoint(true, "POST", "/v1/tenants/" + tenant + "/licenses/closer/removals", Map.of("count", 1)),
                new Endpoint(true, "GET", "/v1/tenants/" + tenant + "/billing/events?limit=5", Map.of()),
                new Endpoint(true, "DELETE", "/v1/tenants/" + tenant + "/sessions/nope", Map.of()),
                new Endpoint(true, "GET", agents, Map.of()));

        var random = new Random(SEED);
        var statuses = new TreeMap<Integer, Integer>();
        int sent = 0;
        int bought = 0;
        int removed = 0;
        for (Endpoint endpoint : endpoints) {
            for (int i = 0; i < BODIES_PER_ENDPOINT; i++) {
                String body = body(random, endpoint.validBody());
                List<String> headers = new ArrayList<>();
                if (endpoint.admin()) {
                    headers.addAll(List.of("Authorization", "Bearer " + SeatgateExtension.ADMIN_TOKEN,
                            "Idempotency-Key", random.nextInt(4) == 0 ? randomString(random) : "k" + random.nextInt(5)));
                } else if (!endpoint.path().equals("/v1/login")) {
                    headers.addAll(List.of("Authorization", "Bearer " + (random.nextBoolean() ? session
                            : randomString(random))));
                }
                String[] headerArray = headers.stream().map(FuzzIT::headerSafe).toArray(String[]::new);
                Reply reply = endpoint.admin()
                        ? api.adminRaw(endpoint.method(), endpoint.path(), body, headerArray)
                        : api.agent(endpoint.method(), endpoint.path(), body, headerArray);
                String what = "seed " + SEED + ": " + endpoint.method() + " " + endpoint.path() + " " + body + " -> " + reply;
                assertThat(reply.status()).as(what).isIn(DOCUMENTED);
                if (reply.status() >= 400) {
                    assertThat(reply.errorCode()).as(what).isNotBlank();
                    assertThat(reply.json().at("/error/message").isTextual()).as(what).isTrue();
                    assertThat(reply.json().at("/error/details").isObject()).as(what).isTrue();
                }
                if (reply.status() == 201 && endpoint.path().endsWith("/purchases")) {
                    bought += reply.json().get("count").asInt();
                } else if (reply.status() == 201 && endpoint.path().endsWith("/removals")) {
                    removed += reply.json().get("count").asInt();
                }
                statuses.merge(reply.status(), 1, Integer::sum);
                sent++;
            }
        }
        System.out.printf("FuzzIT: seed %d, %d requests, statuses %s%n", SEED, sent, statuses);
        assertThat(statuses.keySet()).as("the bodies reach past validation too").contains(200, 400);
        assertThat(api.agent("GET", "/healthz", "").status()).isEqualTo(200);
        // Every purchase and removal answered 201 counts, exactly, and nothing else does.
        JsonNode licenses = api.licenses(tenant).json().get("licenses");
        assertThat(bought).as("some purchases got through").isPositive();
        assertThat(licenses.at("/outbound/active").asInt()
                + licenses.at("/outbound/pending").findValues("count").stream().mapToInt(JsonNode::asInt).sum())
                .as("3 seats of the fixture and %d bought", bought).isEqualTo(3 + bought);
        assertThat(licenses.at("/closer/active").asInt()).isEqualTo(2);
        assertThat(licenses.at("/closer/scheduledRemovals").findValues("count").stream().mapToInt(JsonNode::asInt)
                .sum()).as("%d removed from the next 1st", removed).isEqualTo(removed);
    }

    /** A valid body with one field replaced or removed, a random value, or text that is not JSON. */
    private static String body(Random random, Map<String, Object> valid) {
        switch (random.nextInt(6)) {
            case 0, 1, 2 -> {
                var mutated = new LinkedHashMap<String, Object>(valid);
                if (!mutated.isEmpty()) {
                    String field = new ArrayList<>(mutated.keySet()).get(random.nextInt(mutated.size()));
                    if (random.nextInt(4) == 0) {
                        mutated.remove(field);
                    } else {
                        mutated.put(field, value(random, 2));
                    }
                }
                if (random.nextInt(5) == 0) {
                    mutated.put(randomString(random), value(random, 1));
                }
                return ApiClient.json(mutated);
            }
            case 3 -> {
                return ApiClient.json(value(random, 3));
            }
            case 4 -> {
                String json = ApiClient.json(valid);
                return json.substring(0, random.nextInt(json.length() + 1)); // cut short
            }
            default -> {
                return random.nextBoolean() ? "" : randomString(random);
            }
        }
    }

    private static Object value(Random random, int depth) {
        int kind = random.nextInt(depth > 0 ? 9 : 7);
        return switch (kind) {
            case 0 -> null;
            case 1 -> random.nextBoolean();
            case 2 -> List.of(0, -1, 1, 10_000, 10_001, Integer.MAX_VALUE, Long.MIN_VALUE).get(random.nextInt(7));
            case 3 -> random.nextDouble() * 1e6 - 5e5;
            case 4 -> new java.math.BigInteger(130, random);
            case 5, 6 -> randomString(random);
            case 7 -> {
                var list = new ArrayList<>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    list.add(value(random, depth - 1));
                }
                yield list;
            }
            default -> {
                var map = new LinkedHashMap<String, Object>();
                for (int i = random.nextInt(4); i > 0; i--) {
                    map.put(randomString(random), value(random, depth - 1));
                }
                yield map;
            }
        };
    }

    private static String randomString(Random random) {
        String alphabet = "abcXYZ019_-{}:*/.\\\"' \t\n\r\u0000\u00e9\u4e2d\ud83d\ude00";
        int length = List.of(0, 1, 8, 64, 65, 129, 300).get(random.nextInt(7));
        var text = new StringBuilder();
        while (text.length() < length) {
            int at = random.nextInt(alphabet.length());
            char c = alphabet.charAt(at);
            if (Character.isHighSurrogate(c)) {
                text.append(c).append(alphabet.charAt(at + 1));
            } else if (!Character.isLowSurrogate(c)) {
                text.append(c);
            }
        }
        return text.toString();
    }

    /** The JDK client refuses header values with control characters; a real client could send them, but
     * the codec tests cover that, so here they are replaced. */
    private static String headerSafe(String value) {
        var safe = new StringBuilder();
        value.codePoints().forEach(c -> safe.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        return safe.toString();
    }
}
