package dev.seatgate.standing;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Arrays;
import java.util.Optional;

/** A tenant's account standing (API.md "Account standing"); the wire name is what the API and Redis say. */
public enum StandingStatus {
    /** Everything works. */
    ACTIVE("active"),
    /** Everything works; login answers carry an account notice, and a {@code suspendAt} may be set. */
    PAST_DUE("past_due"),
    /** No new logins or purchases; every session ended and every ticket left the line when it began. */
    SUSPENDED("suspended");

    private final String wireName;

    StandingStatus(String wireName) {
        this.wireName = wireName;
    }

    @JsonValue
    public String wireName() {
        return wireName;
    }

    /** The status of a wire name, or empty when it names none. */
    public static Optional<StandingStatus> fromWire(String wireName) {
        return Arrays.stream(values()).filter(status -> status.wireName.equals(wireName)).findFirst();
    }
}
