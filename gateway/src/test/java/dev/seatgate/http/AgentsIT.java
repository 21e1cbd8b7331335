package dev.seatgate.http;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.SeatgateExtension;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Agent management over the admin API: list, get, modify, clone, delete, and what they do to sessions. */
class AgentsIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static ApiClient api;

    @BeforeAll
    static void startGateway() {
        api = new ApiClient(seatgate.startGateway());
    }

    @Test
    void listAndGetShowAgentsAndWhoIsLoggedInButNoPasswordMaterial() {
        String tenant = Fixtures.tenant(api, 2, 0, 3);
        Fixtures.sessionToken(api.login(tenant, "a2", password("a2"), "outbound"));

        Reply list = api.admin("GET", agents(tenant), null);
        Reply one = api.admin("GET", agents(tenant) + "/a2", null);

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.json().get("agents")).extracting(agent -> agent.get("agentId").asText())
                .containsExactly("a1", "a2", "a3");
        assertThat(list.json().get("agents")).extracting(agent -> agent.get("loggedIn").asBoolean())
                .containsExactly(false, true, false);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().get("loggedIn").asBoolean()).isTrue();
        assertThat(one.json().get("licenseTypes")).extracting(JsonNode::asText).containsExactly("outbound", "closer");
        assertThat(one.json().has("createdAt")).isTrue();
        for (Reply reply : List.of(list, one)) {
            assertThat(reply.json().toString()).doesNotContainIgnoringCase("password").doesNotContain("pbkdf2")
                    .doesNotContain("credential");
        }
    }

    @Test
    void unknownTenantsAgentsAndBadIdsAreRefused() {
        String tenant = Fixtures.tenant(api, 0, 0, 1);
        String nobody = "nobody-" + System.nanoTime();

        assertThat(api.admin("GET", agents(nobody), null).errorCode()).isEqualTo("TENANT_NOT_FOUND");
        assertThat(api.admin("GET", agents(nobody) + "/a1", null).errorCode()).isEqualTo("TENANT_NOT_FOUND");
        assertThat(api.admin("GET", agents(tenant) + "/a9", null).errorCode()).isEqualTo("AGENT_NOT_FOUND");
        assertThat(api.admin("GET", agents(tenant) + "/a%201", null).errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(api.admin("PATCH", agents(tenant) + "/a9", Map.of("name", "x")).errorCode())
                .isEqualTo("AGENT_NOT_FOUND");
        assertThat(api.admin("PATCH", agents(nobody) + "/a1", Map.of("name", "x")).errorCode())
                .isEqualTo("TENANT_NOT_FOUND");
        assertThat(api.admin("DELETE", agents(tenant) + "/a9", null).errorCode()).isEqualTo("AGENT_NOT_FOUND");
        assertThat(api.admin("POST", agents(tenant) + "/a9/clone", Map.of("agentId", "c1", "name", "C",
                "password", "clone-password")).errorCode()).isEqualTo("AGENT_NOT_FOUND");
    }

    @Test
    void patchChangesOnlyWhatItNames() {
        String tenant = Fixtures.tenant(api, 1, 1, 0);
        api.admin("POST", agents(tenant), Map.of("agentId", "1001", "name", "Ann", "password", "first-password",
                "attributes", Map.of("userGroup", "sales", "campaign", "winter")));

        Reply renamed = api.admin("PATCH", agents(tenant) + "/1001", Map.of("name", "Ann Lee",
                "attributes", Map.of("userGroup", "support")));

        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.json().get("name").asText()).isEqualTo("Ann Lee");
        assertThat(renamed.json().get("attributes")).isEqualTo(ApiClient.parse("{\"userGroup\": \"support\"}"));
        assertThat(renamed.json().get("enabled").asBoolean()).isTrue();
        assertThat(renamed.json().get("licenseTypes")).extracting(JsonNode::asText).containsExactly("outbound", "closer");
        assertThat(api.login(tenant, "1001", "first-password", "closer").status()).as("password kept").isEqualTo(200);
    }

    @Test
    void patchRefusesUnknownFieldsEmptyBodiesAndBadValues() {
        String tenant = Fixtures.tenant(api, 0, 0, 1);
        for (Object body : List.of(Map.of(), Map.of("nmae", "typo"), Map.of("agentId", "other"),
                Map.of("password", "short"), Map.of("licenseTypes", List.of("gold")), Map.of("enabled", "no"),
                Map.of("licenseTypes", List.of()))) {
            Reply reply = api.admin("PATCH", agents(tenant) + "/a1", body);
            assertThat(reply.status()).as("%s", body).isEqualTo(400);
            assertThat(reply.errorCode()).isEqualTo("INVALID_REQUEST");
        }
    }

    @Test
    void aNewPasswordReplacesTheOldOne() {
        String tenant = Fixtures.tenant(api, 2, 0, 1);
        Fixtures.sessionToken(api.login(tenant, "a1", password("a1"), "outbound")); // the gateway now caches this password

        assertThat(api.admin("PATCH", agents(tenant) + "/a1", Map.of("password", "brand-new-password")).status())
                .isEqualTo(200);

        assertThat(api.login(tenant, "a1", password("a1"), "outbound").errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(api.login(tenant, "a1", "brand-new-password", "outbound").status()).isEqualTo(200);
    }

    @Test
    void cloneCopiesTypesEnabledAndAttributesButNothingSecret() {
        String tenant = Fixtures.tenant(api, 1, 1, 0);
        api.admin("POST", agents(tenant), Map.of("agentId", "tmpl", "name", "Template", "password", "template-secret",
                "licenseTypes", List.of("closer"), "attributes", Map.of("userGroup", "sales", "skill", "spanish")));

        Reply clone = api.admin("POST", agents(tenant) + "/tmpl/clone", Map.of("agentId", "1002", "name", "New Hire",
                "password", "new-hire-pass"));

        assertThat(clone.status()).isEqualTo(201);
        assertThat(clone.json().get("agentId").asText()).isEqualTo("1002");
        assertThat(clone.json().get("name").asText()).isEqualTo("New Hire");
        assertThat(clone.json().get("licenseTypes")).extracting(JsonNode::asText).containsExactly("closer");
        assertThat(clone.json().get("enabled").asBoolean()).isTrue();
        assertThat(clone.json().get("attributes")).isEqualTo(
                ApiClient.parse("{\"userGroup\": \"sales\", \"skill\": \"spanish\"}"));
        assertThat(clone.json().get("loggedIn").asBoolean()).isFalse();
        assertThat(clone.json().toString()).doesNotContain("template-secret").doesNotContain("new-hire-pass")
                .doesNotContainIgnoringCase("password");
        assertThat(api.login(tenant, "1002", "template-secret", "closer").errorCode())
                .as("the source's password is not copied").isEqualTo("INVALID_CREDENTIALS");
        assertThat(api.login(tenant, "1002", "new-hire-pass", "closer").status()).isEqualTo(200);
        assertThat(api.login(tenant, "1002", "new-hire-pass", "outbound").errorCode())
                .isEqualTo("LICENSE_TYPE_NOT_PERMITTED");
    }

    @Test
    void cloningADisabledAgentGivesADisabledAgentAndTakenIdsAreRefused() {
        String tenant = Fixtures.tenant(api, 1, 0, 2);
        api.admin("PATCH", agents(tenant) + "/a1", Map.of("enabled", false));

        Reply clone = api.admin("POST", agents(tenant) + "/a1/clone", Map.of("agentId", "a3", "name", "Three",
                "password", "password-a3"));
        Reply taken = api.admin("POST", agents(tenant) + "/a1/clone", Map.of("agentId", "a2", "name", "Two",
                "password", "password-a2"));
        Reply missingPassword = api.admin("POST", agents(tenant) + "/a1/clone", Map.of("agentId", "a4", "name", "4"));

        assertThat(clone.json().get("enabled").asBoolean()).isFalse();
        assertThat(api.login(tenant, "a3", "password-a3", "outbound").errorCode()).isEqualTo("AGENT_DISABLED");
        assertThat(taken.status()).isEqualTo(409);
        assertThat(taken.errorCode()).isEqualTo("AGENT_EXISTS");
        assertThat(missingPassword.errorCode()).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void disablingRevokesTheSessionAtOnceAndFreesTheSeatForAWaitingAgent() {
        String tenant = Fixtures.tenant(api, 1, 0, 2);
        String session = Fixtures.sessionToken(api.login(tenant, "a1", password("a1"), "outbound"));
        assertThat(api.login(tenant, "a2", password("a2"), "outbound").errorCode()).isEqualTo("SEATS_EXHAUSTED");

        Reply disabled = api.admin("PATCH", agents(tenant) + "/a1", Map.of("enabled", false));

        assertThat(disabled.json().get("enabled").asBoolean()).isFalse();
        assertThat(disabled.json().get("loggedIn").asBoolean()).isFalse();
        assertRevoked(session);
        assertThat(api.login(tenant, "a2", password("a2"), "outbound").status()).as("the seat is free").isEqualTo(200);
        assertThat(api.login(tenant, "a1", password("a1"), "outbound").errorCode()).isEqualTo("AGENT_DISABLED");

        api.admin("PATCH", agents(tenant) + "/a1", Map.of("enabled", true));
        assertThat(api.login(tenant, "a1", password("a1"), "outbound").errorCode()).isEqualTo("SEATS_EXHAUSTED");
    }

    @Test
    void removingTheLicenseTypeInUseRevokesOnlyThatSession() {
        String tenant = Fixtures.tenant(api, 1, 1, 2);
        String outbound = Fixtures.sessionToken(api.login(tenant, "a1", password("a1"), "outbound"));
        String closer = Fixtures.sessionToken(api.login(tenant, "a2", password("a2"), "closer"));

        api.admin("PATCH", agents(tenant) + "/a1", Map.of("licenseTypes", List.of("closer")));
        api.admin("PATCH", agents(tenant) + "/a2", Map.of("licenseTypes", List.of("closer")));

        assertRevoked(outbound);
        assertThat(api.heartbeat(closer).status()).as("a2 keeps the type it is logged in with").isEqualTo(200);
        assertThat(api.licenses(tenant).json().at("/licenses/outbound/inUse").asInt()).isZero();
    }

    @Test
    void deletingRevokesTheSessionAndTheAgentCannotLogInAgain() {
        String tenant = Fixtures.tenant(api, 1, 0, 2);
        String session = Fixtures.sessionToken(api.login(tenant, "a1", password("a1"), "outbound"));

        assertThat(api.admin("DELETE", agents(tenant) + "/a1", null).status()).isEqualTo(204);

        assertRevoked(session);
        assertThat(api.admin("GET", agents(tenant) + "/a1", null).errorCode()).isEqualTo("AGENT_NOT_FOUND");
        assertThat(api.login(tenant, "a1", password("a1"), "outbound").errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(api.login(tenant, "a2", password("a2"), "outbound").status()).isEqualTo(200);
        assertThat(api.admin("DELETE", agents(tenant) + "/a1", null).errorCode()).isEqualTo("AGENT_NOT_FOUND");
    }

    @Test
    void sessionsListsWhoIsLoggedInAndDeleteForcesOneOut() {
        String tenant = Fixtures.tenant(api, 1, 1, 3);
        api.agent("POST", "/v1/login", ApiClient.json(Map.of("tenant", tenant, "agentId", "a1",
                "password", password("a1"), "licenseType", "outbound", "deviceId", "softphone-7")));
        String closer = Fixtures.sessionToken(api.login(tenant, "a2", password("a2"), "closer"));

        Reply sessions = api.admin("GET", "/v1/tenants/" + tenant + "/sessions", null);

        assertThat(sessions.status()).isEqualTo(200);
        assertThat(sessions.json().get("sessions")).hasSize(2);
        JsonNode first = sessions.json().at("/sessions/0");
        assertThat(first.get("agentId").asText()).isEqualTo("a1");
        assertThat(first.get("licenseType").asText()).isEqualTo("outbound");
        assertThat(first.get("deviceId").asText()).isEqualTo("softphone-7");
        assertThat(first.get("sessionId").asText()).isNotBlank();
        assertThat(first.has("loggedInAt")).isTrue();
        assertThat(first.has("leaseExpiresAt")).isTrue();
        assertThat(sessions.json().at("/sessions/1/deviceId").isNull()).isTrue();
        assertThat(sessions.json().toString()).doesNotContain(closer.substring(closer.lastIndexOf('.') + 1));

        String closerSessionId = sessions.json().at("/sessions/1/sessionId").asText();
        assertThat(api.login(tenant, "a3", password("a3"), "closer").errorCode()).isEqualTo("SEATS_EXHAUSTED");
        Reply revoked = api.admin("DELETE", "/v1/tenants/" + tenant + "/sessions/" + closerSessionId, null);

        assertThat(revoked.status()).isEqualTo(204);
        assertRevoked(closer);
        assertThat(api.login(tenant, "a3", password("a3"), "closer").status()).as("the seat is free at once")
                .isEqualTo(200);
        assertThat(api.admin("DELETE", "/v1/tenants/" + tenant + "/sessions/" + closerSessionId, null).status())
                .as("again: already ended").isEqualTo(204);
        assertThat(api.admin("DELETE", "/v1/tenants/" + tenant + "/sessions/AAAAAAAAAAAAAAAAAAAAAA", null).errorCode())
                .isEqualTo("SESSION_NOT_FOUND");
        assertThat(api.admin("GET", "/v1/tenants/nobody-" + System.nanoTime() + "/sessions", null).errorCode())
                .isEqualTo("TENANT_NOT_FOUND");
    }

    private static void assertRevoked(String sessionToken) {
        Reply heartbeat = api.heartbeat(sessionToken);
        assertThat(heartbeat.status()).isEqualTo(410);
        assertThat(heartbeat.json().at("/error/details/reason").asText()).isEqualTo("revoked");
    }

    private static String agents(String tenant) {
        return "/v1/tenants/" + tenant + "/agents";
    }

}
