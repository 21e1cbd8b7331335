package dev.seatgate.deploy;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.BeanDeserializerBuilder;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads Kubernetes manifests into fabric8's model of the API, refusing what the API server would not store.
 *
 * <p>fabric8's classes keep any field they do not know in {@code additionalProperties} (a Jackson
 * {@code @JsonAnySetter}), so a plain mapper, even with FAIL_ON_UNKNOWN_PROPERTIES, reads a misspelt
 * {@code readinesProbe} without a word, and the pod would run without a readiness probe. Here every fabric8
 * bean loses its any-setter, so an unknown field is an {@code UnrecognizedPropertyException} naming it and
 * the path to it. A key given twice in one mapping is refused too (YAML would keep the last one silently).
 */
final class StrictKubernetesYaml {

    /** The kinds deploy/kubernetes holds, by apiVersion and kind; another one needs its class added here. */
    private static final Map<String, Class<? extends HasMetadata>> KINDS = Map.of(
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class);

    private static final ObjectMapper MAPPER = new ObjectMapper(
            YAMLFactory.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
            .registerModule(new SimpleModule("no-additional-properties").setDeserializerModifier(new NoAnySetter()));

    private StrictKubernetesYaml() {
    }

    /** Every document of one YAML text (documents separated by {@code ---}); empty documents are skipped. */
    static List<HasMetadata> parse(String yaml) throws IOException {
        var objects = new ArrayList<HasMetadata>();
        try (var documents = MAPPER.readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
            while (documents.hasNextValue()) {     // not hasNext(), which wraps a parse error in a RuntimeException
                JsonNode document = documents.nextValue();
                if (document != null && !document.isNull() && !document.isMissingNode()) {
                    objects.add(MAPPER.treeToValue(document, kind(document)));
                }
            }
        }
        return objects;
    }

    /** A YAML text that is not a Kubernetes object (kustomization.yaml), as plain maps and lists. */
    static Map<String, Object> parseMap(String yaml) throws IOException {
        return MAPPER.readValue(yaml, MAPPER.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    }

    private static Class<? extends HasMetadata> kind(JsonNode document) {
        String key = document.path("apiVersion").asText() + "/" + document.path("kind").asText();
        Class<? extends HasMetadata> type = KINDS.get(key);
        if (type == null) {
            throw new IllegalArgumentException("unknown apiVersion/kind " + key + " (expected one of " + KINDS.keySet()
                    + "; a new kind needs its fabric8 class in StrictKubernetesYaml.KINDS)");
        }
        return type;
    }

    /** Drops the catch-all setter of fabric8's beans, so that unknown fields reach FAIL_ON_UNKNOWN_PROPERTIES. */
    private static final class NoAnySetter extends BeanDeserializerModifier {
        @Override
        public BeanDeserializerBuilder updateBuilder(DeserializationConfig config, BeanDescription bean,
                BeanDeserializerBuilder builder) {
            if (bean.getBeanClass().getName().startsWith("io.fabric8.")) {
                builder.setAnySetter(null);
            }
            return builder;
        }
    }
}
