package dev.seatgate.seats;

import java.util.Arrays;
import java.util.List;

/**
 * Why a session no longer holds its seat: the one list of end reasons. The wire name is what heartbeats
 * answer with 410 and what Redis stores; the metric name is the {@code reason} label of
 * {@code seatgate_sessions_ended_total}.
 */
public enum EndReason {
    /** No heartbeat within the lease TTL: a crashed softphone, a lost network, a killed gateway. */
    EXPIRED("expired", "expired"),
    /** The agent logged in again and the new session took the seat (policy takeover). */
    SUPERSEDED("superseded", "superseded"),
    /** An admin ended it, or the agent was disabled, deleted or lost the license type. */
    REVOKED("revoked", "revoked"),
    /** The softphone logged out (the metric says logout, as dashboards have always shown it). */
    LOGGED_OUT("logged_out", "logout"),
    /** The tenant's account was suspended (API.md "Account standing"): every session of it ends at once. */
    SUSPENDED("suspended", "suspended");

    private final String wireName;
    private final String metricName;

    EndReason(String wireName, String metricName) {
        this.wireName = wireName;
        this.metricName = metricName;
    }

    /** The name in API responses and in Redis. */
    public String wireName() {
        return wireName;
    }

    /** The {@code reason} label of the sessions-ended counter. */
    public String metricName() {
        return metricName;
    }

    /** Every reason's metric name, for registering the counters up front. */
    public static List<String> metricNames() {
        return Arrays.stream(values()).map(EndReason::metricName).toList();
    }

    /** The reason of a wire name, as Redis stores it and messages carry it. */
    public static EndReason fromWire(String wireName) {
        return Arrays.stream(values())
                .filter(reason -> reason.wireName.equals(wireName))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("unknown end reason in Redis: " + wireName));
    }
}
