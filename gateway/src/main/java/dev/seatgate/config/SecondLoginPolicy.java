package dev.seatgate.config;

/** What a login does when the agent already holds a live session. */
public enum SecondLoginPolicy {
    /** The new session replaces the old one on the same seat; the old one's heartbeats get 410 superseded. */
    TAKEOVER,
    /** The new login is refused with 409 ALREADY_LOGGED_IN while the old session is live. */
    REJECT;

    /** The value passed to the claim script and accepted in configuration. */
    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
