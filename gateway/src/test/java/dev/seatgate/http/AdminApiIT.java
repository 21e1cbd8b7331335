package dev.seatgate.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Tenants, agents (create), licenses and purchases over the admin listener: every status and error code. */
class AdminApiIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static ApiClient api;

    @BeforeAll
    static void startGateway() {
        api = new ApiClient(seatgate.startGateway());
    }

    @Test
    void everyAdminCallNeedsTheToken() {
        String tenant = SeatgateExtension.newTenantId();
        String body = "{\"name\": \"Acme\"}";

        Reply missing = api.adminRaw("PUT", "/v1/tenants/" + tenant, body);
        Reply wrong = api.adminRaw("PUT", "/v1/tenants/" + tenant, body, "Authorization", "Bearer not-the-token");
        Reply notBearer = api.adminRaw("GET", "/v1/tenants/" + tenant + "/licenses", "",
                "Authorization", "Basic " + SeatgateExtension.ADMIN_TOKEN);

        for (Reply reply : List.of(missing, wrong, notBearer)) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.errorCode()).isEqualTo("UNAUTHORIZED");
        }
        assertThat(missing.json().at("/error/message").asText()).isEqualTo("expected Authorization: Bearer <admin token>");
        assertThat(wrong.json().at("/error/message").asText()).as("told apart from a missing one")
                .isEqualTo("this token is not an admin token of this gateway");
        assertThat(api.admin("GET", "/v1/tenants/" + tenant, null).status()).as("nothing was created").isEqualTo(404);
    }

    @Test
    void aFieldGivenTwiceIsNamed() {
        Reply twice = api.adminRaw("PUT", "/v1/tenants/" + SeatgateExtension.newTenantId(),
                "{\"name\": \"Acme\", \"name\": \"Other\"}", "Authorization", "Bearer " + SeatgateExtension.ADMIN_TOKEN);

        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.json().at("/error/message").asText()).isEqualTo("field 'name' appears more than once");
    }

    @Test
    void withoutAConfiguredTokenTheAdminApiRefusesEverything() {
        var locked = new ApiClient(seatgate.startGateway("SEATGATE_ADMIN_TOKEN", ""));

        Reply reply = locked.putTenant(SeatgateExtension.newTenantId(), "UTC");

        assertThat(reply.status()).isEqualTo(401);
        assertThat(reply.json().at("/error/message").asText()).contains("SEATGATE_ADMIN_TOKEN");
        assertThat(locked.adminRaw("GET", "/healthz", "").status()).as("operations need no token").isEqualTo(200);
    }

    @Test
    void putCreatesThenUpdatesATenant() {
        String tenant = SeatgateExtension.newTenantId();

        Reply created = api.admin("PUT", "/v1/tenants/" + tenant, Map.of("name", "Acme", "timeZone", "America/New_York"));
        Reply updated = api.admin("PUT", "/v1/tenants/" + tenant, Map.of("name", "Acme Inc"));
        Reply fetched = api.admin("GET", "/v1/tenants/" + tenant, null);

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("tenant").asText()).isEqualTo(tenant);
        assertThat(created.json().get("timeZone").asText()).isEqualTo("America/New_York");
        assertThat(updated.status()).isEqualTo(200);
        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.json().get("name").asText()).isEqualTo("Acme Inc");
        assertThat(fetched.json().get("timeZone").asText()).as("timeZone defaults to UTC").isEqualTo("UTC");
        assertThat(fetched.json().get("createdAt").asText()).isEqualTo(created.json().get("createdAt").asText());
        assertThat(Instant.parse(fetched.json().get("createdAt").asText()))
                .isBetween(Instant.now().minusSeconds(30), Instant.now().plusSeconds(1));
    }

    @Test
    void badTenantRequestsAre400AndUnknownTenantsAre404() {
        assertThat(api.admin("GET", "/v1/tenants/nobody-" + System.nanoTime(), null).errorCode())
                .isEqualTo("TENANT_NOT_FOUND");
        assertThat(api.admin("PUT", "/v1/tenants/bad.id", Map.of("name", "x")).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(api.admin("PUT", "/v1/tenants/%7Bx%7D", Map.of("name", "x")).errorCode()).isEqualTo("INVALID_REQUEST");
        String tenant = SeatgateExtension.newTenantId();
        for (Object body : List.of(Map.of(), Map.of("name", ""), Map.of("name", 7),
                Map.of("name", "Acme", "timeZone", "Mars/Olympus"), Map.of("name", "Acme", "timeZone", "+05:00"))) {
            Reply reply = api.admin("PUT", "/v1/tenants/" + tenant, body);
            assertThat(reply.status()).as("%s", body).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("INVALID_REQUEST");
        }
    }

    @Test
    void agentsAreCreatedWithoutEverShowingThePassword() {
        String tenant = newTenant();

        Reply created = api.admin("POST", "/v1/tenants/" + tenant + "/agents", Map.of("agentId", "1001",
                "name", "Ann Lee", "password", "s3cret-pass", "licenseTypes", List.of("closer"),
                "attributes", Map.of("userGroup", "sales")));

        assertThat(created.status()).isEqualTo(201);
        assertThat(created.json().get("agentId").asText()).isEqualTo("1001");
        assertThat(created.json().get("name").asText()).isEqualTo("Ann Lee");
        assertThat(created.json().get("licenseTypes")).extracting(node -> node.asText()).containsExactly("closer");
        assertThat(created.json().get("enabled").asBoolean()).isTrue();
        assertThat(created.json().at("/attributes/userGroup").asText()).isEqualTo("sales");
        assertThat(created.json().get("loggedIn").asBoolean()).isFalse();
        assertThat(created.json().toString()).doesNotContain("s3cret-pass").doesNotContainIgnoringCase("password")
                .doesNotContain("pbkdf2");
    }

    @Test
    void agentsGetEveryLicenseTypeByDefault() {
        String tenant = newTenant();

        Reply created = api.admin("POST", "/v1/tenants/" + tenant + "/agents",
                Map.of("agentId", "1002", "name", "Bo", "password", "another-pass"));

        assertThat(created.json().get("licenseTypes")).extracting(node -> node.asText())
                .containsExactly("outbound", "closer");
    }

    @Test
    void agentErrors() {
        String tenant = newTenant();
        String agents = "/v1/tenants/" + tenant + "/agents";
        api.createAgent(tenant, "1001", "first-password", List.of("outbound"));

        assertThat(api.createAgent(tenant, "1001", "second-password", List.of("outbound")).errorCode())
                .isEqualTo("AGENT_EXISTS");
        assertThat(api.createAgent("nobody-" + System.nanoTime(), "1001", "first-password", List.of("outbound"))
                .errorCode()).isEqualTo("TENANT_NOT_FOUND");
        for (Object body : List.of(
                Map.of("agentId", "1003", "name", "x", "password", "short"),
                Map.of("agentId", "1003", "name", "x", "password", "p".repeat(129)),
                Map.of("agentId", "10 03", "name", "x", "password", "long-enough"),
                Map.of("agentId", "1003", "name", "x", "password", "long-enough", "licenseTypes", List.of("gold")),
                Map.of("agentId", "1003", "name", "x", "password", "long-enough", "licenseTypes", List.of()),
                Map.of("agentId", "1003", "name", "x", "password", "long-enough", "attributes", Map.of("a", 1)),
                Map.of("agentId", "1003", "name", "x", "password", "long-enough", "enabled", "yes"),
                Map.of("name", "x", "password", "long-enough"))) {
            Reply reply = api.admin("POST", agents, body);
            assertThat(reply.status()).as("%s", body).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("INVALID_REQUEST");
        }
    }

    @Test
    void licensesListEveryCatalogTypeAlsoAtZero() {
        String tenant = newTenant();

        Reply licenses = api.licenses(tenant);

        assertThat(licenses.status()).isEqualTo(200);
        assertThat(licenses.json().get("tenant").asText()).isEqualTo(tenant);
        assertThat(Instant.parse(licenses.json().get("asOf").asText())).isBefore(Instant.now().plusSeconds(1));
        for (String type : List.of("outbound", "closer")) {
            var counts = licenses.json().at("/licenses/" + type);
            assertThat(counts.get("active").asInt()).isZero();
            assertThat(counts.get("inUse").asInt()).isZero();
            assertThat(counts.get("available").asInt()).isZero();
            assertThat(counts.get("pending").isArray()).isTrue();
            assertThat(counts.get("pending")).isEmpty();
            assertThat(counts.get("scheduledRemovals")).isEmpty();
        }
        assertThat(api.licenses("nobody-" + System.nanoTime()).errorCode()).isEqualTo("TENANT_NOT_FOUND");
    }

    @Test
    void aPurchaseIsChargedProratedAndRetriedOnlyOnce() {
        String tenant = newTenant();

        Reply first = api.purchase(tenant, "outbound", 5, "order-17");
        Reply retry = api.purchase(tenant, "outbound", 5, "order-17");

        assertThat(first.status()).isEqualTo(201);
        assertThat(first.json().get("purchaseId").asText()).startsWith("p_");
        assertThat(first.json().get("tenant").asText()).isEqualTo(tenant);
        assertThat(first.json().get("licenseType").asText()).isEqualTo("outbound");
        assertThat(first.json().get("count").asInt()).isEqualTo(5);
        assertThat(first.json().at("/charge/currency").asText()).isEqualTo("USD");
        assertThat(first.json().at("/charge/unitMonthlyPrice").asText()).isEqualTo("150.00");
        assertThat(first.json().at("/charge/amount").isTextual()).isTrue();
        assertThat(first.json().at("/charge/amount").asText()).matches("\\d+\\.\\d\\d");
        assertThat(first.json().at("/charge/daysRemaining").asInt()).isBetween(1, 31);
        assertThat(Instant.parse(first.json().get("activatesAt").asText()))
                .isEqualTo(Instant.parse(first.json().get("purchasedAt").asText())); // the tests' delay is PT0S
        assertThat(retry.status()).isEqualTo(200);
        assertThat(retry.json()).isEqualTo(first.json());
        assertThat(api.licenses(tenant).json().at("/licenses/outbound/active").asInt()).as("charged once").isEqualTo(5);
    }

    @Test
    void anIdempotencyKeyReusedForAnotherPurchaseIs422() {
        String tenant = newTenant();
        api.purchase(tenant, "outbound", 5, "order-18");

        Reply otherCount = api.purchase(tenant, "outbound", 6, "order-18");
        Reply otherType = api.purchase(tenant, "closer", 5, "order-18");

        assertThat(otherCount.status()).isEqualTo(422);
        assertThat(otherCount.errorCode()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(otherType.errorCode()).isEqualTo("IDEMPOTENCY_KEY_REUSED");
        assertThat(api.licenses(tenant).json().at("/licenses/outbound/active").asInt()).isEqualTo(5);
        assertThat(api.licenses(tenant).json().at("/licenses/closer/active").asInt()).isZero();
    }

    @Test
    void badPurchasesAre400AndUnknownTenants404() {
        String tenant = newTenant();
        String path = "/v1/tenants/" + tenant + "/licenses/outbound/purchases";
        String token = "Bearer " + SeatgateExtension.ADMIN_TOKEN;

        Reply noKey = api.admin("POST", path, Map.of("count", 5));
        assertThat(noKey.status()).isEqualTo(400);
        assertThat(noKey.json().at("/error/message").asText()).contains("Idempotency-Key");
        assertThat(api.admin("POST", path, Map.of("count", 5), "Authorization", token,
                "Idempotency-Key", "k".repeat(129)).status()).isEqualTo(400);
        for (Object body : List.of(Map.of("count", 0), Map.of("count", 10_001), Map.of("count", "5"),
                Map.of("count", 2.5), Map.of())) {
            Reply reply = api.admin("POST", path, body, "Authorization", token, "Idempotency-Key", "k-" + body);
            assertThat(reply.status()).as("%s", body).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("INVALID_REQUEST");
        }
        assertThat(api.purchase(tenant, "gold", 1, "k-gold").errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(api.purchase("nobody-" + System.nanoTime(), "outbound", 1, "k-x").errorCode())
                .isEqualTo("TENANT_NOT_FOUND");
        assertThat(api.purchase(tenant, "outbound", 10_000, "k-max").status()).isEqualTo(201);
    }

    @Test
    void unknownPathsAre404AndWrongMethods405() {
        Reply unknown = api.admin("GET", "/v1/tenants", null);
        Reply wrongMethod = api.admin("DELETE", "/v1/tenants/x", null);

        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.errorCode()).isEqualTo("NOT_FOUND");
        assertThat(wrongMethod.status()).isEqualTo(405);
        assertThat(wrongMethod.header("Allow")).isEqualTo("PUT, GET");
        assertThat(api.agent("POST", "/v1/tenants/x", "").status()).as("admin routes are not on the agent port")
                .isEqualTo(404);
    }

    private static String newTenant() {
        String tenant = SeatgateExtension.newTenantId();
        assertThat(api.putTenant(tenant, "UTC").status()).isEqualTo(201);
        return tenant;
    }
}
