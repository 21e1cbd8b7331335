package dev.seatgate.redis;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seatgate.config.ConfigException;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.RedisServer;
import dev.seatgate.testing.SeatgateExtension;
import io.lettuce.core.FlushMode;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A full Redis refuses what needs memory and serves what frees it; a Redis that may evict is not used at all.
 */
class RedisMemoryIT {

    @RegisterExtension
    final SeatgateExtension seatgate = SeatgateExtension.perTest();

    @Test
    void aRedisThatMayEvictKeysIsRefusedAtStartWithOneLineThatSaysWhy() {
        try (RedisServer evicting = RedisServer.startOwn(false, "--maxmemory", "64mb", "--maxmemory-policy",
                "allkeys-lru")) {
            assertThatThrownBy(() -> seatgate.startGateway("SEATGATE_REDIS_URI", evicting.uri()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("has maxmemory-policy allkeys-lru")
                    .hasMessageContaining("set maxmemory-policy noeviction");
        }
    }

    /**
     * At {@code maxmemory} with {@code noeviction}: a login (even a takeover, whose first write would free a
     * little) and a purchase are refused with 503 before they change anything, while heartbeats, logouts and
     * reads go on; with room again, logins work.
     */
    @Test
    void aFullRedisRefusesLoginsAndPurchasesButKeepsHeartbeatsAndLogouts() {
        try (RedisServer small = RedisServer.startOwn(false, "--maxmemory", "16mb")) {
            var api = new ApiClient(seatgate.startGateway("SEATGATE_REDIS_URI", small.uri()));
            String tenant = SeatgateExtension.newTenantId();
            assertThat(api.putTenant(tenant, "UTC").status()).isEqualTo(201);
            assertThat(api.purchase(tenant, "outbound", 2, "p1").status()).isEqualTo(201);
            assertThat(api.createAgent(tenant, "a1", password("a1"), List.of("outbound")).status()).isEqualTo(201);
            assertThat(api.createAgent(tenant, "a2", password("a2"), List.of("outbound")).status()).isEqualTo(201);
            String held = api.login(tenant, "a1", password("a1"), "outbound").json().at("/sessionToken").asText();
            String other = api.login(tenant, "a2", password("a2"), "outbound").json().at("/sessionToken").asText();

            RedisCommands<String, String> redis = small.sync();
            fill(redis);

            Reply takeover = api.login(tenant, "a1", password("a1"), "outbound");
            assertThat(takeover.status()).isEqualTo(503);
            assertThat(takeover.json().at("/error/message").asText()).contains("out of memory");
            assertThat(api.purchase(tenant, "outbound", 1, "p2").status()).isEqualTo(503);
            assertThat(api.heartbeat(held).status()).isEqualTo(200);
            assertThat(api.licenses(tenant).json().at("/licenses/outbound/inUse").asInt()).isEqualTo(2);
            assertThat(api.logout(other).status()).isEqualTo(204);
            assertThat(api.licenses(tenant).json().at("/licenses/outbound/inUse").asInt()).isEqualTo(1);

            redis.flushdb(); // everything gone, the tenant too: only room is what this step gives back
            assertThat(api.putTenant(tenant, "UTC").status()).isEqualTo(201);
        }
    }

    /**
     * A full Redis refuses {@code FUNCTION LOAD} (it did not refuse {@code SCRIPT LOAD}): one that lost the script
     * library while full gets it back only once there is room, and meanwhile every call answers 503, not 500.
     */
    @Test
    void aFullRedisWithoutTheScriptLibraryAnswers503UntilThereIsRoomToLoadIt() {
        try (RedisServer small = RedisServer.startOwn(false, "--maxmemory", "16mb")) {
            var api = new ApiClient(seatgate.startGateway("SEATGATE_REDIS_URI", small.uri()));
            String tenant = SeatgateExtension.newTenantId();
            assertThat(api.putTenant(tenant, "UTC").status()).isEqualTo(201);
            assertThat(api.createAgent(tenant, "a1", password("a1"), List.of("outbound")).status()).isEqualTo(201);
            RedisCommands<String, String> redis = small.sync();
            fill(redis);
            redis.functionFlush(FlushMode.SYNC);

            Reply refused = api.login(tenant, "a1", password("a1"), "outbound");
            assertThat(refused.status()).isEqualTo(503);
            assertThat(api.licenses(tenant).status()).as("a read, whose function may run when full").isEqualTo(503);

            redis.flushdb();
            assertThat(api.putTenant(tenant, "UTC").status()).isEqualTo(201);
        }
    }

    /**
     * Takes Redis past its maxmemory: a script allowed to run out of memory writes 20 MB (plain writes cannot:
     * Redis refuses one once it is over, and their own arguments are what took it over).
     */
    private static void fill(RedisCommands<String, String> redis) {
        redis.eval("#!lua flags=allow-oom\nfor i = 1, 2000 do redis.call('SET', 'ballast:' .. i,"
                + " string.rep('x', 10000)) end\nreturn 'OK'", ScriptOutputType.STATUS);
        assertThatThrownBy(() -> redis.set("one-more", "x")).hasMessageStartingWith("OOM");
    }
}
