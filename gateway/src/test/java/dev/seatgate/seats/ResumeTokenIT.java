package dev.seatgate.seats;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.Scrape;
import dev.seatgate.testing.SeatgateExtension;
import io.lettuce.core.ScanArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Resume tokens (API.md v1.1): a softphone that logged in once with its password logs in again on any gateway,
 * after any restart, without the slow hash, until the token expires or is revoked.
 */
class ResumeTokenIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static ApiClient first;
    private static ApiClient second;

    @BeforeAll
    static void startGateways() {
        first = new ApiClient(seatgate.startGateway());
        second = new ApiClient(seatgate.startGateway());
    }

    @Test
    void aPasswordLoginGivesATokenThatLogsInOnAnotherGatewayWithoutTheHash() {
        String tenant = Fixtures.tenant(first, 2, 0, 1);
        Instant before = Instant.now();
        Reply login = first.login(tenant, "a1", password("a1"), "outbound");
        String token = login.json().get("resumeToken").asText();
        assertThat(token).matches("[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}");
        assertThat(Instant.parse(login.json().get("resumeTokenExpiresAt").asText()))
                .isBetween(before.plus(Duration.ofDays(7)).minusSeconds(5), Instant.now().plus(Duration.ofDays(7)));
        double hashedBefore = hashed(second);

        Reply resumed = second.login(resume(tenant, "a1", token));

        assertThat(resumed.status()).as("%s", resumed).isEqualTo(200);
        assertThat(resumed.json().get("replacedSessionId").asText()).isEqualTo(login.json().get("sessionId").asText());
        assertThat(resumed.json().get("resumeToken").asText()).as("the same token").isEqualTo(token);
        assertThat(resumed.json().get("resumeTokenExpiresAt")).as("and the same expiry")
                .isEqualTo(login.json().get("resumeTokenExpiresAt"));
        assertThat(hashed(second)).as("no password hashed").isEqualTo(hashedBefore);
        assertThat(second.heartbeat(resumed.json().get("sessionToken").asText()).status()).isEqualTo(200);
        assertThat(second.login(resume(tenant, "a1", token)).status()).as("as often as needed").isEqualTo(200);
    }

    @Test
    void theTokenOutlivesEveryGatewayThatSawIt() {
        Gateway before = seatgate.startGateway();
        String tenant = Fixtures.tenant(first, 1, 0, 1);
        String token = new ApiClient(before).login(tenant, "a1", password("a1"), "outbound").json()
                .get("resumeToken").asText();
        before.close();

        Reply afterRestart = new ApiClient(seatgate.startGateway()).login(resume(tenant, "a1", token));

        assertThat(afterRestart.status()).as("%s", afterRestart).isEqualTo(200);
    }

    @Test
    void aWrongForeignExpiredOrMalformedTokenIsRefusedLikeAWrongPassword() {
        String tenant = Fixtures.tenant(first, 2, 0, 2);
        String token = first.login(tenant, "a1", password("a1"), "outbound").json().get("resumeToken").asText();
        String tokenId = token.substring(0, token.indexOf('.'));

        assertThat(first.login(resume(tenant, "a1", tokenId + "." + "x".repeat(43))).errorCode())
                .isEqualTo("INVALID_CREDENTIALS");
        assertThat(first.login(resume(tenant, "a2", token)).errorCode()).as("another agent's token")
                .isEqualTo("INVALID_CREDENTIALS");
        assertThat(first.login(resume(tenant, "a1", "not-a-token")).errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(first.login(resume("no-such-tenant", "a1", token)).errorCode()).isEqualTo("INVALID_CREDENTIALS");

        // Its expiry moved into the past, as if seven days had gone by.
        String key = "sg:{" + tenant + "}:resume:a1";
        String stored = seatgate.redis().sync().hget(key, tokenId);
        seatgate.redis().sync().hset(key, tokenId, stored.replaceFirst(" \\d+$", " " + (System.currentTimeMillis() - 1)));
        Reply expired = first.login(resume(tenant, "a1", token));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.errorCode()).isEqualTo("INVALID_CREDENTIALS");
    }

    @Test
    void exactlyOneOfPasswordAndResumeToken() {
        String tenant = Fixtures.tenant(first, 1, 0, 1);
        String token = first.login(tenant, "a1", password("a1"), "outbound").json().get("resumeToken").asText();

        Reply both = first.login(Map.of("tenant", tenant, "agentId", "a1", "password", password("a1"),
                "resumeToken", token, "licenseType", "outbound"));
        Reply neither = first.login(Map.of("tenant", tenant, "agentId", "a1", "licenseType", "outbound"));

        assertThat(both.errorCode()).isEqualTo("INVALID_REQUEST");
        assertThat(both.json().at("/error/message").asText()).contains("exactly one of 'password' and 'resumeToken'");
        assertThat(neither.errorCode()).isEqualTo("INVALID_REQUEST");
    }

    @Test
    void aPasswordChangeDisablingDeletingOrTheAdminCallRevokesTheTokens() {
        String tenant = Fixtures.tenant(first, 4, 0, 4);
        String agents = "/v1/tenants/" + tenant + "/agents/";
        List<String> tokens = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            tokens.add(first.login(tenant, "a" + i, password("a" + i), "outbound").json().get("resumeToken").asText());
        }

        assertThat(first.admin("PATCH", agents + "a1", Map.of("name", "Renamed")).status()).isEqualTo(200);
        assertThat(second.login(resume(tenant, "a1", tokens.get(0))).status()).as("a new name keeps them")
                .isEqualTo(200);
        assertThat(first.admin("PATCH", agents + "a1", Map.of("password", "a-new-password")).status()).isEqualTo(200);
        assertThat(second.login(resume(tenant, "a1", tokens.get(0))).status()).as("a new password").isEqualTo(401);

        first.admin("PATCH", agents + "a2", Map.of("enabled", false));
        first.admin("PATCH", agents + "a2", Map.of("enabled", true));
        assertThat(second.login(resume(tenant, "a2", tokens.get(1))).status()).as("disabled once").isEqualTo(401);
        assertThat(second.login(tenant, "a2", password("a2"), "outbound").status()).isEqualTo(200);

        first.admin("DELETE", agents + "a3", null);
        first.createAgent(tenant, "a3", password("a3"), List.of("outbound"));
        assertThat(second.login(resume(tenant, "a3", tokens.get(2))).status()).as("deleted, even if recreated")
                .isEqualTo(401);

        assertThat(first.admin("DELETE", agents + "a4/resume-tokens", null).status()).isEqualTo(204);
        assertThat(second.login(resume(tenant, "a4", tokens.get(3))).status()).as("the admin call").isEqualTo(401);
        assertThat(first.admin("DELETE", agents + "nobody/resume-tokens", null).errorCode())
                .isEqualTo("AGENT_NOT_FOUND");
        assertThat(first.admin("DELETE", "/v1/tenants/no-such-tenant/agents/a4/resume-tokens", null).errorCode())
                .isEqualTo("TENANT_NOT_FOUND");
    }

    @Test
    void redisHoldsOnlyDigestsAndAnAgentsNewestTenTokensAndAtMostFiveMore() {
        String tenant = Fixtures.tenant(first, 1, 0, 1);
        String key = "sg:{" + tenant + "}:resume:a1";
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < 15; i++) {
            tokens.add(first.login(tenant, "a1", password("a1"), "outbound").json().get("resumeToken").asText());
        }
        assertThat(seatgate.redis().sync().hlen(key)).as("within the slack").isEqualTo(15);
        tokens.add(first.login(tenant, "a1", password("a1"), "outbound").json().get("resumeToken").asText());

        assertThat(seatgate.redis().sync().hlen(key)).as("the sixteenth trims to the newest ten").isEqualTo(10);
        assertThat(first.login(resume(tenant, "a1", tokens.get(0))).status()).as("the oldest went").isEqualTo(401);
        assertThat(first.login(resume(tenant, "a1", tokens.get(5))).status()).isEqualTo(401);
        assertThat(first.login(resume(tenant, "a1", tokens.get(6))).status()).isEqualTo(200);
        assertThat(first.login(resume(tenant, "a1", tokens.get(15))).status()).isEqualTo(200);

        String everything = dump(tenant);
        for (String token : tokens) {
            assertThat(everything).doesNotContain(token.substring(token.indexOf('.') + 1));
        }
    }

    private static Map<String, String> resume(String tenant, String agentId, String token) {
        return Map.of("tenant", tenant, "agentId", agentId, "resumeToken", token, "licenseType", "outbound");
    }

    private static double hashed(ApiClient gateway) {
        return Scrape.parse(gateway.metrics()).value("seatgate_credential_checks_total", "result", "hashed");
    }

    /** Every key of the tenant with its value, as text. */
    private static String dump(String tenant) {
        var redis = seatgate.redis().sync();
        var text = new StringBuilder();
        for (String key : redis.scan(ScanArgs.Builder.matches("sg:{" + tenant + "}:*").limit(10_000)).getKeys()) {
            text.append(key).append(' ');
            switch (redis.type(key)) {
                case "hash" -> text.append(redis.hgetall(key));
                case "string" -> text.append(redis.get(key));
                case "zset" -> text.append(redis.zrange(key, 0, -1));
                default -> text.append(redis.type(key));
            }
            text.append('\n');
        }
        return text.toString();
    }
}
