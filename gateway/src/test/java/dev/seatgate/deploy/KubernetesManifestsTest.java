package dev.seatgate.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.seatgate.config.ConfigLoader;
import dev.seatgate.config.GatewayConfig;
import dev.seatgate.config.Setting;
import dev.seatgate.testing.Tools;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * deploy/kubernetes as a cluster would take it: every manifest read into Kubernetes' object model with unknown
 * fields refused ({@link StrictKubernetesYaml}), the settings the pods get accepted by the gateway's own
 * {@link ConfigLoader}, and the rules that keep agents served while gateways start, stop and move.
 */
class KubernetesManifestsTest {

    private static final Path DIR = Tools.repository().resolve("deploy/kubernetes");
    /** After the drain, closing connections (Netty's event loops get up to 2 s, HttpServer.close) and Redis. */
    private static final long CLOSING_MILLIS = 5_000;
    /** Variables a pod may set that the java launcher reads, not the gateway. */
    private static final Set<String> JVM_VARIABLES = Set.of("JDK_JAVA_OPTIONS");
    /** Kustomization fields we use or expect people to add (add another real one when needed): a misspelt one fails. */
    private static final Set<String> KUSTOMIZATION_FIELDS = Set.of("apiVersion", "kind", "metadata", "namespace",
            "namePrefix", "nameSuffix", "labels", "commonLabels", "commonAnnotations", "resources", "components",
            "images", "replicas", "patches", "configMapGenerator", "secretGenerator", "generatorOptions");

    private static KubernetesManifests manifests;

    /** Reading is the first check: a misspelt field fails here, once, with its file, name and path. */
    @BeforeAll
    static void read() throws IOException {
        manifests = KubernetesManifests.read(DIR);
    }

    @Test
    void everyManifestIsAKubernetesObjectWithOnlyFieldsTheApiKnows() {
        // Reading them (read()) was the check; here, that nothing went missing.
        assertThat(manifests.names()).containsExactlyInAnyOrder("ConfigMap/seatgate", "Secret/seatgate",
                "Deployment/seatgate", "Service/seatgate", "Service/seatgate-admin", "PodDisruptionBudget/seatgate");
    }

    @Test
    void aMisspeltFieldIsRefusedWithItsNameAndPath() {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: seatgate}
                spec:
                  template:
                    spec:
                      containers:
                        - name: gateway
                          readinesProbe: {httpGet: {path: /readyz, port: 8080}}
                """;

        assertThatThrownBy(() -> StrictKubernetesYaml.parse(yaml))
                .isInstanceOf(UnrecognizedPropertyException.class)
                .hasMessageContaining("Unrecognized field \"readinesProbe\"")
                .hasMessageContaining("Container[\"readinesProbe\"]");
    }

    @Test
    void aKeyGivenTwiceIsRefused() {
        String yaml = """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: seatgate}
                data:
                  SEATGATE_LEASE_TTL: PT30S
                  SEATGATE_LEASE_TTL: PT3S
                """;

        assertThatThrownBy(() -> StrictKubernetesYaml.parse(yaml))
                .isInstanceOf(JsonParseException.class)
                .hasMessageContaining("Duplicate field 'SEATGATE_LEASE_TTL'");
    }

    @Test
    void kustomizationAppliesEveryManifestButTheSecretExample() throws IOException {
        Map<String, Object> kustomization = StrictKubernetesYaml.parseMap(
                Files.readString(DIR.resolve("kustomization.yaml")));

        assertThat(kustomization).containsEntry("apiVersion", "kustomize.config.k8s.io/v1beta1")
                .containsEntry("kind", "Kustomization");
        assertThat(kustomization.keySet()).isSubsetOf(KUSTOMIZATION_FIELDS);
        assertThat(kustomization.get("resources")).asInstanceOf(InstanceOfAssertFactories.LIST)
                .containsExactlyInAnyOrderElementsOf(manifests.files().stream()
                        .filter(file -> !file.endsWith(".example.yaml")).toList());
    }

    @Test
    void theSecretExampleHoldsOnlyPlaceholders() {
        Secret example = manifests.secret("seatgate");

        assertThat(example.getData()).as("base64 data hides what it holds; use stringData").isNullOrEmpty();
        assertThat(example.getStringData()).isNotEmpty()
                .allSatisfy((key, value) -> assertThat(value).as(key).containsIgnoringCase("replace-me"));
    }

    @Test
    void theGatewayKnowsEveryVariableThePodsGetAndAcceptsTheirValues() {
        Set<String> known = Stream.of(Setting.values()).map(Setting::envName).filter(name -> name != null)
                .collect(Collectors.toCollection(HashSet::new));
        known.addAll(JVM_VARIABLES);

        assertThat(manifests.environment().keySet()).as("variables the gateway does not read (misspelt?)")
                .isSubsetOf(known);
        GatewayConfig config = gatewayConfig();   // a ConfigException here names the setting and the value
        assertThat(config.adminToken()).as("SEATGATE_ADMIN_TOKEN").isPresent();
    }

    @Test
    void readinessIsReadyzOnTheAgentPortAndLivenessHealthzOnTheAdminPort() {
        Container gateway = manifests.gateway();
        GatewayConfig config = gatewayConfig();
        Probe readiness = gateway.getReadinessProbe();
        Probe liveness = gateway.getLivenessProbe();

        assertThat(readiness).as("readinessProbe").isNotNull();
        assertThat(liveness).as("livenessProbe").isNotNull();
        assertThat(readiness.getHttpGet().getPath()).as("readinessProbe path").isEqualTo("/readyz");
        assertThat(port(gateway, readiness.getHttpGet().getPort())).as("readinessProbe port")
                .isEqualTo(config.agentPort());
        // Not /readyz: a Redis outage must not restart the gateways, which recover by themselves.
        assertThat(liveness.getHttpGet().getPath()).as("livenessProbe path").isEqualTo("/healthz");
        assertThat(port(gateway, liveness.getHttpGet().getPort())).as("livenessProbe port")
                .isEqualTo(config.adminPort());
        if (gateway.getStartupProbe() != null) {
            assertThat(gateway.getStartupProbe().getHttpGet().getPath()).as("startupProbe path").isEqualTo("/healthz");
        }
        // /readyz asks Redis; a probe that gives up first would take a gateway out while Redis is merely slow.
        int readinessTimeoutSeconds = Objects.requireNonNullElse(readiness.getTimeoutSeconds(), 1);
        assertThat(readinessTimeoutSeconds * 1000L).as("readinessProbe timeoutSeconds in ms")
                .isGreaterThan(config.redisTimeout().toMillis());
        // The kubelet probes the pod's address, not loopback.
        assertThat(List.of(config.agentBind(), config.adminBind())).as("SEATGATE_AGENT_BIND, SEATGATE_ADMIN_BIND")
                .noneMatch(bind -> bind.startsWith("127.") || bind.equals("localhost") || bind.equals("::1"));
    }

    @Test
    void theContainerPortsAreTheGatewaysPorts() {
        GatewayConfig config = gatewayConfig();

        assertThat(port(manifests.gateway(), new IntOrString("agent"))).isEqualTo(config.agentPort());
        assertThat(port(manifests.gateway(), new IntOrString("admin"))).isEqualTo(config.adminPort());
    }

    @Test
    void terminationGraceOutlastsThePreStopSleepTheDrainAndTheClosing() {
        long preStopMillis = preStopSleepSeconds(manifests.gateway()) * 1000L;
        long drainMillis = gatewayConfig().shutdownGrace().toMillis();   // SEATGATE_SHUTDOWN_GRACE, or its default

        assertThat(manifests.podSpec().getTerminationGracePeriodSeconds() * 1000L)
                .as("terminationGracePeriodSeconds in ms; the kubelet kills the gateway then, mid-drain if it is"
                        + " shorter than preStop %d ms + SEATGATE_SHUTDOWN_GRACE %d ms + closing %d ms",
                        preStopMillis, drainMillis, CLOSING_MILLIS)
                .isGreaterThan(preStopMillis + drainMillis + CLOSING_MILLIS);
    }

    @Test
    void theJvmHasRequestsAndAMemoryLimit() {
        var resources = manifests.gateway().getResources();

        assertThat(resources.getRequests()).containsKeys("cpu", "memory");
        // Without a memory limit the JVM sizes its heap from the node's memory, not the pod's.
        assertThat(resources.getLimits()).containsKey("memory");
        assertThat(Quantity.getAmountInBytes(resources.getRequests().get("memory")))
                .isLessThanOrEqualTo(Quantity.getAmountInBytes(resources.getLimits().get("memory")));
    }

    @Test
    void servicesSelectThePodsAndTargetTheirPortsAndOnlyClusterIpReachesTheAdminPort() {
        Map<String, String> podLabels = manifests.deployment().getSpec().getTemplate().getMetadata().getLabels();
        int adminPort = gatewayConfig().adminPort();

        assertThat(manifests.services()).isNotEmpty();
        for (Service service : manifests.services()) {
            String name = "Service " + service.getMetadata().getName();
            assertThat(service.getSpec().getSelector()).as(name + " selector").isNotEmpty();
            assertThat(podLabels).as(name + " selects the pod labels")
                    .containsAllEntriesOf(service.getSpec().getSelector());
            for (ServicePort port : service.getSpec().getPorts()) {
                if (port(manifests.gateway(), port.getTargetPort()) == adminPort) {
                    assertThat(service.getSpec().getType()).as(name + " reaches the admin port")
                            .isIn(null, "ClusterIP");
                }
            }
        }
    }

    @Test
    void theDeploymentRunsTwoGatewaysAndThePdbLetsOneGoAtATime() {
        Deployment deployment = manifests.deployment();
        Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
        PodDisruptionBudget pdb = manifests.podDisruptionBudget();
        int replicas = deployment.getSpec().getReplicas();

        assertThat(replicas).isGreaterThanOrEqualTo(2);
        assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(pdb.getSpec().getSelector().getMatchLabels()).isNotEmpty();
        assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
        // A budget that allows no eviction blocks every node drain; one that allows all of them protects nothing.
        IntOrString maxUnavailable = pdb.getSpec().getMaxUnavailable();
        IntOrString minAvailable = pdb.getSpec().getMinAvailable();
        int allowed = maxUnavailable != null ? maxUnavailable.getIntVal() : replicas - minAvailable.getIntVal();
        assertThat(allowed).as("pods the budget lets go at once").isBetween(1, replicas - 1);
    }

    @Test
    void serviceLinksNeverSetAGatewaySetting() {
        Set<String> settings = Stream.of(Setting.values()).map(Setting::envName).collect(Collectors.toSet());
        Set<String> colliding = manifests.services().stream().flatMap(KubernetesManifestsTest::serviceLinkVariables)
                .filter(settings::contains).collect(Collectors.toSet());

        if (!Boolean.FALSE.equals(manifests.podSpec().getEnableServiceLinks())) {
            assertThat(colliding).as("variables Kubernetes sets from Services, read by the gateway as settings;"
                    + " set enableServiceLinks: false").isEmpty();
        }
    }

    @Test
    void theGatewayRunsAsTheImagesUserOnAReadOnlyFilesystemWithAWritableTmp() throws IOException {
        Matcher uid = Pattern.compile("--uid (\\d+)")
                .matcher(Files.readString(Tools.repository().resolve("docker/Dockerfile")));
        assertThat(uid.find()).as("docker/Dockerfile creates its user with --uid").isTrue();
        PodSpec pod = manifests.podSpec();
        Container gateway = manifests.gateway();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(Long.parseLong(uid.group(1)));
        assertThat(gateway.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(gateway.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        // Netty unpacks its epoll library into java.io.tmpdir; without a writable /tmp it falls back to NIO.
        assertThat(gateway.getVolumeMounts()).anySatisfy(mount -> {
            assertThat(mount.getMountPath()).isEqualTo("/tmp");
            assertThat(mount.getReadOnly()).isNotEqualTo(Boolean.TRUE);
        });
    }

    @Test
    void prometheusIsPointedAtTheAdminPortsMetrics() {
        Map<String, String> annotations = manifests.deployment().getSpec().getTemplate().getMetadata().getAnnotations();

        assertThat(annotations).containsEntry("prometheus.io/scrape", "true")
                .containsEntry("prometheus.io/path", "/metrics")
                .containsEntry("prometheus.io/port", Integer.toString(gatewayConfig().adminPort()));
    }

    /** The gateway's configuration from what its pods get, exactly as it would read it at start. */
    private GatewayConfig gatewayConfig() {
        Map<String, String> env = new HashMap<>(manifests.environment());
        env.keySet().removeAll(JVM_VARIABLES);
        return ConfigLoader.load(List.of(), env);
    }

    /** A container port given by number or by the name of one of the container's ports. */
    private static int port(Container container, IntOrString port) {
        if (port.getStrVal() == null) {
            return port.getIntVal();
        }
        return container.getPorts().stream().filter(p -> port.getStrVal().equals(p.getName()))
                .mapToInt(p -> p.getContainerPort()).findFirst()
                .orElseThrow(() -> new AssertionError("no container port named " + port.getStrVal()));
    }

    /** Seconds the preStop hook sleeps before the gateway gets SIGTERM (0 without one). */
    private static long preStopSleepSeconds(Container container) {
        if (container.getLifecycle() == null || container.getLifecycle().getPreStop() == null) {
            return 0;
        }
        var preStop = container.getLifecycle().getPreStop();
        if (preStop.getSleep() != null) {
            return preStop.getSleep().getSeconds();
        }
        List<String> command = preStop.getExec().getCommand();
        assertThat(command).as("preStop exec command").hasSize(2).first().isEqualTo("sleep");
        return Long.parseLong(command.get(1));
    }

    /** What the kubelet sets in every later pod of the namespace for a Service, Docker-links style. */
    private static Stream<String> serviceLinkVariables(Service service) {
        String prefix = service.getMetadata().getName().toUpperCase(Locale.ROOT).replace('-', '_');
        Stream<String> perService = Stream.of(prefix + "_SERVICE_HOST", prefix + "_SERVICE_PORT", prefix + "_PORT");
        Stream<String> perPort = service.getSpec().getPorts().stream().flatMap(port -> {
            String protocol = Objects.requireNonNullElse(port.getProtocol(), "TCP");
            String tcp = prefix + "_PORT_" + port.getPort() + "_" + protocol;
            Stream<String> named = port.getName() == null ? Stream.empty()
                    : Stream.of(prefix + "_SERVICE_PORT_" + port.getName().toUpperCase(Locale.ROOT).replace('-', '_'));
            return Stream.concat(named, Stream.of(tcp, tcp + "_PROTO", tcp + "_PORT", tcp + "_ADDR"));
        });
        return Stream.concat(perService, perPort);
    }
}
