package dev.seatgate.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.seatgate.Json;
import dev.seatgate.seats.EndReason;
import java.time.Instant;

/** The messages a live socket sends (API.md "Live sessions"), each a JSON object with its {@code type} first. */
final class LiveMessages {

    private LiveMessages() {
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
