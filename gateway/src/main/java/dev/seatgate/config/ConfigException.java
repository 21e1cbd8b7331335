package dev.seatgate.config;

/**
 * A setting has a value the gateway cannot run with. The message is one line that names the setting and
 * what was expected; {@code Main} prints it and exits with status 2, without a stack trace.
 */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
