package dev.seatgate.config;

import java.time.Duration;

/**
 * When failed logins lock an agent or a client address out: at {@code agentFailures} failures of one agent,
 * or {@code addressFailures} from one address, within {@code window} (counted from the first failure), every
 * login of that agent or from that address gets 429 until the window passes, even with the right password.
 */
public record LockoutPolicy(int agentFailures, int addressFailures, Duration window) {
}
