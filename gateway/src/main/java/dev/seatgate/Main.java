package dev.seatgate;

import dev.seatgate.config.ConfigException;
import dev.seatgate.config.ConfigLoader;
import dev.seatgate.config.GatewayConfig;
import dev.seatgate.config.HashingConfig;
import dev.seatgate.config.Setting;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar seatgate-gateway.jar [--config FILE]}: validates the configuration (a bad value exits
 * with status 2 and one line naming the setting), starts the gateway, and stops it gracefully on SIGTERM.
 */
public final class Main {

    /** Exit status for a configuration the gateway cannot run with. */
    private static final int EXIT_CONFIG = 2;
    /** Exit status when the gateway cannot start for another reason (a port in use, say). */
    private static final int EXIT_START = 1;

    private Main() {
    }

    public static void main(String[] args) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            System.out.println(usage());
            return;
        }
        if (List.of(args).contains("--version") || List.of(args).contains("-V")) {
            System.out.println("seatgate-gateway " + version());
            return;
        }
        GatewayConfig config;
        try {
            config = ConfigLoader.load(List.of(args), System.getenv());
        } catch (ConfigException e) {
            System.err.println("seatgate: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        }
        warnAboutTestSettings(config);
        Gateway gateway;
        try {
            gateway = Gateway.start(config);
        } catch (ConfigException e) {
            System.err.println("seatgate: " + e.getMessage());
            System.exit(EXIT_CONFIG);
            return;
        } catch (RuntimeException e) {
            System.err.println("seatgate: cannot start: " + e.getMessage());
            System.exit(EXIT_START);
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(gateway::close, "seatgate-shutdown"));
    }

    private static void warnAboutTestSettings(GatewayConfig config) {
        Logger log = LoggerFactory.getLogger(Main.class);
        if (config.adminToken().isEmpty() && config.tenantAdminTokens().isEmpty()) {
            log.warn("SEATGATE_ADMIN_TOKEN is not set: the admin API refuses every call");
        }
        if (!config.clockOffset().isZero()) {
            log.warn("SEATGATE_CLOCK_OFFSET is {}: this gateway lives {} away from Redis' clock. For tests and"
                    + " drills only; every gateway on this Redis must use the same offset", config.clockOffset(),
                    config.clockOffset());
        }
        HashingConfig hashing = config.hashing();
        if (hashing.memoryKib() < HashingConfig.DEFAULT_MEMORY_KIB || hashing.passes() < HashingConfig.DEFAULT_PASSES) {
            log.warn("SEATGATE_PASSWORD_MEMORY_KIB={} and SEATGATE_PASSWORD_PASSES={} are below OWASP's {} and {}:"
                    + " new password hashes are weaker", hashing.memoryKib(), hashing.passes(),
                    HashingConfig.DEFAULT_MEMORY_KIB, HashingConfig.DEFAULT_PASSES);
        }
    }

    static String usage() {
        var text = new StringBuilder("""
                usage: java -jar seatgate-gateway.jar [--config FILE] [--help] [--version]

                seatgate: the login gateway that claims a license seat for every agent in one atomic Redis step.
                Settings come from environment variables, which override the YAML config file (keys in brackets).
                See README.md for what each one means.

                """);
        Map<Setting, String> defaults = ConfigLoader.defaults();
        for (Setting setting : Setting.values()) {
            text.append(String.format("  %-34s %-26s %s%n", setting.envName() == null ? "(file only)" : setting.envName(),
                    "[" + (setting.fileKey() == null ? "environment only" : setting.fileKey()) + "]",
                    defaults.containsKey(setting) ? "default: " + defaults.get(setting) : "unset by default"));
        }
        return text.toString();
    }

    /** The version in the jar's manifest (the build writes it). */
    static String version() {
        String version = Main.class.getPackage().getImplementationVersion();
        return version == null ? "(not built as a jar)" : version;
    }
}
