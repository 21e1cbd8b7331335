package dev.seatgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.Gateway;
import dev.seatgate.testing.RawHttp;
import dev.seatgate.testing.SeatgateExtension;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * How the gateway serves the console over plain HTTP: no token, the right content types, a strict
 * Content-Security-Policy and nosniff on every answer, revalidation with ETags, and 404 for any name that is not
 * one of its files, however the path is written.
 */
class ConsoleServingIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    /** The console's policy: its own files only, nothing inline, no framing, no plugins, no form posts. */
    private static final String POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self';"
            + " connect-src 'self'; font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private static Gateway gateway;
    private static String base;

    @BeforeAll
    static void startGateway() {
        gateway = seatgate.startGateway();
        base = "http://127.0.0.1:" + gateway.adminPort();
    }

    @Test
    void thePageLoadsWithoutATokenUnderAStrictPolicy() throws Exception {
        HttpResponse<String> page = get("/console/", Map.of());

        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(header(page, "Content-Type")).isEqualTo("text/html; charset=utf-8");
        String policy = header(page, "Content-Security-Policy");
        assertThat(policy).isEqualTo(POLICY).doesNotContain("unsafe", "http:", "https:", "data:", "*");
        assertThat(header(page, "X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(header(page, "Cache-Control")).isEqualTo("no-cache");
        assertThat(header(page, "ETag")).matches("\"[0-9a-f]{32}\"");
        assertThat(page.body()).contains("<script type=\"module\" src=\"main.js\"></script>", "Sign in");
        assertThat(get("/v1/tenants/acme/licenses", Map.of()).statusCode()).as("the API still needs one")
                .isEqualTo(401);
    }

    @Test
    void everyFileComesWithItsContentType() throws Exception {
        Map<String, String> expected = Map.of("index.html", "text/html; charset=utf-8",
                "console.css", "text/css; charset=utf-8", "favicon.svg", "image/svg+xml; charset=utf-8");
        for (String name : ConsoleFiles.NAMES) {
            HttpResponse<String> file = get("/console/" + name, Map.of());
            assertThat(file.statusCode()).as(name).isEqualTo(200);
            assertThat(header(file, "Content-Type")).as(name)
                    .isEqualTo(expected.getOrDefault(name, "text/javascript; charset=utf-8"));
            assertThat(header(file, "Content-Security-Policy")).as(name).isEqualTo(POLICY);
            assertThat(header(file, "X-Content-Type-Options")).as(name).isEqualTo("nosniff");
        }
    }

    @Test
    void slashlessConsoleRedirectsToThePage() throws Exception {
        HttpResponse<String> redirect = get("/console", Map.of());

        assertThat(redirect.statusCode()).isEqualTo(301);
        assertThat(header(redirect, "Location")).isEqualTo("/console/");
    }

    @Test
    void anUnchangedFileIsRevalidatedWithoutItsContent() throws Exception {
        String etag = header(get("/console/main.js", Map.of()), "ETag");

        HttpResponse<String> same = get("/console/main.js", Map.of("If-None-Match", etag));
        HttpResponse<String> other = get("/console/main.js", Map.of("If-None-Match", "\"0123\""));

        assertThat(same.statusCode()).isEqualTo(304);
        assertThat(same.body()).isEmpty();
        assertThat(header(same, "ETag")).isEqualTo(etag);
        assertThat(other.statusCode()).isEqualTo(200);
    }

    @Test
    void anythingButTheConsolesOwnFilesIsNotFound() {
        // logback.xml and lua/claim.lua are on the class path beside console/; pom.xml is on the disk.
        List<String> paths = List.of("/console/nothing.js", "/console/INDEX.HTML", "/console/index.html%00",
                "/console/../pom.xml", "/console/..%2f..%2fpom.xml", "/console/%2e%2e%2flogback.xml",
                "/console/..%5clogback.xml", "/console/lua%2fclaim.lua", "/console/./index.html",
                "/console//index.html", "/console/%2fetc%2fpasswd", "/console/index.html/", "/console/logback.xml");
        for (String path : paths) {
            try (var http = new RawHttp(gateway.adminPort())) {
                String response = http.send("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n").readResponse();
                assertThat(response).as(path).startsWith("HTTP/1.1 404 ").contains("\"NOT_FOUND\"")
                        .doesNotContain("<configuration", "<project", "redis.call", "root:");
            }
        }
    }

    @Test
    void theConsoleIsOnlyRead() throws Exception {
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/console/index.html"))
                .POST(HttpRequest.BodyPublishers.ofString("x")).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(header(post, "Allow")).isEqualTo("GET");
    }

    private static HttpResponse<String> get(String path, Map<String, String> headers)
            throws IOException, InterruptedException {
        var request = HttpRequest.newBuilder(URI.create(base + path));
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }
}
