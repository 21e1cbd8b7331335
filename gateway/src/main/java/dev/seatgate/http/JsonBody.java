package dev.seatgate.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A request's JSON object, read field by field. Every accessor validates its field and throws
 * {@code 400 INVALID_REQUEST} with a message that names the field and what was expected. Fields the API
 * does not know are ignored, so clients may send more than they must.
 */
final class JsonBody {

    private final JsonNode object;

    JsonBody(JsonNode object) {
        this.object = object;
    }

    /** The names of the fields the client sent. */
    List<String> fieldNames() {
        var names = new ArrayList<String>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /** A tenant or agent id: {@code [A-Za-z0-9_-]{1,64}}. */
    String identifier(String field) {
        return Identifiers.require(field, requiredString(field));
    }

    String requiredString(String field) {
        return optionalString(field).orElseThrow(() -> missing(field, "a string"));
    }

    Optional<String> optionalString(String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isTextual()) {
            throw mistyped(field, "a string");
        }
        return Optional.of(node.textValue());
    }

    /** A string of {@code min} to {@code max} characters. */
    String requiredString(String field, int min, int max) {
        return optionalString(field, min, max).orElseThrow(() -> missing(field, lengthRange(min, max)));
    }

    Optional<String> optionalString(String field, int min, int max) {
        Optional<String> value = optionalString(field);
        value.ifPresent(text -> {
            int length = text.codePointCount(0, text.length());
            if (length < min || length > max) {
                throw mistyped(field, lengthRange(min, max));
            }
        });
        return value;
    }

    int requiredInt(String field, int min, int max) {
        JsonNode node = object.get(field);
        String expected = "an integer from " + min + " to " + max;
        if (node == null || node.isNull()) {
            throw missing(field, expected);
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt() || node.intValue() < min || node.intValue() > max) {
            throw mistyped(field, expected);
        }
        return node.intValue();
    }

    /** The integer, or empty when the field is absent or null (as for every optional field). */
    Optional<Integer> optionalInt(String field, int min, int max) {
        JsonNode node = object.get(field);
        return node == null || node.isNull() ? Optional.empty() : Optional.of(requiredInt(field, min, max));
    }

    Optional<Boolean> optionalBoolean(String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isBoolean()) {
            throw mistyped(field, "true or false");
        }
        return Optional.of(node.booleanValue());
    }

    Optional<List<String>> optionalStringList(String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        if (!node.isArray()) {
            throw mistyped(field, "a list of strings");
        }
        var values = new ArrayList<String>();
        for (JsonNode item : node) {
            if (!item.isTextual()) {
                throw mistyped(field, "a list of strings");
            }
            values.add(item.textValue());
        }
        return Optional.of(values);
    }

    /** A nested object, by field name, each read as a body of its own (its messages name the outer field too). */
    Optional<Map<String, JsonBody>> optionalObjects(String field) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        var values = new LinkedHashMap<String, JsonBody>();
        if (!node.isObject()) {
            throw mistyped(field, "an object");
        }
        for (var entry : node.properties()) {
            if (!entry.getValue().isObject()) {
                throw mistyped(field + "." + entry.getKey(), "an object");
            }
            values.put(entry.getKey(), new JsonBody(entry.getValue()));
        }
        return Optional.of(values);
    }

    /** A flat object of string values, at most {@code maxEntries} of them. */
    Optional<Map<String, String>> optionalStringMap(String field, int maxEntries, int maxKeyLength,
                                                   int maxValueLength) {
        JsonNode node = object.get(field);
        if (node == null || node.isNull()) {
            return Optional.empty();
        }
        String expected = "an object of at most " + maxEntries + " string values (keys up to " + maxKeyLength
                + " characters, values up to " + maxValueLength + ")";
        if (!node.isObject() || node.size() > maxEntries) {
            throw mistyped(field, expected);
        }
        var values = new LinkedHashMap<String, String>();
        for (var entry : node.properties()) {
            if (!entry.getValue().isTextual() || entry.getKey().isEmpty() || entry.getKey().length() > maxKeyLength
                    || entry.getValue().textValue().length() > maxValueLength) {
                throw mistyped(field, expected);
            }
            values.put(entry.getKey(), entry.getValue().textValue());
        }
        return Optional.of(values);
    }

    private static String lengthRange(int min, int max) {
        return "a string of " + min + " to " + max + " characters";
    }

    private static ApiException missing(String field, String expected) {
        return ApiException.invalid("missing field '" + field + "' (expected " + expected + ")");
    }

    private static ApiException mistyped(String field, String expected) {
        return ApiException.invalid("field '" + field + "' must be " + expected);
    }
}
