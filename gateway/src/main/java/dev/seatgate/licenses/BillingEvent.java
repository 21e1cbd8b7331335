package dev.seatgate.licenses;

import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import dev.seatgate.Json;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One entry of a tenant's billing ledger (a Redis stream), as the API shows it: its stream id, its type
 * ({@code purchase}, {@code removal_scheduled}, {@code removal_applied} or {@code cycle}), when it happened,
 * and its fields.
 *
 * <p>Purchases and scheduled removals are stored as the very JSON the API answered for them. The two kinds
 * a script writes on its own (a removal taking effect, a monthly cycle) carry their instants as epoch
 * milliseconds, since Lua has no calendar; they are turned into ISO-8601 here.
 */
public record BillingEvent(String eventId, String type, Instant at, Map<String, Object> fields) {

    /** Fields that scripts write as epoch milliseconds. */
    private static final String[] MILLIS_FIELDS = {"effectiveAt", "startsAt"};

    static BillingEvent fromStream(String id, Map<String, String> entry) {
        Map<String, Object> fields = read(entry.get("data"));
        for (String field : MILLIS_FIELDS) {
            if (fields.get(field) instanceof String millis && millis.chars().allMatch(Character::isDigit)) {
                fields.put(field, Instant.ofEpochMilli(Long.parseLong(millis)));
            }
        }
        return new BillingEvent(id, entry.get("type"), Instant.ofEpochMilli(Long.parseLong(entry.get("at"))), fields);
    }

    /** {@code {"eventId", "type", "at", ...fields}}. */
    @JsonValue
    public Map<String, Object> toJson() {
        var json = new LinkedHashMap<String, Object>();
        json.put("eventId", eventId);
        json.put("type", type);
        json.put("at", at);
        fields.forEach(json::putIfAbsent);
        return json;
    }

    private static Map<String, Object> read(String json) {
        try {
            return Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, Object>>() { });
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
