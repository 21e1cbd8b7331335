package dev.seatgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.testing.Tools;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The files under docker/ as the tools that read them see them: Prometheus' own checker, docker-compose's
 * (which needs no Docker engine to validate), and the dashboard as Grafana would provision it; and the runbook
 * (docs/runbook.md) the alerts link to. PrometheusIT checks the same expressions against real gateways.
 */
class DeploymentFilesTest {

    private static final Path DOCKER = Tools.repository().resolve("docker");
    private static final Path RUNBOOK = Tools.repository().resolve("docs/runbook.md");
    private static final String DATASOURCE = "${datasource}";
    private static final String INSTANCE_MATCHER = "instance=~\"$instance\"";
    /** A runbook_url: the runbook's path in the repository and the anchor of a heading in it. */
    private static final Pattern RUNBOOK_URL = Pattern.compile("docs/runbook\\.md#([a-z0-9_-]+)");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    @Test
    void promtoolAcceptsTheAlertRulesAndTheScrapeConfig() throws IOException {
        String promtool = Tools.require("promtool", "prometheus");

        Tools.Run rules = Tools.run(List.of(promtool, "check", "rules", DOCKER.resolve("prometheus/alerts.yml").toString()));
        Tools.Run config = Tools.run(List.of(promtool, "check", "config",
                DOCKER.resolve("prometheus/prometheus.yml").toString()));

        assertThat(rules.exitCode()).as(rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS: " + alertRules().size() + " rules found");
        assertThat(config.exitCode()).as(config.output()).isZero();
    }

    @Test
    void dockerComposeAcceptsTheStack() throws Exception {
        String compose = Tools.require("docker-compose", "docker-compose");

        Path file = DOCKER.resolve("compose.yaml");
        Tools.Run check = Tools.run(List.of(compose, "-f", file.toString(), "config"));

        assertThat(check.exitCode()).as(check.output()).isZero();
        // The Compose Specification has no version key (Compose v2 warns about one); docker-compose 1.29 reads
        // the file without it and prints a version of its own in the output, so the source file is checked.
        assertThat(new ObjectMapper(new YAMLFactory()).readTree(file.toFile()).has("version"))
                .as("docker/compose.yaml has a top-level version key (obsolete in the Compose Specification)")
                .isFalse();
        JsonNode stack = new ObjectMapper(new YAMLFactory()).readTree(check.output());
        assertThat(stack.get("services").fieldNames()).toIterable().containsExactlyInAnyOrder(
                "redis", "gateway-1", "gateway-2", "loadbalancer", "prometheus", "grafana");
        assertThat(stack.at("/services/redis/command").toString()).contains("--appendonly", "yes");
        assertThat(stack.at("/services/gateway-2/environment/SEATGATE_REDIS_URI").asText()).isEqualTo("redis://redis:6379");
    }

    @Test
    void theAlertUnitTestsPass() {
        String promtool = Tools.require("promtool", "prometheus");

        Tools.Run tests = Tools.run(List.of(promtool, "test", "rules",
                DOCKER.resolve("prometheus/alerts.test.yml").toString()));

        assertThat(tests.exitCode()).as(tests.output()).isZero();
        assertThat(tests.output()).contains("SUCCESS");
    }

    @Test
    void everyAlertSaysWhatItMeansAndLinksToItsOwnSectionOfTheRunbook() throws Exception {
        Map<String, String> headings = anchoredHeadings(Files.readString(RUNBOOK));
        List<JsonNode> rules = alertRules();

        assertThat(rules).hasSize(16);
        for (JsonNode rule : rules) {
            String alert = rule.get("alert").asText();
            assertThat(rule.at("/labels/severity").asText()).as(alert).isIn("warning", "critical");
            assertThat(rule.at("/annotations/summary").asText()).as(alert + " summary").isNotBlank();
            assertThat(rule.at("/annotations/description").asText()).as(alert + " description").isNotBlank();
            String url = rule.at("/annotations/runbook_url").asText();
            Matcher link = RUNBOOK_URL.matcher(url);
            assertThat(link.matches()).as("%s: runbook_url %s (expected: docs/runbook.md#<anchor>)", alert, url).isTrue();
            assertThat(headings).as("%s links to #%s: a heading of docs/runbook.md", alert, link.group(1))
                    .containsKey(link.group(1));
            assertThat(headings.get(link.group(1))).as("the section %s links to is its own", alert).contains(alert);
        }
    }

    @Test
    void theRunbookNamesOnlyPanelsTheDashboardHas() throws Exception {
        Set<String> titles = new HashSet<>(dashboard().findValuesAsText("title"));
        List<String> named = new ArrayList<>();
        // A "Dashboard:" paragraph lists panels in bold; it runs until the next blank line.
        Matcher paragraph = Pattern.compile("(?m)^Dashboard:(.*(?:\n.+)*)").matcher(Files.readString(RUNBOOK));
        while (paragraph.find()) {
            Matcher bold = Pattern.compile("\\*\\*(.+?)\\*\\*").matcher(paragraph.group(1));
            while (bold.find()) {
                named.add(bold.group(1));
            }
        }

        assertThat(named).as("panels named by the runbook").hasSizeGreaterThan(alertRules().size());
        assertThat(named).allSatisfy(title -> assertThat(titles).as("a panel titled '%s'", title).contains(title));
    }

    @Test
    void everyPanelAndQueryUsesTheDatasourceVariable() throws Exception {
        JsonNode dashboard = dashboard();
        JsonNode variable = variable(dashboard, "datasource");

        assertThat(dashboard.get("uid").asText()).isEqualTo("seatgate");
        assertThat(variable.get("type").asText()).isEqualTo("datasource");
        assertThat(variable.get("query").asText()).isEqualTo("prometheus");
        for (JsonNode panel : panels(dashboard)) {
            if (!panel.get("type").asText().equals("row")) {
                assertThat(panel.at("/datasource/uid").asText()).as(panel.get("title").asText()).isEqualTo(DATASOURCE);
                assertThat(panel.get("targets")).as(panel.get("title").asText()).isNotEmpty();
            }
            for (JsonNode target : panel.path("targets")) {
                assertThat(target.at("/datasource/uid").asText()).as(panel.get("title").asText()).isEqualTo(DATASOURCE);
            }
        }
        for (JsonNode query : dashboard.at("/templating/list")) {
            if (query.get("type").asText().equals("query")) {
                assertThat(query.at("/datasource/uid").asText()).as(query.get("name").asText()).isEqualTo(DATASOURCE);
            }
        }
        assertThat(dashboard.findValuesAsText("uid")).as("no datasource uid written out anywhere")
                .containsOnly("seatgate", DATASOURCE);
    }

    @Test
    void licenseTypesComeFromTheMetricsWithOneRepeatedPanelPerType() throws Exception {
        JsonNode dashboard = dashboard();
        JsonNode licenseType = variable(dashboard, "license_type");

        assertThat(licenseType.at("/query/query").asText()).isEqualTo("label_values(seatgate_seats, license_type)");
        List<JsonNode> repeated = panels(dashboard).stream()
                .filter(panel -> panel.path("repeat").asText().equals("license_type")).toList();
        assertThat(repeated).as("a panel repeated per license type").isNotEmpty();
        assertThat(repeated).allSatisfy(panel -> assertThat(panel.findValuesAsText("expr"))
                .allMatch(expr -> expr.contains("license_type=~\"$license_type\"")));
        // The catalog is configurable: no panel may be written for the default catalog's types.
        for (String type : LicenseCatalog.DEFAULT.names()) {
            Pattern named = Pattern.compile("(?i)\\b" + type + "\\b");
            for (JsonNode panel : panels(dashboard)) {
                String text = panel.get("title").asText() + " " + String.join(" ", panel.findValuesAsText("expr"))
                        + " " + String.join(" ", panel.findValuesAsText("legendFormat"));
                assertThat(named.matcher(text).find()).as("'%s' in panel %s", type, panel.get("title")).isFalse();
            }
        }
        assertThat(variable(dashboard, "tenant").at("/query/query").asText())
                .isEqualTo("label_values(seatgate_tenant_seats, tenant)");
    }

    @Test
    void everyQueryIsFilteredByTheGatewaySelector() throws Exception {
        JsonNode dashboard = dashboard();
        JsonNode instance = variable(dashboard, "instance");

        assertThat(instance.get("multi").asBoolean()).isTrue();
        assertThat(instance.get("includeAll").asBoolean()).isTrue();
        assertThat(instance.at("/query/query").asText()).matches("label_values\\(seatgate_\\w+, instance\\)");
        for (JsonNode panel : panels(dashboard)) {
            for (String expr : panel.findValuesAsText("expr")) {
                assertThat(PromQl.selectors(expr)).as("%s: %s", panel.get("title").asText(), expr).isNotEmpty()
                        .allSatisfy(selector -> assertThat(selector.text()).contains(INSTANCE_MATCHER));
            }
        }
    }

    @Test
    void theFirstRowShowsWhatOpsLookAtFirstAndTheOthersTheIssuesMetrics() throws Exception {
        List<JsonNode> panels = panels(dashboard());
        int secondRow = 1;
        while (!panels.get(secondRow).get("type").asText().equals("row")) {
            secondRow++;
        }

        assertThat(panels.get(0).get("type").asText()).isEqualTo("row");
        assertThat(metrics(panels.subList(0, secondRow))).as("the incident row").contains("seatgate_logins_total",
                "seatgate_request_duration_seconds_bucket", "seatgate_redis_connected", "seatgate_redis_errors_total",
                "seatgate_seats", "up");
        assertThat(metrics(panels)).contains("seatgate_http_connections_open", "seatgate_http_connections_refused_total",
                "seatgate_hashing_queued", "seatgate_hashing_busy", "seatgate_credential_checks_total",
                "seatgate_jvm_memory_used_bytes", "seatgate_jvm_memory_committed_bytes", "seatgate_jvm_memory_max_bytes",
                "seatgate_jvm_gc_pause_seconds_sum", "seatgate_jvm_threads_live_threads", "seatgate_process_cpu_usage",
                "seatgate_system_cpu_usage");
        assertThat(panels.stream().map(panel -> panel.get("id").asInt()).distinct()).hasSize(panels.size());
    }

    // ---- reading the files

    private static JsonNode dashboard() throws IOException {
        return JSON.readTree(DOCKER.resolve("grafana/dashboards/seatgate.json").toFile());
    }

    private static List<JsonNode> alertRules() throws IOException {
        var rules = new ArrayList<JsonNode>();
        YAML.readTree(DOCKER.resolve("prometheus/alerts.yml").toFile()).get("groups")
                .forEach(group -> group.get("rules").forEach(rules::add));
        return rules;
    }

    /** Every panel, those inside collapsed rows included. */
    static List<JsonNode> panels(JsonNode dashboard) {
        var all = new ArrayList<JsonNode>();
        for (JsonNode panel : dashboard.get("panels")) {
            all.add(panel);
            panel.path("panels").forEach(all::add);
        }
        return all;
    }

    private static JsonNode variable(JsonNode dashboard, String name) {
        for (JsonNode variable : dashboard.at("/templating/list")) {
            if (variable.get("name").asText().equals(name)) {
                return variable;
            }
        }
        throw new AssertionError("no template variable " + name);
    }

    private static Set<String> metrics(List<JsonNode> panels) {
        return panels.stream().flatMap(panel -> panel.findValuesAsText("expr").stream())
                .flatMap(expr -> PromQl.selectors(expr).stream()).map(PromQl.Selector::metric)
                .collect(Collectors.toSet());
    }

    /**
     * The anchors GitHub gives a Markdown file's headings, each with its heading's text: lower case, punctuation
     * but hyphens and underscores dropped, spaces turned into hyphens, "-1", "-2" added to repeats.
     */
    static Map<String, String> anchoredHeadings(String markdown) {
        var anchors = new LinkedHashMap<String, String>();
        var seen = new HashMap<String, Integer>();
        boolean inCode = false;
        for (String line : markdown.split("\n")) {
            if (line.startsWith("```")) {
                inCode = !inCode;
            }
            Matcher heading = Pattern.compile("^#{1,6} +(.+?)#*\\s*$").matcher(line);
            if (inCode || !heading.matches()) {
                continue;
            }
            String text = heading.group(1).trim();
            String slug = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
            int repeats = seen.merge(slug, 1, Integer::sum) - 1;
            anchors.put(repeats == 0 ? slug : slug + "-" + repeats, text);
        }
        return anchors;
    }
}
