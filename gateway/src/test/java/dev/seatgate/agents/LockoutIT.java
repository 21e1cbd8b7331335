package dev.seatgate.agents;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.Scrape;
import dev.seatgate.testing.SeatgateExtension;
import java.util.ArrayList;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Brute-force protection across gateways: failed logins are counted in Redis per agent and per client
 * address; past the threshold, 429 with Retry-After, also for the right password, until the window passes.
 * Each test gets its own Redis, since the address counters are global.
 */
class LockoutIT {

    @RegisterExtension
    final SeatgateExtension seatgate = SeatgateExtension.perTest();

    private static final String[] LOCKOUT = {
            "SEATGATE_LOCKOUT_AGENT_FAILURES", "3", "SEATGATE_LOCKOUT_ADDRESS_FAILURES", "6",
            "SEATGATE_LOCKOUT_WINDOW", "PT3S"};

    @Test
    void anAgentIsLockedOutAcrossGatewaysEvenWithTheRightPasswordUntilTheWindowPasses() throws Exception {
        var first = new ApiClient(seatgate.startGateway(LOCKOUT));
        var second = new ApiClient(seatgate.startGateway(LOCKOUT));
        String tenant = Fixtures.tenant(first, 2, 0, 2);

        assertThat(first.login(tenant, "a1", "guess-1", "outbound").errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(second.login(tenant, "a1", "guess-2", "outbound").errorCode()).isEqualTo("INVALID_CREDENTIALS");
        assertThat(first.login(tenant, "a1", "guess-3", "outbound").errorCode()).isEqualTo("INVALID_CREDENTIALS");

        Reply locked = second.login(tenant, "a1", password("a1"), "outbound");
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.errorCode()).isEqualTo("TOO_MANY_ATTEMPTS");
        assertThat(Integer.parseInt(locked.header("Retry-After"))).isBetween(1, 3);
        assertThat(first.login(tenant, "a2", password("a2"), "outbound").status()).as("other agents are fine")
                .isEqualTo(200);

        Thread.sleep(Integer.parseInt(locked.header("Retry-After")) * 1000L + 200);
        assertThat(second.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);
    }

    /** The right password, cached by the gateway from an earlier login, is locked out all the same. */
    @Test
    void anAgentWhosePasswordIsCachedIsLockedOutToo() {
        var api = new ApiClient(seatgate.startGateway(LOCKOUT));
        String tenant = Fixtures.tenant(api, 1, 0, 1);
        Reply earlier = api.login(tenant, "a1", password("a1"), "outbound");
        assertThat(earlier.status()).isEqualTo(200);
        assertThat(api.logout(earlier.json().at("/sessionToken").asText()).status()).isEqualTo(204);
        for (int i = 1; i <= 3; i++) {
            assertThat(api.login(tenant, "a1", "guess-" + i, "outbound").status()).isEqualTo(401);
        }
        double cacheHits = Scrape.parse(api.metrics()).value("seatgate_credential_checks_total", "result", "cache_hit");

        Reply locked = api.login(tenant, "a1", password("a1"), "outbound");

        assertThat(Scrape.parse(api.metrics()).value("seatgate_credential_checks_total", "result", "cache_hit"))
                .as("the password was found in the cache").isEqualTo(cacheHits + 1);
        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.errorCode()).isEqualTo("TOO_MANY_ATTEMPTS");
    }

    /**
     * Sixty wrong guesses at one agent at once, against a limit of 10, with the real hash cost: each attempt is
     * counted before its hash, so exactly 10 are hashed and the other 50 refused at once (checked after the
     * hash, as before, 27 of 60 got through).
     */
    @Test
    void parallelGuessesCannotOutrunTheAgentsLimit() {
        var api = new ApiClient(seatgate.startGateway("SEATGATE_LOCKOUT_AGENT_FAILURES", "10",
                "SEATGATE_LOCKOUT_ADDRESS_FAILURES", "1000", "SEATGATE_PASSWORD_MEMORY_KIB", "19456",
                "SEATGATE_PASSWORD_PASSES", "2"));
        String tenant = Fixtures.tenant(api, 1, 0, 1);

        var guesses = new ArrayList<CompletableFuture<Reply>>();
        for (int i = 0; i < 60; i++) {
            guesses.add(api.loginAsync(tenant, "a1", "guess-" + i, "outbound"));
        }
        Map<Integer, Long> statuses = guesses.stream().map(CompletableFuture::join)
                .collect(Collectors.groupingBy(Reply::status, TreeMap::new, Collectors.counting()));

        assertThat(statuses).containsExactlyEntriesOf(new TreeMap<>(Map.of(401, 10L, 429, 50L)));
        assertThat(Scrape.parse(api.metrics()).value("seatgate_credential_checks_total", "result", "hashed"))
                .isEqualTo(10);
        assertThat(api.login(tenant, "a1", password("a1"), "outbound").status()).as("the right password too")
                .isEqualTo(429);
    }

    @Test
    void anAddressIsLockedOutAfterFailuresAgainstManyAgents() {
        var api = new ApiClient(seatgate.startGateway(LOCKOUT));
        String tenant = Fixtures.tenant(api, 2, 0, 7);
        for (int i = 1; i <= 6; i++) {
            assertThat(api.login(tenant, "a" + i, "wrong-password", "outbound").status()).isEqualTo(401);
        }

        Reply locked = api.login(tenant, "a7", password("a7"), "outbound");

        assertThat(locked.status()).isEqualTo(429);
        assertThat(locked.header("Retry-After")).isNotNull();
        assertThat(api.login("no-such-tenant", "x", "whatever-pw", "outbound").status())
                .as("any tenant, from that address").isEqualTo(429);
    }

    @Test
    void seatRefusalsAreNotFailedLoginsAndASuccessClearsTheAgentsCount() {
        var api = new ApiClient(seatgate.startGateway(LOCKOUT));
        String tenant = Fixtures.tenant(api, 0, 0, 1);
        for (int i = 0; i < 5; i++) {
            assertThat(api.login(tenant, "a1", password("a1"), "outbound").errorCode()).isEqualTo("SEATS_EXHAUSTED");
        }
        assertThat(api.purchase(tenant, "outbound", 1, "one-seat").status()).isEqualTo(201);

        assertThat(api.login(tenant, "a1", "wrong-1", "outbound").status()).isEqualTo(401);
        assertThat(api.login(tenant, "a1", "wrong-2", "outbound").status()).isEqualTo(401);
        assertThat(api.login(tenant, "a1", password("a1"), "outbound").status()).isEqualTo(200);
        assertThat(api.login(tenant, "a1", "wrong-3", "outbound").status()).isEqualTo(401);
        assertThat(api.login(tenant, "a1", "wrong-4", "outbound").status()).isEqualTo(401);

        assertThat(api.login(tenant, "a1", password("a1"), "outbound").status())
                .as("2 failures since the success, under the threshold of 3").isEqualTo(200);
    }

    @Test
    void forwardedForCountsOnlyFromATrustedProxy() {
        var behindProxy = new ApiClient(seatgate.startGateway(SeatgateExtension.settings(LOCKOUT, "SEATGATE_TRUSTED_PROXIES", "127.0.0.1")));
        String tenant = Fixtures.tenant(behindProxy, 1, 0, 7);
        for (int i = 1; i <= 6; i++) {
            assertThat(loginFrom(behindProxy, tenant, "a" + i, "wrong-password", "198.51.100.1").status())
                    .isEqualTo(401);
        }

        assertThat(loginFrom(behindProxy, tenant, "a7", password("a7"), "198.51.100.1").status()).isEqualTo(429);
        assertThat(loginFrom(behindProxy, tenant, "a7", password("a7"), "198.51.100.2").status())
                .as("another client behind the same proxy").isEqualTo(200);
    }

    /**
     * A client sends an X-Forwarded-For line of its own, a fresh lie every time, and the proxy (as HAProxy's
     * {@code option forwardfor} does) adds a line with the address it saw: every line counts, the right-most
     * untrusted hop wins, and the liar is locked out by the address the proxy vouches for.
     */
    @Test
    void aForgedLineBeforeTheProxysOwnCannotDodgeTheAddressLockout() {
        var behindProxy = new ApiClient(seatgate.startGateway(SeatgateExtension.settings(LOCKOUT,
                "SEATGATE_TRUSTED_PROXIES", "127.0.0.1")));
        String tenant = Fixtures.tenant(behindProxy, 1, 0, 7);
        for (int i = 1; i <= 6; i++) {
            assertThat(loginThroughProxy(behindProxy, tenant, "a" + i, "wrong-password", "198.51.100." + i).status())
                    .isEqualTo(401);
        }

        assertThat(loginThroughProxy(behindProxy, tenant, "a7", password("a7"), "198.51.100.99").status())
                .isEqualTo(429);
        assertThat(loginFrom(behindProxy, tenant, "a7", password("a7"), "203.0.113.8").status())
                .as("another client behind the same proxy").isEqualTo(200);
    }

    private static Reply loginThroughProxy(ApiClient api, String tenant, String agentId, String password,
                                           String forged) {
        return api.agent("POST", "/v1/login", ApiClient.json(Map.of("tenant", tenant, "agentId", agentId,
                "password", password, "licenseType", "outbound")), "X-Forwarded-For", forged,
                "X-Forwarded-For", "203.0.113.7");
    }

    @Test
    void forwardedForIsIgnoredFromAnyoneElse() {
        var direct = new ApiClient(seatgate.startGateway(LOCKOUT));
        String tenant = Fixtures.tenant(direct, 1, 0, 7);
        for (int i = 1; i <= 6; i++) {
            assertThat(loginFrom(direct, tenant, "a" + i, "wrong-password", "198.51.100." + i).status()) // a fresh lie
                    .isEqualTo(401);
        }

        assertThat(loginFrom(direct, tenant, "a7", password("a7"), "198.51.100.99").status()).isEqualTo(429);
    }

    private static Reply loginFrom(ApiClient api, String tenant, String agentId, String password, String forwardedFor) {
        return api.agent("POST", "/v1/login", ApiClient.json(Map.of("tenant", tenant, "agentId", agentId,
                "password", password, "licenseType", "outbound")), "X-Forwarded-For", forwardedFor);
    }

}
