package dev.seatgate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seatgate.config.ConfigException;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.RedisServer;
import dev.seatgate.testing.SeatgateExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A Redis that wants a password: a wrong or missing one stops the gateway with one line, and never shows it. */
class RedisCredentialsIT {

    @RegisterExtension
    final SeatgateExtension seatgate = SeatgateExtension.perTest();

    @Test
    void aWrongPasswordStopsTheGatewayWithOneLineThatDoesNotShowIt() {
        try (RedisServer guarded = RedisServer.startOwn(false, "--requirepass", "the-right-one")) {
            String uri = "redis://not-the-password@127.0.0.1:" + guarded.port();

            assertThatThrownBy(() -> seatgate.startGateway("SEATGATE_REDIS_URI", uri))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("Redis at redis://***@127.0.0.1:" + guarded.port() + " refused the credentials of"
                            + " SEATGATE_REDIS_URI (WRONGPASS invalid username-password pair or user is disabled.)");
        }
    }

    @Test
    void noPasswordWhereOneIsNeededSaysSo() {
        try (RedisServer guarded = RedisServer.startOwn(false, "--requirepass", "the-right-one")) {
            assertThatThrownBy(() -> seatgate.startGateway("SEATGATE_REDIS_URI", "redis://127.0.0.1:" + guarded.port()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("Redis at redis://127.0.0.1:" + guarded.port()
                            + " refused the credentials of SEATGATE_REDIS_URI (NOAUTH");
        }
    }

    /** An ACL user without seatgate's channels would fail every script that publishes: the gateway says so. */
    @Test
    void anAclUserWithoutTheChannelsIsRefusedWithOneLine() {
        try (RedisServer guarded = RedisServer.startOwn(false, "--user", "seatgate", "on", ">pw", "~*", "+@all")) {
            assertThatThrownBy(() -> seatgate.startGateway("SEATGATE_REDIS_URI",
                    "redis://seatgate:pw@127.0.0.1:" + guarded.port()))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining("does not let this user publish on seatgate's channels (NOPERM")
                    .hasMessageContaining("&sg:*");
        }
        try (RedisServer allowed = RedisServer.startOwn(false, "--user", "seatgate", "on", ">pw", "~*", "&sg:*",
                "+@all")) {
            var api = new ApiClient(seatgate.startGateway("SEATGATE_REDIS_URI",
                    "redis://seatgate:pw@127.0.0.1:" + allowed.port()));
            assertThat(api.putTenant(SeatgateExtension.newTenantId(), "UTC").status()).isEqualTo(201);
        }
    }

    @Test
    void theRightPasswordWorks() {
        try (RedisServer guarded = RedisServer.startOwn(false, "--requirepass", "the-right-one")) {
            var api = new ApiClient(seatgate.startGateway("SEATGATE_REDIS_URI",
                    "redis://the-right-one@127.0.0.1:" + guarded.port()));

            assertThat(api.putTenant(SeatgateExtension.newTenantId(), "UTC").status()).isEqualTo(201);
        }
    }
}
