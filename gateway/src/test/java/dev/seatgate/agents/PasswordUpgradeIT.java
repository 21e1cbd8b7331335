package dev.seatgate.agents;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.Json;
import dev.seatgate.config.HashingConfig;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Await;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.SeatgateExtension;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Passwords hashed by earlier versions (PBKDF2) keep working, and the agent's next successful login replaces the
 * hash with Argon2id at the gateway's cost, without changing anything the agent sees.
 */
class PasswordUpgradeIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static final Duration UPGRADE = Duration.ofSeconds(10);

    @Test
    void aLegacyHashStillLogsInAndIsReplacedByArgon2id() {
        var first = new ApiClient(seatgate.startGateway());
        var second = new ApiClient(seatgate.startGateway());
        String tenant = Fixtures.tenant(first, 2, 0, 1);
        storeHash(tenant, "a1", PasswordHash.pbkdf2Sha256(password("a1"), 1_000));

        var login = first.login(tenant, "a1", password("a1"), "outbound");

        assertThat(login.status()).as("%s", login).isEqualTo(200);
        assertThat(Await.until(UPGRADE, () -> storedHash(tenant, "a1").startsWith("$argon2id$v=19$m=64,t=1,p=1$")))
                .as("upgraded: %s", storedHash(tenant, "a1")).isTrue();
        assertThat(second.login(tenant, "a1", password("a1"), "outbound").status()).as("the same password, hashed anew")
                .isEqualTo(200);
        assertThat(second.login(tenant, "a1", "not-the-password", "outbound").status()).isEqualTo(401);
        assertThat(second.login(Map.of("tenant", tenant, "agentId", "a1", "licenseType", "outbound",
                "resumeToken", login.json().get("resumeToken").asText())).status())
                .as("not a password change: resume tokens stay").isEqualTo(200);
    }

    @Test
    void anArgon2idHashAtAnotherCostIsReplacedByOneAtTheGatewaysCost() {
        var api = new ApiClient(seatgate.startGateway());
        String tenant = Fixtures.tenant(api, 1, 0, 1);
        String heavier = PasswordHash.argon2id(password("a1"),
                new HashingConfig(128, 2, 1, Duration.ofSeconds(5)));
        storeHash(tenant, "a1", heavier);

        assertThat(api.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);

        assertThat(Await.until(UPGRADE, () -> storedHash(tenant, "a1").startsWith("$argon2id$v=19$m=64,t=1,p=1$")))
                .isTrue();
    }

    /** Stores the agent with another password hash, as an earlier version would have left it. */
    private static void storeHash(String tenant, String agentId, String hash) {
        var redis = seatgate.redis().sync();
        Agent agent = Json.read(redis.hget("sg:{" + tenant + "}:agents", agentId), Agent.class).withPasswordHash(hash);
        redis.hset("sg:{" + tenant + "}:agents", agentId, Json.write(agent));
        redis.hset("sg:{" + tenant + "}:gates", agentId, agent.gate());
    }

    private static String storedHash(String tenant, String agentId) {
        return Json.read(seatgate.redis().sync().hget("sg:{" + tenant + "}:agents", agentId), Agent.class)
                .passwordHash();
    }
}
