package dev.seatgate.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seatgate.Json;
import dev.seatgate.seats.EndReason;
import java.time.Instant;
import java.util.Optional;

/**
 * What a live socket says (API.md "Live sessions"): its messages, each a JSON object with its {@code type} first,
 * and the codes it closes with.
 */
final class LiveMessages {

    /** After a logout. */
    static final int LOGGED_OUT = 1000;
    /** The client stopped answering pings for a lease TTL, or the gateway shuts down. */
    static final int GOING_AWAY = 1001;
    /** A malformed message. */
    static final int MALFORMED = 4400;
    /** A bad or unknown session token. */
    static final int BAD_TOKEN = 4401;
    /** No attach or login within 10 s of the upgrade. */
    static final int FIRST_MESSAGE_LATE = 4408;
    /** The session was attached on another socket since. */
    static final int MOVED = 4409;
    /** The session ended, after an {@code ended} message saying why. */
    static final int ENDED = 4410;

    private LiveMessages() {
    }

    /** A client's message: a JSON object, or empty when it is not one. */
    static Optional<JsonNode> parse(String text) {
        try {
            JsonNode message = Json.MAPPER.readTree(text);
            return message != null && message.isObject() ? Optional.of(message) : Optional.empty();
        } catch (JacksonException notJson) {
            return Optional.empty();
        }
    }

    static ObjectNode attached(String sessionId, Instant leaseExpiresAt) {
        ObjectNode attached = typed("attached").put("sessionId", sessionId);
        attached.set("leaseExpiresAt", Json.MAPPER.valueToTree(leaseExpiresAt)); // as the HTTP API writes times
        return attached;
    }

    /** The {@code 200} body of a login, as {@code admitted}. */
    static ObjectNode admitted(ApiResponse ok) {
        return typed("admitted").setAll((ObjectNode) Json.MAPPER.valueToTree(ok.body()));
    }

    /** The {@code 202} body of a login that waits in line, as {@code queued}. */
    static ObjectNode queued(ApiResponse accepted) {
        return typed("queued").setAll((ObjectNode) Json.MAPPER.valueToTree(accepted.body()));
    }

    static ObjectNode position(long position, long waiting) {
        return typed("position").put("position", position).put("waiting", waiting);
    }

    /** An API error answer ({@code {"error": {...}}}) with its status, as {@code error}. */
    static ObjectNode error(ApiResponse refused) {
        ObjectNode error = typed("error").put("status", refused.status().code());
        error.set("error", Json.MAPPER.valueToTree(refused.body()).get("error"));
        return error;
    }

    static ObjectNode ended(EndReason reason) {
        return typed("ended").put("reason", reason.wireName());
    }

    static ObjectNode pong() {
        return typed("pong");
    }

    private static ObjectNode typed(String type) {
        return Json.MAPPER.createObjectNode().put("type", type);
    }
}
