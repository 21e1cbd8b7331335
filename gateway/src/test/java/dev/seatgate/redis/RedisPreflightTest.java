package dev.seatgate.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RedisPreflightTest {

    private static String info(String version, String policy) {
        return "# Server\r\nredis_version:" + version + "\r\nredis_mode:standalone\r\n# Memory\r\nused_memory:1\r\n"
                + "maxmemory_policy:" + policy + "\r\n";
    }

    @Test
    void redisSevenThatNeverEvictsIsFit() {
        assertThat(RedisPreflight.problem("r:6379", List.of(info("7.0.15", "noeviction")))).isEmpty();
        assertThat(RedisPreflight.problem("r:6379", List.of(info("7.2.4", "noeviction"), info("8.0.0", "noeviction"))))
                .isEmpty();
    }

    @Test
    void anyEvictionPolicyOnAnyMasterIsNamed() {
        assertThat(RedisPreflight.problem("r:6379", List.of(info("7.0.15", "noeviction"), info("7.0.15", "volatile-lru"))))
                .hasValueSatisfying(problem -> assertThat(problem)
                        .startsWith("Redis at r:6379 has maxmemory-policy volatile-lru,"));
    }

    @Test
    void redisSixIsTooOld() {
        assertThat(RedisPreflight.problem("r:6379", List.of(info("6.2.14", "noeviction"))))
                .hasValue("Redis at r:6379 is version 6.2; seatgate needs Redis 7.0 or later");
    }

    @Test
    void refusedCredentialsAreToldApartFromOutages() {
        assertThat(RedisPreflight.isAuthenticationFailure("WRONGPASS invalid username-password pair or user is disabled."))
                .isTrue();
        assertThat(RedisPreflight.isAuthenticationFailure("NOAUTH Authentication required.")).isTrue();
        assertThat(RedisPreflight.isAuthenticationFailure("Connection refused")).isFalse();
    }
}
