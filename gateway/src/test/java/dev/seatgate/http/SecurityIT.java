package dev.seatgate.http;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.ApiClient.Reply;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.LiveClient;
import dev.seatgate.testing.SeatgateExtension;
import dev.seatgate.testing.Tools;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Who may do what: TLS on both listeners, tenant-scoped admin tokens, and identifiers that cannot reach
 * another tenant's keys or Redis itself.
 */
class SecurityIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    private static final String ACME_TOKEN = "acme-admin-token-0123456789";
    private static final String GLOBEX_TOKEN = "globex-admin-token-0123456789";

    @Test
    void bothListenersServeHttpsWithTheConfiguredCertificate(@TempDir Path dir) throws Exception {
        Path certificate = dir.resolve("cert.pem");
        Gateway gateway = gatewayWithTls(certificate, dir.resolve("key.pem"));
        HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certificate))
                .connectTimeout(Duration.ofSeconds(5)).build();

        String tenant = SeatgateExtension.newTenantId();
        var put = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.adminPort()
                        + "/v1/tenants/" + tenant)).header("Authorization", "Bearer " + SeatgateExtension.ADMIN_TOKEN)
                .PUT(HttpRequest.BodyPublishers.ofString("{\"name\": \"TLS\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(put.statusCode()).isEqualTo(201);
        var login = trusting.send(HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + gateway.agentPort() + "/v1/login"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"tenant\":\"" + tenant + "\",\"agentId\":\"a1\","
                        + "\"password\":\"password-a1\",\"licenseType\":\"outbound\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(401); // served over TLS: the tenant has no agent a1
        assertThat(login.body()).contains("INVALID_CREDENTIALS");

        // A client that does not trust the certificate is refused in the handshake; plain HTTP gets nothing.
        HttpClient untrusting = HttpClient.newHttpClient();
        assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + gateway.agentPort() + "/healthz")).build(),
                HttpResponse.BodyHandlers.discarding())).isInstanceOf(SSLHandshakeException.class);
        assertThatThrownBy(() -> HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + gateway.agentPort() + "/healthz")).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding())).isInstanceOf(IOException.class);
    }

    /** The live socket is served over TLS as the HTTP API is: wss:// with the configured certificate. */
    @Test
    void theLiveSocketIsServedOverTlsToo(@TempDir Path dir) throws Exception {
        Path certificate = dir.resolve("cert.pem");
        Gateway gateway = gatewayWithTls(certificate, dir.resolve("key.pem"));
        HttpClient trusting = HttpClient.newBuilder().sslContext(trusting(certificate)).build();

        try (var socket = LiveClient.connect(URI.create("wss://127.0.0.1:" + gateway.agentPort() + "/v1/live"),
                trusting)) {
            LiveClient.Message refused = socket.send(Map.of("type", "login", "tenant", "nobody", "agentId", "a1",
                    "password", "password-a1", "licenseType", "outbound")).next();
            assertThat(refused.json().at("/error/code").asText()).isEqualTo("INVALID_CREDENTIALS");
            assertThat(socket.send(Map.of("type", "ping")).next().type()).isEqualTo("pong");
        }
        assertThatThrownBy(() -> LiveClient.connect(gateway.agentPort())).hasRootCauseInstanceOf(IOException.class);
    }

    /**
     * Over TLS 1.2 only suites with forward secrecy (ECDHE) and authenticated encryption are accepted: a client
     * that offers nothing else, such as RSA key exchange or CBC, is refused in the handshake.
     */
    @Test
    void tls12AcceptsOnlyForwardSecretAeadSuites(@TempDir Path dir) throws Exception {
        Path certificate = dir.resolve("cert.pem");
        Gateway gateway = gatewayWithTls(certificate, dir.resolve("key.pem"));
        SSLContext client = trusting(certificate);

        for (String weak : List.of("TLS_RSA_WITH_AES_128_CBC_SHA", "TLS_RSA_WITH_AES_128_GCM_SHA256",
                "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA", "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384")) {
            assertThatThrownBy(() -> handshake(client, gateway.agentPort(), "TLSv1.2", weak)).as(weak)
                    .isInstanceOf(SSLHandshakeException.class);
        }
        assertThat(handshake(client, gateway.agentPort(), "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
                .isEqualTo("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        assertThat(handshake(client, gateway.adminPort(), "TLSv1.2", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"))
                .isEqualTo("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
        assertThat(handshake(client, gateway.agentPort(), "TLSv1.3", "TLS_AES_256_GCM_SHA384"))
                .isEqualTo("TLS_AES_256_GCM_SHA384");
    }

    /** A handshake offering one protocol and one suite; the suite agreed on. */
    private static String handshake(SSLContext context, int port, String protocol, String suite) throws IOException {
        try (var socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5_000);
            socket.setEnabledProtocols(new String[] {protocol});
            socket.setEnabledCipherSuites(new String[] {suite});
            socket.startHandshake();
            return socket.getSession().getCipherSuite();
        }
    }

    /** /metrics lists every tenant's seats: a tenant's token never reads it once tenants have tokens. */
    @Test
    void metricsNeedTheMetricsOrOperatorTokenOnceTenantsHaveTokensAndNeverATenantsToken() {
        String metricsToken = "metrics-token-0123456789";
        var withMetricsToken = new ApiClient(seatgate.startGateway("SEATGATE_TENANT_ADMIN_TOKENS",
                "acme=" + ACME_TOKEN, "SEATGATE_METRICS_TOKEN", metricsToken));
        var withoutMetricsToken = new ApiClient(seatgate.startGateway("SEATGATE_TENANT_ADMIN_TOKENS",
                "acme=" + ACME_TOKEN));
        var operatorsOnly = new ApiClient(seatgate.startGateway());

        assertThat(withMetricsToken.adminRaw("GET", "/metrics", "").status()).isEqualTo(401);
        Reply tenants = withMetricsToken.adminRaw("GET", "/metrics", "", "Authorization", "Bearer " + ACME_TOKEN);
        assertThat(tenants.status()).isEqualTo(403);
        assertThat(tenants.errorCode()).isEqualTo("FORBIDDEN");
        assertThat(withMetricsToken.metrics("Authorization", "Bearer " + metricsToken)).contains("seatgate_");
        assertThat(withMetricsToken.metrics("Authorization", "Bearer " + SeatgateExtension.ADMIN_TOKEN))
                .contains("seatgate_");

        assertThat(withoutMetricsToken.adminRaw("GET", "/metrics", "").status()).isEqualTo(401);
        assertThat(withoutMetricsToken.adminRaw("GET", "/metrics", "", "Authorization", "Bearer " + ACME_TOKEN)
                .status()).isEqualTo(403);
        assertThat(withoutMetricsToken.metrics("Authorization", "Bearer " + SeatgateExtension.ADMIN_TOKEN))
                .contains("seatgate_");

        assertThat(operatorsOnly.metrics()).as("no tenant tokens: open, as Prometheus expects").contains("seatgate_");
    }

    @Test
    void aTenantTokenAdministersItsOwnTenantOnlyAndTheOperatorTokenAll() {
        var api = new ApiClient(seatgate.startGateway("SEATGATE_TENANT_ADMIN_TOKENS",
                "acme=" + ACME_TOKEN + ", globex=" + GLOBEX_TOKEN));
        for (String tenant : List.of("acme", "globex")) {
            assertThat(api.putTenant(tenant, "UTC").status()).isIn(200, 201);
        }
        String acme = "Bearer " + ACME_TOKEN;

        assertThat(api.adminRaw("GET", "/v1/tenants/acme/licenses", "", "Authorization", acme).status()).isEqualTo(200);
        assertThat(api.adminRaw("POST", "/v1/tenants/acme/agents", "{\"agentId\": \"ann\", \"name\": \"Ann\","
                + " \"password\": \"password-ann\"}", "Authorization", acme).status()).isIn(201, 409);
        for (String path : List.of("/v1/tenants/globex", "/v1/tenants/globex/licenses", "/v1/tenants/globex/agents",
                "/v1/tenants/globex/sessions", "/v1/tenants/globex/billing/events", "/v1/tenants/nobody")) {
            Reply forbidden = api.adminRaw("GET", path, "", "Authorization", acme);
            assertThat(forbidden.status()).as(path).isEqualTo(403);
            assertThat(forbidden.errorCode()).isEqualTo("FORBIDDEN");
        }
        Reply purchase = api.adminRaw("POST", "/v1/tenants/globex/licenses/outbound/purchases", "{\"count\": 5}",
                "Authorization", acme, "Idempotency-Key", "k1");
        assertThat(purchase.status()).isEqualTo(403);
        assertThat(api.licenses("globex").json().at("/licenses/outbound/pending")).as("nothing bought").isEmpty();
        assertThat(api.adminRaw("GET", "/v1/tenants/globex/agents", "", "Authorization", "Bearer " + GLOBEX_TOKEN)
                .status()).isEqualTo(200);
        // The operator's token still reaches every tenant; a made-up token reaches none.
        assertThat(api.admin("GET", "/v1/tenants/globex", null).status()).isEqualTo(200);
        assertThat(api.adminRaw("GET", "/v1/tenants/acme", "", "Authorization", "Bearer " + ACME_TOKEN + "x")
                .status()).isEqualTo(401);
    }

    /**
     * Ids that would mean something to Redis (hash tags, key separators, glob patterns, commands, control
     * bytes) are refused before any key is built, and nothing of them shows up in Redis.
     */
    @Test
    void identifiersThatCouldAddressOtherKeysAreRefused() {
        var api = new ApiClient(seatgate.startGateway());
        String victim = Fixtures.tenant(api, 1, 0, 1);
        Set<String> keysBefore = Set.copyOf(seatgate.redis().sync().keys("*"));
        List<String> hostile = List.of(victim + "}:agents", "{" + victim + "}", victim + ":leases:outbound", "*",
                victim + "\r\nFLUSHALL", "../" + victim, victim + " ", "x".repeat(65), "", "é", victim + "\u0000");

        for (String id : hostile) {
            String encoded = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
            Reply login = api.agent("POST", "/v1/login", ApiClient.json(Map.of("tenant", id, "agentId", "a1",
                    "password", password("a1"), "licenseType", "outbound")));
            Reply agentLogin = api.agent("POST", "/v1/login", ApiClient.json(Map.of("tenant", victim, "agentId", id,
                    "password", password("a1"), "licenseType", "outbound")));
            assertThat(login.status()).as("tenant %s", id).isEqualTo(400);
            assertThat(agentLogin.status()).as("agent %s", id).isEqualTo(400);
            if (!encoded.isEmpty()) {
                assertThat(api.admin("GET", "/v1/tenants/" + encoded + "/agents", null).status()).as(id).isIn(400, 404);
                assertThat(api.admin("GET", "/v1/tenants/" + victim + "/agents/" + encoded, null).status()).as(id)
                        .isIn(400, 404);
                assertThat(api.admin("PUT", "/v1/tenants/" + encoded, Map.of("name", "x")).status()).as(id)
                        .isIn(400, 404);
            }
        }
        assertThat(api.agent("POST", "/v1/heartbeat", "", "Authorization", "Bearer " + victim + "}.x.y").status())
                .isEqualTo(401);
        assertThat(Set.copyOf(seatgate.redis().sync().keys("*"))).as("no key was made").isEqualTo(keysBefore);
        assertThat(api.login(victim, "a1", password("a1"), "outbound").status()).as("the victim is intact").isEqualTo(200);
    }

    /** A gateway serving HTTPS with a fresh self-signed certificate for 127.0.0.1 (openssl). */
    private static Gateway gatewayWithTls(Path certificate, Path privateKey) {
        Tools.Run made = Tools.run(List.of(Tools.require("openssl", "openssl"), "req", "-x509", "-newkey", "rsa:2048",
                "-nodes", "-days", "1", "-subj", "/CN=seatgate-test", "-addext", "subjectAltName=IP:127.0.0.1",
                "-keyout", privateKey.toString(), "-out", certificate.toString()));
        assertThat(made.exitCode()).as(made.output()).isZero();
        return seatgate.startGateway("SEATGATE_TLS_CERTIFICATE", certificate.toString(),
                "SEATGATE_TLS_PRIVATE_KEY", privateKey.toString());
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            trust.setCertificateEntry("seatgate", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        var factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
