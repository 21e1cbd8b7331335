package dev.seatgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.seatgate.testing.Tools;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The files under docker/ as the tools that read them see them: Prometheus' own checker, docker-compose's
 * (which needs no Docker engine to validate), and the dashboard as Grafana would provision it.
 */
class DeploymentFilesTest {

    private static final Path DOCKER = Tools.repository().resolve("docker");

    @Test
    void promtoolAcceptsTheAlertRulesAndTheScrapeConfig() {
        String promtool = Tools.require("promtool", "prometheus");

        Tools.Run rules = Tools.run(List.of(promtool, "check", "rules", DOCKER.resolve("prometheus/alerts.yml").toString()));
        Tools.Run config = Tools.run(List.of(promtool, "check", "config",
                DOCKER.resolve("prometheus/prometheus.yml").toString()));

        assertThat(rules.exitCode()).as(rules.output()).isZero();
        assertThat(rules.output()).contains("SUCCESS: 8 rules found");
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
    void theDashboardUsesTheProvisionedDatasourceAndHasATenantSelector() throws Exception {
        var json = new ObjectMapper();
        JsonNode dashboard = json.readTree(DOCKER.resolve("grafana/dashboards/seatgate.json").toFile());
        JsonNode datasource = new ObjectMapper(new YAMLFactory())
                .readTree(DOCKER.resolve("grafana/provisioning/datasources/prometheus.yml").toFile())
                .at("/datasources/0");

        assertThat(dashboard.get("uid").asText()).isEqualTo("seatgate");
        assertThat(dashboard.at("/templating/list/0/name").asText()).isEqualTo("tenant");
        assertThat(dashboard.findValues("uid").stream().map(JsonNode::asText).filter(uid -> !uid.equals("seatgate")))
                .isNotEmpty().allMatch(uid -> uid.equals(datasource.get("uid").asText()));
        assertThat(dashboard.findValuesAsText("title")).contains("Outbound seats: $tenant", "Closer seats: $tenant",
                "Login outcomes", "Login latency", "Redis errors");
    }
}
