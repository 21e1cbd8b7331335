package dev.seatgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisUrisTest {

    @Test
    void everyFormLettuceReadsLosesItsPassword() {
        assertThat(RedisUris.redact("redis://s3cret@db:6379/0")).isEqualTo("redis://***@db:6379/0");
        assertThat(RedisUris.redact("redis://:s3cret@db:6379")).isEqualTo("redis://***@db:6379");
        assertThat(RedisUris.redact("rediss://app:s3cret@db:6380?timeout=5s")).isEqualTo("rediss://app:***@db:6380?timeout=5s");
        assertThat(RedisUris.redact("redis-sentinel://s3cret@s1:26379,s2:26379/?sentinelMasterId=main"))
                .isEqualTo("redis-sentinel://***@s1:26379,s2:26379/?sentinelMasterId=main");
        assertThat(RedisUris.redact("redis-cluster://app:s3cret@n1:6379,n2:6379")).isEqualTo("redis-cluster://app:***@n1:6379,n2:6379");
        assertThat(RedisUris.redact("redis-socket://s3cret@/var/run/redis.sock")).isEqualTo("redis-socket://***@/var/run/redis.sock");
        assertThat(RedisUris.redact("redis://app:p@ss/w0rd@db:6379")).isEqualTo("redis://app:***@db:6379");
    }

    @Test
    void aUriWithoutCredentialsIsShownAsItIs() {
        assertThat(RedisUris.redact("redis://127.0.0.1:6379")).isEqualTo("redis://127.0.0.1:6379");
        assertThat(RedisUris.redact("not a uri")).isEqualTo("not a uri");
    }
}
