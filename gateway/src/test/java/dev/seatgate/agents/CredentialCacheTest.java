package dev.seatgate.agents;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialCacheTest {

    @Test
    void remembersAVerifiedPasswordOnlyForThatAgentAndPassword() {
        var cache = new CredentialCache(100);
        cache.remember("acme", "1001", "correct horse", "cred-1");

        assertThat(cache.verified("acme", "1001", "correct horse")).hasValue("cred-1");
        assertThat(cache.verified("acme", "1001", "wrong horse")).isEmpty();
        assertThat(cache.verified("acme", "1002", "correct horse")).isEmpty();
        assertThat(cache.verified("other", "1001", "correct horse")).isEmpty();
    }

    @Test
    void anInvalidationMessageForgetsTheAgent() {
        var cache = new CredentialCache(100);
        cache.remember("acme", "1001", "correct horse", "cred-1");
        cache.remember("acme", "1002", "battery staple", "cred-2");

        cache.onInvalidation(CredentialCache.invalidation("acme", "1001"));

        assertThat(cache.verified("acme", "1001", "correct horse")).isEmpty();
        assertThat(cache.verified("acme", "1002", "battery staple")).hasValue("cred-2");
    }

    @Test
    void sizeZeroRemembersNothing() {
        var cache = new CredentialCache(0);
        cache.remember("acme", "1001", "correct horse", "cred-1");

        assertThat(cache.verified("acme", "1001", "correct horse")).isEmpty();
    }
}
