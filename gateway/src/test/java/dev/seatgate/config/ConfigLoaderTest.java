package dev.seatgate.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {

    @TempDir
    Path dir;

    @Test
    void defaultsAreThoseOfApiMd() {
        GatewayConfig config = ConfigLoader.load(List.of(), Map.of());

        assertThat(config.redisUri()).isEqualTo("redis://127.0.0.1:6379");
        assertThat(config.agentBind()).isEqualTo("0.0.0.0");
        assertThat(config.agentPort()).isEqualTo(8080);
        assertThat(config.adminBind()).isEqualTo("127.0.0.1");
        assertThat(config.adminPort()).isEqualTo(8081);
        assertThat(config.adminToken()).isEmpty();
        assertThat(config.activationDelay()).isEqualTo(Duration.ofMinutes(5));
        assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.secondLogin()).isEqualTo(SecondLoginPolicy.TAKEOVER);
        assertThat(config.redisTimeout()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.clockOffset()).isEqualTo(Duration.ZERO);
        assertThat(config.hashing().memoryKib()).isEqualTo(19_456);
        assertThat(config.hashing().passes()).isEqualTo(2);
        assertThat(config.hashing().maxQueueWait()).isEqualTo(Duration.ofSeconds(5));
        assertThat(config.resumeTtl()).isEqualTo(Duration.ofDays(7));
        assertThat(config.licenseCatalog()).isEmpty();
    }

    @Test
    void environmentOverridesTheFile() throws IOException {
        Path file = write("""
                leaseTtl: PT60S
                heartbeatInterval: PT20S
                secondLogin: reject
                adminPort: 9091
                """);

        GatewayConfig config = ConfigLoader.load(List.of("--config", file.toString()),
                Map.of("SEATGATE_LEASE_TTL", "PT45S", "SEATGATE_CLOCK_OFFSET", "P3DT-2H"));

        assertThat(config.leaseTtl()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.heartbeatInterval()).isEqualTo(Duration.ofSeconds(20));
        assertThat(config.secondLogin()).isEqualTo(SecondLoginPolicy.REJECT);
        assertThat(config.adminPort()).isEqualTo(9091);
        assertThat(config.clockOffset()).isEqualTo(Duration.ofDays(3).minusHours(2));
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = '|', value = {
            "SEATGATE_LEASE_TTL          | 30s          | SEATGATE_LEASE_TTL: '30s' (expected: an ISO-8601 duration such as PT30S)",
            "SEATGATE_LEASE_TTL          | PT1S         | SEATGATE_LEASE_TTL: 'PT1S' (expected: from PT2S to PT1H)",
            "SEATGATE_HEARTBEAT_INTERVAL | PT30S        | SEATGATE_HEARTBEAT_INTERVAL: PT30S (expected: shorter than the lease TTL PT30S, or every lease would lapse)",
            "SEATGATE_ACTIVATION_DELAY   | -PT5M        | SEATGATE_ACTIVATION_DELAY: '-PT5M' (expected: from PT0S to PT24H)",
            "SEATGATE_AGENT_PORT         | 70000        | SEATGATE_AGENT_PORT: '70000' (expected: an integer from 0 to 65535)",
            "SEATGATE_ADMIN_PORT         | http         | SEATGATE_ADMIN_PORT: 'http' (expected: an integer from 0 to 65535)",
            "SEATGATE_SECOND_LOGIN       | kick         | SEATGATE_SECOND_LOGIN: 'kick' (expected: takeover or reject)",
            "SEATGATE_REDIS_URI          | localhost    | SEATGATE_REDIS_URI: 'localhost' (expected: redis://[:password@]host:port[/db], rediss://..., redis-sentinel://host:port[,host:port]/?sentinelMasterId=NAME or redis-cluster://host:port[,host:port])",
            "SEATGATE_ADMIN_TOKEN        | short        | SEATGATE_ADMIN_TOKEN: expected at least 16 printable characters without spaces (e.g. from: openssl rand -hex 24)",
            "SEATGATE_PASSWORD_MEMORY_KIB | 4          | SEATGATE_PASSWORD_MEMORY_KIB: '4' (expected: an integer from 8 to 1048576)",
            "SEATGATE_HASH_QUEUE_WAIT    | PT0S         | SEATGATE_HASH_QUEUE_WAIT: 'PT0S' (expected: from PT0.1S to PT1M)",
            "SEATGATE_RESUME_TTL         | P1000D       | SEATGATE_RESUME_TTL: 'P1000D' (expected: from PT1M to P366D)",
            "SEATGATE_REDIS_TIMEOUT      | PT0S         | SEATGATE_REDIS_TIMEOUT: 'PT0S' (expected: from PT0.01S to PT1M)",
            "SEATGATE_PURCHASE_REPLICAS  | -1           | SEATGATE_PURCHASE_REPLICAS: '-1' (expected: an integer from 0 to 100)",
            "SEATGATE_MAX_CONNECTIONS    | 0            | SEATGATE_MAX_CONNECTIONS: '0' (expected: an integer from 1 to 10000000)",
            "SEATGATE_REQUEST_TIMEOUT    | PT0S         | SEATGATE_REQUEST_TIMEOUT: 'PT0S' (expected: from PT0.1S to PT10M)",
            "SEATGATE_MAX_HEADER_BYTES   | 100          | SEATGATE_MAX_HEADER_BYTES: '100' (expected: an integer from 1024 to 1048576)",
            "SEATGATE_MAX_HEADERS        | 2            | SEATGATE_MAX_HEADERS: '2' (expected: an integer from 8 to 10000)",
            "SEATGATE_TLS_CERTIFICATE    | /etc/hosts   | SEATGATE_TLS_CERTIFICATE: TLS needs both SEATGATE_TLS_CERTIFICATE and SEATGATE_TLS_PRIVATE_KEY (PEM files)",
            "SEATGATE_TENANT_ADMIN_TOKENS | acme       | SEATGATE_TENANT_ADMIN_TOKENS: expected tenant=token pairs separated by commas, each token at least 16 printable characters (e.g. from: openssl rand -hex 24)",
            "SEATGATE_TENANT_ADMIN_TOKENS | acme=short | SEATGATE_TENANT_ADMIN_TOKENS: expected tenant=token pairs separated by commas, each token at least 16 printable characters (e.g. from: openssl rand -hex 24)",
            "SEATGATE_TENANT_ADMIN_TOKENS | a}b=0123456789abcdef | SEATGATE_TENANT_ADMIN_TOKENS: expected tenant=token pairs separated by commas, each token at least 16 printable characters (e.g. from: openssl rand -hex 24)",
            "SEATGATE_TENANT_ADMIN_TOKENS | a=0123456789abcdef,b=0123456789abcdef | SEATGATE_TENANT_ADMIN_TOKENS: every tenant, and every token, may appear only once (and no tenant token may equal SEATGATE_ADMIN_TOKEN)",
    })
    void aBadValueNamesTheSettingAndWhatWasExpected(String variable, String value, String message) {
        assertThatThrownBy(() -> ConfigLoader.load(List.of(), Map.of(variable, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    @Test
    void tenantTokensAndHttpLimitsAreRead() {
        GatewayConfig config = ConfigLoader.load(List.of(), Map.of(
                "SEATGATE_TENANT_ADMIN_TOKENS", "acme=acme-token-0123456789, globex = globex-token-0123456789",
                "SEATGATE_MAX_CONNECTIONS", "100", "SEATGATE_REQUEST_TIMEOUT", "PT2S",
                "SEATGATE_MAX_HEADER_BYTES", "4096", "SEATGATE_MAX_HEADERS", "20", "SEATGATE_PURCHASE_REPLICAS", "1"));

        assertThat(config.tenantAdminTokens()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "acme", "acme-token-0123456789", "globex", "globex-token-0123456789"));
        assertThat(config.httpLimits()).isEqualTo(new HttpLimits(100, Duration.ofSeconds(2), 4096, 20));
        assertThat(config.purchaseReplicas()).isEqualTo(1);
        assertThat(ConfigLoader.load(List.of(), Map.of()).httpLimits()).isEqualTo(HttpLimits.DEFAULT);
    }

    @Test
    void tlsFilesMustHoldACertificateAndItsKey() throws IOException {
        Path notPem = write("not a certificate");
        assertThatThrownBy(() -> ConfigLoader.load(List.of(), Map.of("SEATGATE_TLS_CERTIFICATE", notPem.toString(),
                "SEATGATE_TLS_PRIVATE_KEY", notPem.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("SEATGATE_TLS_CERTIFICATE, SEATGATE_TLS_PRIVATE_KEY: not a usable PEM certificate");
        assertThatThrownBy(() -> ConfigLoader.load(List.of(), Map.of("SEATGATE_TLS_CERTIFICATE", "/no/such.pem",
                "SEATGATE_TLS_PRIVATE_KEY", notPem.toString())))
                .isInstanceOf(ConfigException.class)
                .hasMessage("SEATGATE_TLS_CERTIFICATE: '/no/such.pem' is not a readable file");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "redis://127.0.0.1:6379", "redis://:s3cret@redis.internal:6380/2", "rediss://cache.example.com:6380",
            "redis-sentinel://10.0.0.1:26379,10.0.0.2:26379/?sentinelMasterId=seatgate",
            "redis-cluster://10.0.0.1:7000,10.0.0.2:7000,[::1]:7002"})
    void acceptsEveryDocumentedRedisUriForm(String uri) {
        assertThat(ConfigLoader.load(List.of(), Map.of("SEATGATE_REDIS_URI", uri)).redisUri()).isEqualTo(uri);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "redis://host:notaport", "redis://a:1,b:2", "redis-sentinel://10.0.0.1:26379", "http://127.0.0.1:6379",
            "redis://"})
    void refusesRedisUrisItCannotConnectWith(String uri) {
        assertThatThrownBy(() -> ConfigLoader.load(List.of(), Map.of("SEATGATE_REDIS_URI", uri)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("SEATGATE_REDIS_URI: '" + uri + "' (expected: redis://");
    }

    @Test
    void aBadValueInTheFileNamesTheKeyAndTheFile() throws IOException {
        Path file = write("leaseTtl: soon\n");

        assertThatThrownBy(() -> ConfigLoader.load(List.of("--config", file.toString()), Map.of()))
                .hasMessage("leaseTtl (in " + file + "): 'soon' (expected: an ISO-8601 duration such as PT30S)");
    }

    @Test
    void brokenYamlIsReportedWithItsLine() throws IOException {
        Path file = write("leaseTtl: PT30S\nadminToken: [unclosed\nagentPort: 8080\n");

        assertThatThrownBy(() -> ConfigLoader.load(List.of("--config", file.toString()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("--config: " + file + " is not valid YAML at line 3, column ");
    }

    /** --help shows these: each, set explicitly, must give the very configuration that leaving it unset gives. */
    @Test
    void theDefaultsShownAreTheOnesApplied() {
        Map<Setting, String> defaults = ConfigLoader.defaults();
        GatewayConfig unset = ConfigLoader.load(List.of(), Map.of());

        assertThat(defaults).containsEntry(Setting.LEASE_TTL, "PT30S").containsEntry(Setting.AGENT_PORT, "8080")
                .containsEntry(Setting.RESUME_TTL, "P7D").containsEntry(Setting.LOG_LEVEL, "INFO")
                .doesNotContainKey(Setting.ADMIN_TOKEN);
        defaults.forEach((setting, value) -> {
            if (setting.envName() != null) {
                assertThat(ConfigLoader.load(List.of(), Map.of(setting.envName(), value))).as(setting.envName())
                        .isEqualTo(unset);
            }
        });
    }

    @Test
    void anUnknownKeyInTheFileIsAnError() throws IOException {
        Path file = write("leaseTTL: PT30S\n");

        assertThatThrownBy(() -> ConfigLoader.load(List.of("--config", file.toString()), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("leaseTTL (in " + file + "): unknown setting (expected one of: redisUri,");
    }

    @Test
    void aMissingFileOrArgumentIsAnError() {
        assertThatThrownBy(() -> ConfigLoader.load(List.of("--config", dir.resolve("nope.yaml").toString()), Map.of()))
                .hasMessage("--config: " + dir.resolve("nope.yaml") + " does not exist");
        assertThatThrownBy(() -> ConfigLoader.load(List.of("--config"), Map.of()))
                .hasMessage("--config: missing file name (expected: --config FILE)");
        assertThatThrownBy(() -> ConfigLoader.load(List.of("--port", "1"), Map.of()))
                .hasMessage("unknown argument '--port' (expected: --config FILE, --help or --version)");
    }

    private Path write(String yaml) throws IOException {
        Path file = Files.createTempFile(dir, "seatgate", ".yaml");
        Files.writeString(file, yaml);
        return file;
    }
}
