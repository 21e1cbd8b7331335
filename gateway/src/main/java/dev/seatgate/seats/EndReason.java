package dev.seatgate.seats;

import java.util.Arrays;

/** Why a session no longer holds its seat; its heartbeats get 410 with this reason. */
public enum EndReason {
    /** No heartbeat within the lease TTL: a crashed softphone, a lost network, a killed gateway. */
    EXPIRED("expired"),
    /** The agent logged in again and the new session took the seat (policy takeover). */
    SUPERSEDED("superseded"),
    /** An admin ended it, or the agent was disabled, deleted or lost the license type. */
    REVOKED("revoked"),
    /** The softphone logged out. */
    LOGGED_OUT("logged_out");

    private final String wireName;

    EndReason(String wireName) {
        this.wireName = wireName;
    }

    /** The name in API responses and in Redis. */
    public String wireName() {
        return wireName;
    }

    static EndReason fromWire(String wireName) {
        return Arrays.stream(values())
                .filter(reason -> reason.wireName.equals(wireName))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown end reason in Redis: " + wireName));
    }
}
