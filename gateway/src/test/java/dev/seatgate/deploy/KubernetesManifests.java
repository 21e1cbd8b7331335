package dev.seatgate.deploy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

/** Every object of the YAML files in one folder (deploy/kubernetes), read by {@link StrictKubernetesYaml}. */
final class KubernetesManifests {

    private final List<String> files;
    private final List<HasMetadata> objects;

    private KubernetesManifests(List<String> files, List<HasMetadata> objects) {
        this.files = files;
        this.objects = objects;
    }

    /** Reads every *.yaml but kustomization.yaml; a file that does not parse fails with its name. */
    static KubernetesManifests read(Path dir) throws IOException {
        List<Path> paths;
        try (Stream<Path> list = Files.list(dir)) {
            paths = list.filter(path -> path.toString().endsWith(".yaml") || path.toString().endsWith(".yml"))
                    .filter(path -> !path.getFileName().toString().equals("kustomization.yaml"))
                    .sorted().toList();
        }
        var objects = new ArrayList<HasMetadata>();
        for (Path path : paths) {
            try {
                objects.addAll(StrictKubernetesYaml.parse(Files.readString(path)));
            } catch (IOException | IllegalArgumentException e) {
                throw new IOException(path.getFileName() + ": " + e.getMessage(), e);
            }
        }
        return new KubernetesManifests(paths.stream().map(path -> path.getFileName().toString()).toList(), objects);
    }

    /** The file names read, such as deployment.yaml. */
    List<String> files() {
        return files;
    }

    /** Kind/name of every object. */
    List<String> names() {
        return objects.stream().map(object -> object.getKind() + "/" + object.getMetadata().getName()).toList();
    }

    Deployment deployment() {
        return one(Deployment.class);
    }

    PodSpec podSpec() {
        return deployment().getSpec().getTemplate().getSpec();
    }

    /** The Deployment's one container, the gateway. */
    Container gateway() {
        List<Container> containers = podSpec().getContainers();
        if (containers.size() != 1) {
            throw new AssertionError("expected the gateway as the pod's one container, found " + containers.size());
        }
        return containers.get(0);
    }

    List<Service> services() {
        return all(Service.class).toList();
    }

    PodDisruptionBudget podDisruptionBudget() {
        return one(PodDisruptionBudget.class);
    }

    Secret secret(String name) {
        return named(Secret.class, name);
    }

    /**
     * The variables the gateway's container starts with, as the kubelet builds them: envFrom sources in order
     * (ConfigMaps and Secrets defined here), then env, each overriding what came before. Variables taken from
     * elsewhere (valueFrom) count with an empty value.
     */
    Map<String, String> environment() {
        var env = new LinkedHashMap<String, String>();
        Container gateway = gateway();
        for (EnvFromSource source : Objects.requireNonNullElse(gateway.getEnvFrom(), List.<EnvFromSource>of())) {
            String prefix = Objects.requireNonNullElse(source.getPrefix(), "");
            Map<String, String> values = source.getConfigMapRef() != null
                    ? configMap(source.getConfigMapRef().getName())
                    : secretValues(secret(source.getSecretRef().getName()));
            values.forEach((key, value) -> env.put(prefix + key, value));
        }
        for (EnvVar variable : Objects.requireNonNullElse(gateway.getEnv(), List.<EnvVar>of())) {
            env.put(variable.getName(), Objects.requireNonNullElse(variable.getValue(), ""));
        }
        return env;
    }

    private Map<String, String> configMap(String name) {
        return Objects.requireNonNullElse(named(ConfigMap.class, name).getData(), Map.of());
    }

    private static Map<String, String> secretValues(Secret secret) {
        var values = new LinkedHashMap<String, String>();
        Objects.requireNonNullElse(secret.getData(), Map.<String, String>of()).forEach((key, value) ->
                values.put(key, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8)));
        values.putAll(Objects.requireNonNullElse(secret.getStringData(), Map.of()));
        return values;
    }

    private <T extends HasMetadata> Stream<T> all(Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast);
    }

    private <T extends HasMetadata> T one(Class<T> type) {
        List<T> found = all(type).toList();
        if (found.size() != 1) {
            throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
        }
        return found.get(0);
    }

    private <T extends HasMetadata> T named(Class<T> type, String name) {
        return all(type).filter(object -> name.equals(object.getMetadata().getName())).findFirst()
                .orElseThrow(() -> new AssertionError("no " + type.getSimpleName() + " named " + name
                        + " in deploy/kubernetes"));
    }
}
