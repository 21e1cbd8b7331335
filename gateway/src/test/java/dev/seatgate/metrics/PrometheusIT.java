package dev.seatgate.metrics;

import static dev.seatgate.testing.Fixtures.password;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.seatgate.Gateway;
import dev.seatgate.testing.ApiClient;
import dev.seatgate.testing.Await;
import dev.seatgate.testing.Fixtures;
import dev.seatgate.testing.RedisServer;
import dev.seatgate.testing.Scrape;
import dev.seatgate.testing.SeatgateExtension;
import dev.seatgate.testing.Tools;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real Prometheus (Debian's package), started on loopback with the repository's own scrape config and
 * alert rules pointed at two gateways: after traffic, every PromQL expression of the dashboard and of the
 * alert rules evaluates without error, every panel returns data (the wait-time panel a number: the traffic has a
 * login that waits in line; the campaign panel one session against the campaign's max and reserved: one agent works
 * in a campaign), and every metric a panel, a template variable or an alert selects is one the gateway
 * exports, with label values that select series: a misspelt name or label value would otherwise evaluate quietly
 * to nothing.
 */
class PrometheusIT {

    @RegisterExtension
    static final SeatgateExtension seatgate = new SeatgateExtension();

    @TempDir
    static Path dir;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Path DOCKER = Tools.repository().resolve("docker");

    /** Series Prometheus makes itself rather than scraping them. */
    private static final Set<String> PROMETHEUS_OWN = Set.of("up");
    /** Grafana's variables: ranges become a minute, selections everything. */
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{?(\\w+)}?");

    private static Process prometheus;
    private static String api;
    /** The names of the metrics a gateway exports, as its /metrics lists them. */
    private static Set<String> exported;
    /** When Prometheus had scraped the one wait in line of the test's traffic. */
    private static Instant waitScrapedAt;
    /** The campaign of the test's tenant, with one agent working in it. */
    private static final String CAMPAIGN = "sales";
    /** The tenant of the test's traffic. */
    private static String theTenant;

    @BeforeAll
    static void startGatewaysAndPrometheus() throws Exception {
        String[] settings = {"SEATGATE_METRICS_REFRESH", "PT1S", "SEATGATE_METRICS_TENANT_MIN_SEATS", "1"};
        Gateway first = seatgate.startGateway(settings);
        Gateway second = seatgate.startGateway(settings);
        // Micrometer registers the GC pause timer at the first collection it sees; the GC panel and alert
        // select it, so make sure there was one after the gateways started.
        System.gc();

        // The repository's own config, with the targets and intervals changed for a test on loopback.
        ObjectNode config = (ObjectNode) YAML.readTree(DOCKER.resolve("prometheus/prometheus.yml").toFile());
        ((ObjectNode) config.get("global")).put("scrape_interval", "1s").put("evaluation_interval", "1s");
        config.putArray("rule_files").add(DOCKER.resolve("prometheus/alerts.yml").toString());
        var targets = ((ObjectNode) config.at("/scrape_configs/0/static_configs/0")).putArray("targets");
        targets.add("127.0.0.1:" + first.adminPort()).add("127.0.0.1:" + second.adminPort());
        Path file = dir.resolve("prometheus.yml");
        YAML.writeValue(file.toFile(), config);

        int port = RedisServer.freePort();
        api = "http://127.0.0.1:" + port;
        prometheus = new ProcessBuilder(Tools.require("prometheus", "prometheus"),
                "--config.file=" + file, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();

        var admitted = new ApiClient(first);
        var refused = new ApiClient(second);
        String tenant = Fixtures.tenant(admitted, 2, 1, 4);
        // A campaign with a cap and a reservation, a2 working in it: the campaign panel's in_use, max and reserved.
        // a2 in the campaign meets the reservation, so a1 and a3 (no campaign) still have the other seat between them.
        ApiClient.Reply campaign = admitted.admin("PUT", "/v1/tenants/" + tenant + "/campaigns/" + CAMPAIGN,
                Map.of("name", "Sales", "limits", Map.of("outbound", Map.of("max", 3, "reserved", 1))));
        assertThat(campaign.status()).as(campaign.toString()).isEqualTo(201);
        for (int round = 0; round < 3; round++) {
            admitted.login(tenant, "a1", password("a1"), "outbound");
            ApiClient.Reply inCampaign = admitted.login(Map.of("tenant", tenant, "agentId", "a2", "password",
                    password("a2"), "licenseType", "outbound", "campaign", CAMPAIGN));
            assertThat(inCampaign.status()).as(inCampaign.toString()).isEqualTo(200);
            refused.login(tenant, "a3", password("a3"), "outbound");
            refused.login(tenant, "a4", "wrong-password", "closer");
        }
        await("both gateways scraped, twice", () -> query("count(up{job=\"seatgate\"} == 1)").at("/data/result/0/value/1")
                .asText().equals("2") && !query("rate(seatgate_logins_total[1m])").at("/data/result").isEmpty()
                && !query("rate(seatgate_jvm_gc_pause_seconds_sum[1m])").at("/data/result").isEmpty());
        // One login waits in line and is handed the seat a logout frees. It comes after Prometheus has scraped the
        // gateways, so that the wait shows as an increase of the histogram rather than as its first sample.
        String holder = Fixtures.sessionToken(admitted.login(tenant, "a1", password("a1"), "outbound"));
        ApiClient.Reply queued = refused.queuedLogin(tenant, "a3", "outbound");
        assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
        var wait = refused.waitAsync(queued.json().get("ticket").asText(), 20);
        assertThat(admitted.logout(holder).status()).isEqualTo(204);
        assertThat(wait.join().status()).isEqualTo(200);
        await("the wait in line scraped", () -> !query("sum(increase(seatgate_queue_wait_seconds_count[1m])) > 0")
                .at("/data/result").isEmpty());
        waitScrapedAt = Instant.now();
        await("the campaign's session scraped", () -> !query("max(seatgate_tenant_campaign_seats{tenant=\"" + tenant
                + "\", campaign=\"" + CAMPAIGN + "\", state=\"in_use\"}) == 1").at("/data/result").isEmpty());
        theTenant = tenant;
        exported = Scrape.parse(new ApiClient(first).metrics()).samples().stream().map(Scrape.Sample::name)
                .collect(Collectors.toSet());
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.destroyForcibly();
        }
    }

    @Test
    void everyDashboardExpressionEvaluatesAndEveryPanelHasData() throws Exception {
        JsonNode dashboard = JSON.readTree(DOCKER.resolve("grafana/dashboards/seatgate.json").toFile());
        var failures = new ArrayList<String>();
        for (JsonNode panel : DeploymentFilesTest.panels(dashboard)) {
            for (JsonNode target : panel.path("targets")) {
                String expr = asGrafanaAllSelected(target.get("expr").asText());
                JsonNode answer = query(expr);
                if (!"success".equals(answer.path("status").asText())) {
                    failures.add(panel.get("title").asText() + ": " + answer);
                } else if (answer.at("/data/result").isEmpty()) {
                    failures.add(panel.get("title").asText() + " has no data: " + expr);
                }
                failures.addAll(unknownSelectors(panel.get("title").asText(), expr));
            }
        }
        assertThat(failures).isEmpty();
    }

    @Test
    void theLicenseTypePanelShowsDataForEveryTypeTheGatewaysReport() throws Exception {
        JsonNode dashboard = JSON.readTree(DOCKER.resolve("grafana/dashboards/seatgate.json").toFile());
        JsonNode repeated = DeploymentFilesTest.panels(dashboard).stream()
                .filter(panel -> panel.path("repeat").asText().equals("license_type")).findFirst().orElseThrow();
        List<String> types = query("count by (license_type) (seatgate_seats)").at("/data/result")
                .findValuesAsText("license_type");

        assertThat(types).containsExactlyInAnyOrder("outbound", "closer");
        for (String type : types) {
            String expr = asGrafanaAllSelected(repeated.at("/targets/0/expr").asText().replace("$license_type", type));
            assertThat(query(expr).at("/data/result")).as("%s: %s", type, expr).isNotEmpty();
        }
    }

    @Test
    void theWaitTimePanelShowsHowLongTheQueuedLoginWaited() throws Exception {
        JsonNode dashboard = JSON.readTree(DOCKER.resolve("grafana/dashboards/seatgate.json").toFile());
        JsonNode panel = DeploymentFilesTest.panels(dashboard).stream()
                .filter(candidate -> candidate.get("title").asText().equals("Wait time")).findFirst().orElseThrow();

        assertThat(panel.get("targets")).hasSize(3);
        for (JsonNode target : panel.get("targets")) {
            // Looked at when the wait had been scraped: later tests may take longer than the panel's window.
            String expr = asGrafanaAllSelected(target.get("expr").asText());
            List<Double> outbound = new ArrayList<>();
            for (JsonNode series : query(expr, waitScrapedAt).at("/data/result")) {
                if (series.at("/metric/license_type").asText().equals("outbound")) {
                    outbound.add(Double.parseDouble(series.at("/value/1").asText()));
                }
            }
            // The ticket waited for one logout and its hand-over (within 2 s); a bucket's width adds little to that.
            assertThat(outbound).as(expr).singleElement()
                    .satisfies(seconds -> assertThat(seconds).isFinite().isPositive().isLessThan(20.0));
        }
    }

    @Test
    void theCampaignPanelShowsTheCampaignsSessionsAgainstItsMaxAndReserved() throws Exception {
        JsonNode dashboard = JSON.readTree(DOCKER.resolve("grafana/dashboards/seatgate.json").toFile());
        List<JsonNode> panels = DeploymentFilesTest.panels(dashboard).stream()
                .filter(candidate -> candidate.findValuesAsText("expr").stream()
                        .anyMatch(expr -> expr.contains("seatgate_tenant_campaign_seats"))).toList();
        assertThat(panels).as("the panels that show campaigns").hasSize(1);
        JsonNode panel = panels.get(0);
        // The test's tenant and the campaign's type picked, every other selector at All.
        String expr = asGrafanaAllSelected(panel.at("/targets/0/expr").asText().replace("$tenant", theTenant)
                .replace("$license_type", "outbound"));

        var values = new ArrayList<String>();
        for (JsonNode series : query(expr).at("/data/result")) {
            assertThat(series.at("/metric/campaign").asText()).as(expr).isEqualTo(CAMPAIGN);
            values.add(series.at("/metric/state").asText() + "=" + series.at("/value/1").asText());
        }
        // One series per state, the value every gateway exports: not one per gateway, nor a sum over them.
        assertThat(values).as(expr).containsExactlyInAnyOrder("in_use=1", "max=3", "reserved=1");
    }

    @Test
    void everyTemplateVariableFindsValues() throws Exception {
        JsonNode dashboard = JSON.readTree(DOCKER.resolve("grafana/dashboards/seatgate.json").toFile());
        Pattern labelValues = Pattern.compile("label_values\\((.+), *(\\w+)\\)");
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (!variable.get("type").asText().equals("query")) {
                continue;
            }
            Matcher query = labelValues.matcher(variable.at("/query/query").asText());
            assertThat(query.matches()).as(variable.toString()).isTrue();
            assertThat(unknownSelectors(variable.get("name").asText(), query.group(1))).isEmpty();
            assertThat(query("count by (" + query.group(2) + ") (" + query.group(1) + ")").at("/data/result"))
                    .as("the %s selector finds values", variable.get("name").asText()).isNotEmpty();
        }
    }

    @Test
    void everyAlertRuleEvaluatesWithoutErrorOnMetricsTheGatewayExports() throws Exception {
        JsonNode rules = YAML.readTree(DOCKER.resolve("prometheus/alerts.yml").toFile());
        var failures = new ArrayList<String>();
        for (JsonNode rule : rules.at("/groups/0/rules")) {
            JsonNode answer = query(rule.get("expr").asText());
            if (!"success".equals(answer.path("status").asText())) {
                failures.add(rule.get("alert").asText() + ": " + answer);
            }
            // A quiet alert evaluates to nothing, so each selector of the rule is checked on its own.
            failures.addAll(unknownSelectors(rule.get("alert").asText(), rule.get("expr").asText()));
        }
        assertThat(failures).isEmpty();
        await("Prometheus evaluated the rules", () -> {
            JsonNode groups = get("/api/v1/rules").at("/data/groups");
            return !groups.isEmpty() && groups.get(0).get("rules").findValuesAsText("health").stream()
                    .allMatch("ok"::equals);
        });
        JsonNode loaded = get("/api/v1/rules").at("/data/groups/0/rules");
        assertThat(loaded.findValuesAsText("name")).hasSize(rules.at("/groups/0/rules").size());
        assertThat(loaded.findValuesAsText("health")).containsOnly("ok");
    }

    /**
     * What is wrong with the selectors of {@code expr}: a metric the gateway does not export, or a selector that
     * finds no series in Prometheus (a label value that does not exist).
     */
    private static List<String> unknownSelectors(String where, String expr) {
        var problems = new ArrayList<String>();
        for (PromQl.Selector selector : PromQl.selectors(expr)) {
            if (!exported.contains(selector.metric()) && !PROMETHEUS_OWN.contains(selector.metric())) {
                problems.add(where + ": " + selector.metric() + " is not in the gateway's /metrics");
            } else if (query("count(" + selector.text() + ")").at("/data/result").isEmpty()) {
                problems.add(where + ": " + selector.text() + " selects no series");
            }
        }
        return problems;
    }

    /** The expression as Grafana sends it with every variable at All. */
    private static String asGrafanaAllSelected(String expr) {
        return VARIABLE.matcher(expr.replace("$__rate_interval", "1m")).replaceAll(".*");
    }

    private static JsonNode query(String expr) {
        return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8));
    }

    /** {@code expr} evaluated at {@code time}. */
    private static JsonNode query(String expr, Instant time) {
        return get("/api/v1/query?query=" + URLEncoder.encode(expr, StandardCharsets.UTF_8)
                + "&time=" + URLEncoder.encode(time.toString(), StandardCharsets.UTF_8));
    }

    private static JsonNode get(String path) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(api + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(response.body());
        } catch (IOException e) {
            return JSON.createObjectNode().put("status", "unreachable").put("error", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void await(String what, BooleanSupplier condition) throws Exception {
        if (Await.until(Duration.ofSeconds(60), Duration.ofMillis(500), condition)) {
            return;
        }
        throw new AssertionError("timed out waiting until " + what + "; see " + dir.resolve("prometheus.log") + ":\n"
                + (Files.exists(dir.resolve("prometheus.log")) ? Files.readString(dir.resolve("prometheus.log")) : ""));
    }
}
