package dev.seatgate.http;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The login handshake over real HTTP against a real Redis: every status and error code of the agent API. */
class LoginIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static ApiClient api;

    @BeforeAll
    static void startGateway() {
        api = new ApiClient(seatgate.startGateway());
    }

    @Test
    void loginClaimsASeatAndReturnsTheSession() {
        String tenant = Fixtures.tenant(api, 2, 0, 1);

        Reply login = api.login(tenant, "a1", password("a1"), "outbound");

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("sessionToken").asText()).hasSizeGreaterThan(43);
        assertThat(login.json().get("sessionId").asText()).isNotBlank();
        assertThat(login.json().get("tenant").asText()).isEqualTo(tenant);
        assertThat(login.json().get("agentId").asText()).isEqualTo("a1");
        assertThat(login.json().get("licenseType").asText()).isEqualTo("outbound");
        assertThat(login.json().get("capabilities")).extracting(node -> node.asText())
                .containsExactly("predictive_dialing", "manual_dialing", "inbound");
        assertThat(login.json().get("leaseTtlSeconds").asInt()).isEqualTo(30);
        assertThat(login.json().get("heartbeatIntervalSeconds").asInt()).isEqualTo(10);
        Instant expires = Instant.parse(login.json().get("leaseExpiresAt").asText());
        assertThat(expires).isBetween(Instant.now().plusSeconds(25), Instant.now().plusSeconds(35));
        assertThat(login.json().has("replacedSessionId")).isTrue();
        assertThat(login.json().get("replacedSessionId").isNull()).isTrue();
        assertThat(inUse(tenant, "outbound")).isEqualTo(1);
    }

    @Test
    void closerSeatsCarryCloserCapabilities() {
        String tenant = Fixtures.tenant(api, 0, 1, 1);

        Reply login = api.login(tenant, "a1", password("a1"), "closer");

        assertThat(login.status()).isEqualTo(200);
        assertThat(login.json().get("capabilities")).extracting(node -> node.asText())
                .containsExactly("manual_dialing", "inbound");
    }

    @Test
    void unknownTenantUnknownAgentAndWrongPasswordAreTheSame401() {
        String tenant = Fixtures.tenant(api, 1, 0, 1);

        Reply unknownTenant = api.login("no-such-tenant", "a1", password("a1"), "outbound");
        Reply unknownAgent = api.login(tenant, "a9", password("a9"), "outbound");
        Reply wrongPassword = api.login(tenant, "a1", "wrong-password", "outbound");

        for (Reply reply : List.of(unknownTenant, unknownAgent, wrongPassword)) {
            assertThat(reply.status()).isEqualTo(401);
            assertThat(reply.errorCode()).isEqualTo("INVALID_CREDENTIALS");
            assertThat(reply.json().at("/error/message").asText())
                    .isEqualTo(unknownTenant.json().at("/error/message").asText());
        }
        assertThat(inUse(tenant, "outbound")).isZero();
    }

    @Test
    void disabledAgentIs403() {
        String tenant = Fixtures.tenant(api, 1, 0, 0);
        api.admin("POST", "/v1/tenants/" + tenant + "/agents", Map.of("agentId", "off", "name", "Off",
                "password", "password-off", "enabled", false));

        Reply login = api.login(tenant, "off", "password-off", "outbound");

        assertThat(login.status()).isEqualTo(403);
        assertThat(login.errorCode()).isEqualTo("AGENT_DISABLED");
        assertThat(inUse(tenant, "outbound")).isZero();
    }

    @Test
    void licenseTypeTheAgentMayNotUseIs403() {
        String tenant = Fixtures.tenant(api, 1, 1, 0);
        api.createAgent(tenant, "closer-only", "password-closer", List.of("closer"));

        Reply login = api.login(tenant, "closer-only", "password-closer", "outbound");

        assertThat(login.status()).isEqualTo(403);
        assertThat(login.errorCode()).isEqualTo("LICENSE_TYPE_NOT_PERMITTED");
    }

    @Test
    void noFreeSeatIs409WithTheCounts() {
        String tenant = Fixtures.tenant(api, 1, 0, 2);
        assertThat(api.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);

        Reply refused = api.login(tenant, "a2", password("a2"), "outbound");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("SEATS_EXHAUSTED");
        assertThat(refused.json().at("/error/message").asText()).isEqualTo("no outbound seat is free (1 of 1 in use)");
        assertThat(refused.json().at("/error/details/licenseType").asText()).isEqualTo("outbound");
        assertThat(refused.json().at("/error/details/active").asInt()).isEqualTo(1);
        assertThat(refused.json().at("/error/details/inUse").asInt()).isEqualTo(1);
        assertThat(refused.json().at("/error/details").has("nextActivationAt")).isFalse();
    }

    @Test
    void aTenantWithoutSeatsOfATypeRefusesThatType() {
        String tenant = Fixtures.tenant(api, 1, 0, 1);

        Reply refused = api.login(tenant, "a1", password("a1"), "closer");

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.errorCode()).isEqualTo("SEATS_EXHAUSTED");
        assertThat(refused.json().at("/error/details/active").asInt()).isZero();
    }

    @Test
    void malformedLoginsAre400() {
        String[] bodies = {
                "",
                "not json",
                "[1, 2]",
                "{\"tenant\": \"t\", \"agentId\": \"a1\", \"password\": \"x\"}",
                "{\"tenant\": \"t\", \"agentId\": \"a1\", \"password\": \"x\", \"licenseType\": \"gold\"}",
                "{\"tenant\": \"t/../x\", \"agentId\": \"a1\", \"password\": \"x\", \"licenseType\": \"outbound\"}",
                "{\"tenant\": \"{t}\", \"agentId\": \"a1\", \"password\": \"x\", \"licenseType\": \"outbound\"}",
                "{\"tenant\": \"t\", \"agentId\": 1001, \"password\": \"x\", \"licenseType\": \"outbound\"}",
                "{\"tenant\": \"t\", \"agentId\": \"a1\", \"password\": \"\", \"licenseType\": \"outbound\"}",
                "{\"tenant\": \"t\", \"tenant\": \"u\", \"agentId\": \"a1\", \"password\": \"x\", \"licenseType\": \"outbound\"}",
                "{\"tenant\": \"" + "t".repeat(65) + "\", \"agentId\": \"a1\", \"password\": \"x\", \"licenseType\": \"outbound\"}",
        };
        for (String body : bodies) {
            Reply reply = api.agent("POST", "/v1/login", body);
            assertThat(reply.status()).as(body).isEqualTo(400);
            assertThat(reply.errorCode()).as(body).isEqualTo("INVALID_REQUEST");
            assertThat(reply.json().at("/error/message").asText()).as(body).isNotBlank();
        }
    }

    @Test
    void heartbeatExtendsTheLease() throws InterruptedException {
        String tenant = Fixtures.tenant(api, 1, 0, 1);
        Reply login = api.login(tenant, "a1", password("a1"), "outbound");
        Instant first = Instant.parse(login.json().get("leaseExpiresAt").asText());
        Thread.sleep(20);

        Reply heartbeat = api.heartbeat(Fixtures.sessionToken(login));

        assertThat(heartbeat.status()).isEqualTo(200);
        assertThat(Instant.parse(heartbeat.json().get("leaseExpiresAt").asText())).isAfter(first);
    }

    @Test
    void heartbeatWithATokenNeverIssuedIs401() {
        String tenant = Fixtures.tenant(api, 1, 0, 1);
        String issued = Fixtures.sessionToken(api.login(tenant, "a1", password("a1"), "outbound"));
        String forged = issued.substring(0, issued.length() - 4) + "AAAA";

        for (String token : List.of("garbage", forged, tenant + ".AAAAAAAAAAAAAAAAAAAAAA." + "B".repeat(43))) {
            Reply reply = api.heartbeat(token);
            assertThat(reply.status()).as(token).isEqualTo(401);
            assertThat(reply.errorCode()).isEqualTo("INVALID_SESSION_TOKEN");
        }
        Reply noHeader = api.agent("POST", "/v1/heartbeat", "");
        assertThat(noHeader.status()).isEqualTo(401);
        assertThat(noHeader.errorCode()).isEqualTo("INVALID_SESSION_TOKEN");
    }

    @Test
    void logoutFreesTheSeatAtOnceAndLaterHeartbeatsAre410LoggedOut() {
        String tenant = Fixtures.tenant(api, 1, 0, 2);
        String token = Fixtures.sessionToken(api.login(tenant, "a1", password("a1"), "outbound"));
        assertThat(api.login(tenant, "a2", password("a2"), "outbound").status()).isEqualTo(409);

        Reply logout = api.logout(token);

        assertThat(logout.status()).isEqualTo(204);
        assertThat(inUse(tenant, "outbound")).isZero();
        assertThat(api.login(tenant, "a2", password("a2"), "outbound").status()).isEqualTo(200);
        Reply heartbeat = api.heartbeat(token);
        assertThat(heartbeat.status()).isEqualTo(410);
        assertThat(heartbeat.errorCode()).isEqualTo("SESSION_GONE");
        assertThat(heartbeat.json().at("/error/details/reason").asText()).isEqualTo("logged_out");
        assertThat(api.logout(token).status()).as("logging out twice").isEqualTo(204);
        assertThat(api.logout("garbage").status()).isEqualTo(401);
    }

    @Test
    void secondLoginTakesOverTheSameSeat() {
        String tenant = Fixtures.tenant(api, 1, 0, 1);
        Reply first = api.login(tenant, "a1", password("a1"), "outbound");

        Reply second = api.login(tenant, "a1", password("a1"), "outbound");

        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("replacedSessionId").asText()).isEqualTo(first.json().get("sessionId").asText());
        assertThat(second.json().get("sessionId").asText()).isNotEqualTo(first.json().get("sessionId").asText());
        assertThat(inUse(tenant, "outbound")).isEqualTo(1);
        Reply oldHeartbeat = api.heartbeat(Fixtures.sessionToken(first));
        assertThat(oldHeartbeat.status()).isEqualTo(410);
        assertThat(oldHeartbeat.json().at("/error/details/reason").asText()).isEqualTo("superseded");
        assertThat(api.heartbeat(Fixtures.sessionToken(second)).status()).isEqualTo(200);
    }

    @Test
    void takeoverOntoAnotherTypeMovesTheAgentOnlyWhenThatTypeHasAFreeSeat() {
        String tenant = Fixtures.tenant(api, 1, 1, 2);
        Reply outbound = api.login(tenant, "a1", password("a1"), "outbound");
        Reply closerHolder = api.login(tenant, "a2", password("a2"), "closer");

        Reply refused = api.login(tenant, "a1", password("a1"), "closer");

        assertThat(refused.errorCode()).isEqualTo("SEATS_EXHAUSTED");
        assertThat(api.heartbeat(Fixtures.sessionToken(outbound)).status()).as("the old session keeps its seat").isEqualTo(200);

        api.logout(Fixtures.sessionToken(closerHolder));
        Reply moved = api.login(tenant, "a1", password("a1"), "closer");

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("replacedSessionId").asText()).isEqualTo(outbound.json().get("sessionId").asText());
        assertThat(inUse(tenant, "outbound")).isZero();
        assertThat(inUse(tenant, "closer")).isEqualTo(1);
    }

    @Test
    void rejectPolicyRefusesASecondLoginWhileTheFirstIsLive() {
        Gateway rejecting = seatgate.startGateway("SEATGATE_SECOND_LOGIN", "reject");
        var strict = new ApiClient(rejecting);
        String tenant = Fixtures.tenant(strict, 2, 0, 1);
        Reply first = strict.login(tenant, "a1", password("a1"), "outbound");

        Reply second = strict.login(tenant, "a1", password("a1"), "outbound");

        assertThat(second.status()).isEqualTo(409);
        assertThat(second.errorCode()).isEqualTo("ALREADY_LOGGED_IN");
        assertThat(strict.heartbeat(Fixtures.sessionToken(first)).status()).isEqualTo(200);
        assertThat(inUse(tenant, "outbound")).isEqualTo(1);

        strict.logout(Fixtures.sessionToken(first));
        assertThat(strict.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);
    }

    @Test
    void aLeaseWithoutHeartbeatsExpiresFreesItsSeatAndItsHeartbeatIs410Expired() throws InterruptedException {
        Gateway shortLeases = seatgate.startGateway("SEATGATE_LEASE_TTL", "PT2S", "SEATGATE_HEARTBEAT_INTERVAL", "PT1S");
        var client = new ApiClient(shortLeases);
        String tenant = Fixtures.tenant(client, 1, 0, 2);
        Reply crashed = client.login(tenant, "a1", password("a1"), "outbound");
        assertThat(crashed.json().get("leaseTtlSeconds").asInt()).isEqualTo(2);
        assertThat(client.login(tenant, "a2", password("a2"), "outbound").status()).isEqualTo(409);

        Thread.sleep(Duration.ofMillis(2300).toMillis());

        assertThat(inUse(tenant, "outbound")).isZero();
        assertThat(client.login(tenant, "a2", password("a2"), "outbound").status()).isEqualTo(200);
        Reply late = client.heartbeat(Fixtures.sessionToken(crashed));
        assertThat(late.status()).isEqualTo(410);
        assertThat(late.json().at("/error/details/reason").asText()).isEqualTo("expired");
    }

    @Test
    void heartbeatsKeepALeaseAliveBeyondItsTtl() throws InterruptedException {
        Gateway shortLeases = seatgate.startGateway("SEATGATE_LEASE_TTL", "PT2S", "SEATGATE_HEARTBEAT_INTERVAL", "PT1S");
        var client = new ApiClient(shortLeases);
        String tenant = Fixtures.tenant(client, 1, 0, 2);
        String token = Fixtures.sessionToken(client.login(tenant, "a1", password("a1"), "outbound"));

        for (int i = 0; i < 4; i++) {
            Thread.sleep(1000);
            assertThat(client.heartbeat(token).status()).isEqualTo(200);
        }

        assertThat(client.login(tenant, "a2", password("a2"), "outbound").status()).isEqualTo(409);
    }


    private static int inUse(String tenant, String type) {
        return api.licenses(tenant).json().at("/licenses/" + type + "/inUse").asInt();
    }
}
