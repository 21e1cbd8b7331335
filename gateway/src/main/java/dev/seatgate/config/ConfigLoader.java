package dev.seatgate.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Builds a {@link GatewayConfig} from the command line, the environment and an optional YAML file, and
 * validates every value. A bad value throws a {@link ConfigException} whose one-line message names the
 * setting (as the user wrote it: the variable, or the file key and file) and what was expected.
 */
public final class ConfigLoader {

    /** Tenant ids (API.md). */
    private static final Pattern TENANT_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    /** A scheme, optional credentials, one or more host:port, then an optional path and query. */
    private static final String HOST_PORT = "([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+])(:\\d{1,5})?";
    private static final Pattern REDIS_URI = Pattern.compile("(redis|rediss|redis-sentinel|redis-cluster)://"
            + "([^@/]*@)?" + HOST_PORT + "(," + HOST_PORT + ")*(/[^?]*)?(\\?.*)?");
    /** Below this the admin token is guessable; the gateway refuses to start with it. */
    private static final int MIN_ADMIN_TOKEN_LENGTH = 16;
    /** Argon2's minimum is 8 KiB per lane: enough for tests; production keeps the default. */
    private static final int MIN_PASSWORD_MEMORY_KIB = 8;
    /** 1 GiB per hash: more would not fit many hashing threads in a gateway's heap. */
    private static final int MAX_PASSWORD_MEMORY_KIB = 1024 * 1024;

    private final Map<Setting, Value> values = new EnumMap<>(Setting.class);
    /** The default each unset setting took, as text: what {@code --help} shows. */
    private final Map<Setting, String> defaults = new EnumMap<>(Setting.class);
    private ConfigSection licenseCatalog;

    private ConfigLoader() {
    }

    /**
     * @param args the command line: nothing, or {@code --config FILE}
     * @param env  the environment (System.getenv() in production)
     */
    public static GatewayConfig load(List<String> args, Map<String, String> env) {
        var loader = new ConfigLoader();
        configFile(args).ifPresent(loader::readFile);
        for (Setting setting : Setting.values()) {
            String fromEnv = setting.envName() == null ? null : env.get(setting.envName());
            if (fromEnv != null) {
                loader.values.put(setting, new Value(fromEnv.trim(), setting.envName()));
            }
        }
        return loader.build();
    }

    /**
     * The default of every setting that has one, as the loader applies it when nothing sets it (so --help can never
     * drift from what the gateway does).
     */
    public static Map<Setting, String> defaults() {
        var loader = new ConfigLoader();
        loader.build();
        return Map.copyOf(loader.defaults);
    }

    private static Optional<Path> configFile(List<String> args) {
        Path file = null;
        for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
            String arg = it.next();
            if (arg.equals("--config")) {
                if (!it.hasNext()) {
                    throw new ConfigException("--config: missing file name (expected: --config FILE)");
                }
                file = Path.of(it.next());
            } else if (arg.startsWith("--config=")) {
                file = Path.of(arg.substring("--config=".length()));
            } else {
                throw new ConfigException("unknown argument '" + arg + "' (expected: --config FILE, --help or --version)");
            }
        }
        return Optional.ofNullable(file);
    }

    private void readFile(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper(new YAMLFactory()).readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw new ConfigException("--config: " + file + " does not exist");
        } catch (JacksonException e) {
            var at = e.getLocation();
            throw new ConfigException("--config: " + file + " is not valid YAML"
                    + (at == null || at.getLineNr() < 1 ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr())
                    + ": " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new ConfigException("--config: cannot read " + file + ": " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            return; // an empty file sets nothing
        }
        if (!root.isObject()) {
            throw new ConfigException("--config: " + file + " must be a mapping of setting: value");
        }
        for (var field : root.properties()) {
            Setting setting = Arrays.stream(Setting.values())
                    .filter(s -> field.getKey().equals(s.fileKey()))
                    .findFirst()
                    .orElseThrow(() -> new ConfigException(field.getKey() + " (in " + file + "): unknown setting"
                            + " (expected one of: " + Arrays.stream(Setting.values()).map(Setting::fileKey)
                            .filter(Objects::nonNull).collect(Collectors.joining(", ")) + ")"));
            String origin = field.getKey() + " (in " + file + ")";
            if (setting == Setting.LICENSE_CATALOG) {
                licenseCatalog = new ConfigSection(field.getValue(), origin);
            } else if (field.getValue().isValueNode() && !field.getValue().isNull()) {
                values.put(setting, new Value(field.getValue().asText().trim(), origin));
            } else {
                throw new ConfigException(origin + ": expected a single value");
            }
        }
    }

    private GatewayConfig build() {
        checkLoggingSettings();
        Duration leaseTtl = duration(Setting.LEASE_TTL, GatewayConfig.DEFAULT_LEASE_TTL,
                Duration.ofSeconds(2), Duration.ofHours(1)); // the longest: MAX_LEASE_TTL_MS in lib.lua
        Duration heartbeat = duration(Setting.HEARTBEAT_INTERVAL, GatewayConfig.DEFAULT_HEARTBEAT_INTERVAL,
                Duration.ofSeconds(1), Duration.ofHours(1));
        if (heartbeat.compareTo(leaseTtl) >= 0) {
            throw new ConfigException(origin(Setting.HEARTBEAT_INTERVAL) + ": " + heartbeat
                    + " (expected: shorter than the lease TTL " + leaseTtl + ", or every lease would lapse)");
        }
        return new GatewayConfig(
                redisUri(),
                text(Setting.AGENT_BIND, GatewayConfig.DEFAULT_AGENT_BIND),
                port(Setting.AGENT_PORT, GatewayConfig.DEFAULT_AGENT_PORT),
                text(Setting.ADMIN_BIND, GatewayConfig.DEFAULT_ADMIN_BIND),
                port(Setting.ADMIN_PORT, GatewayConfig.DEFAULT_ADMIN_PORT),
                adminToken(),
                tenantAdminTokens(),
                token(Setting.METRICS_TOKEN),
                tls(),
                new HttpLimits(
                        integer(Setting.MAX_CONNECTIONS, HttpLimits.DEFAULT_MAX_CONNECTIONS, 1, 10_000_000),
                        duration(Setting.REQUEST_TIMEOUT, HttpLimits.DEFAULT_REQUEST_TIMEOUT, Duration.ofMillis(100),
                                Duration.ofMinutes(10)),
                        integer(Setting.MAX_HEADER_BYTES, HttpLimits.DEFAULT_MAX_HEADER_BYTES, 1024, 1024 * 1024),
                        integer(Setting.MAX_HEADERS, HttpLimits.DEFAULT_MAX_HEADERS, 8, 10_000)),
                duration(Setting.ACTIVATION_DELAY, GatewayConfig.DEFAULT_ACTIVATION_DELAY,
                        Duration.ZERO, Duration.ofDays(1)),
                leaseTtl,
                heartbeat,
                secondLogin(),
                duration(Setting.RESUME_TTL, GatewayConfig.DEFAULT_RESUME_TTL, Duration.ofMinutes(1),
                        Duration.ofDays(366)),
                duration(Setting.RECONNECT_GRACE, GatewayConfig.DEFAULT_RECONNECT_GRACE, Duration.ofSeconds(1),
                        Duration.ofMinutes(10)),
                integer(Setting.QUEUE_LIMIT, GatewayConfig.DEFAULT_QUEUE_LIMIT, 0, 1_000_000),
                duration(Setting.REDIS_TIMEOUT, GatewayConfig.DEFAULT_REDIS_TIMEOUT,
                        Duration.ofMillis(10), Duration.ofMinutes(1)),
                integer(Setting.PURCHASE_REPLICAS, GatewayConfig.DEFAULT_PURCHASE_REPLICAS, 0, 100),
                duration(Setting.IDLE_TIMEOUT, GatewayConfig.DEFAULT_IDLE_TIMEOUT,
                        Duration.ofSeconds(1), Duration.ofHours(1)),
                duration(Setting.SHUTDOWN_GRACE, GatewayConfig.DEFAULT_SHUTDOWN_GRACE,
                        Duration.ZERO, Duration.ofMinutes(10)),
                signedDuration(Setting.CLOCK_OFFSET, GatewayConfig.DEFAULT_CLOCK_OFFSET),
                new HashingConfig(
                        integer(Setting.PASSWORD_MEMORY_KIB, HashingConfig.DEFAULT_MEMORY_KIB, MIN_PASSWORD_MEMORY_KIB,
                                MAX_PASSWORD_MEMORY_KIB),
                        integer(Setting.PASSWORD_PASSES, HashingConfig.DEFAULT_PASSES, 1, 100),
                        integer(Setting.HASH_THREADS, HashingConfig.defaultThreads(), 1, 256),
                        duration(Setting.HASH_QUEUE_WAIT, HashingConfig.DEFAULT_MAX_QUEUE_WAIT, Duration.ofMillis(100),
                                Duration.ofMinutes(1))),
                integer(Setting.CREDENTIAL_CACHE_SIZE, GatewayConfig.DEFAULT_CREDENTIAL_CACHE_SIZE, 0, 10_000_000),
                new LockoutPolicy(
                        integer(Setting.LOCKOUT_AGENT_FAILURES, GatewayConfig.DEFAULT_LOCKOUT_AGENT_FAILURES, 1, 1_000_000),
                        integer(Setting.LOCKOUT_ADDRESS_FAILURES, GatewayConfig.DEFAULT_LOCKOUT_ADDRESS_FAILURES, 1,
                                1_000_000),
                        duration(Setting.LOCKOUT_WINDOW, GatewayConfig.DEFAULT_LOCKOUT_WINDOW, Duration.ofSeconds(1),
                                Duration.ofDays(1))),
                trustedProxies(),
                duration(Setting.METRICS_REFRESH, GatewayConfig.DEFAULT_METRICS_REFRESH, Duration.ofSeconds(1),
                        Duration.ofHours(1)),
                integer(Setting.METRICS_TENANT_MIN_SEATS, GatewayConfig.DEFAULT_METRICS_TENANT_MIN_SEATS, 0,
                        Integer.MAX_VALUE),
                metricsTenants(),
                Optional.ofNullable(licenseCatalog));
    }

    private String redisUri() {
        String uri = text(Setting.REDIS_URI, GatewayConfig.DEFAULT_REDIS_URI);
        if (!REDIS_URI.matcher(uri).matches()
                || uri.startsWith("redis-sentinel://") != uri.contains("sentinelMasterId=")
                || (uri.startsWith("redis://") || uri.startsWith("rediss://")) && endpoints(uri).contains(",")) {
            throw new ConfigException(origin(Setting.REDIS_URI) + ": '" + RedisUris.redact(uri) + "' (expected: "
                    + "redis://[:password@]host:port[/db], rediss://..., "
                    + "redis-sentinel://host:port[,host:port]/?sentinelMasterId=NAME or "
                    + "redis-cluster://host:port[,host:port])");
        }
        return uri;
    }

    /** The host:port list of a Redis URI, between the scheme (or the credentials) and the path. */
    private static String endpoints(String uri) {
        String rest = uri.substring(uri.indexOf("://") + 3);
        return rest.substring(rest.lastIndexOf('@') + 1).replaceFirst("[/?].*$", "");
    }

    private Optional<String> adminToken() {
        return token(Setting.ADMIN_TOKEN);
    }

    /** A bearer token setting: unset, or at least 16 printable characters without spaces. */
    private Optional<String> token(Setting setting) {
        Value value = values.get(setting);
        if (value == null || value.text().isEmpty()) {
            return Optional.empty();
        }
        if (value.text().length() < MIN_ADMIN_TOKEN_LENGTH || !value.text().chars().allMatch(c -> c > 32 && c < 127)) {
            throw new ConfigException(value.origin() + ": expected at least " + MIN_ADMIN_TOKEN_LENGTH
                    + " printable characters without spaces (e.g. from: openssl rand -hex 24)");
        }
        return Optional.of(value.text());
    }

    /** {@code tenant=token[,tenant=token...]}: each token administers its one tenant only. */
    private Map<String, String> tenantAdminTokens() {
        Value value = values.get(Setting.TENANT_ADMIN_TOKENS);
        if (value == null || value.text().isEmpty()) {
            return Map.of();
        }
        var tokens = new TreeMap<String, String>();
        for (String pair : value.text().split(",")) {
            int equals = pair.indexOf('=');
            String tenant = equals < 0 ? "" : pair.substring(0, equals).trim();
            String token = equals < 0 ? "" : pair.substring(equals + 1).trim();
            if (!TENANT_ID.matcher(tenant).matches() || token.length() < MIN_ADMIN_TOKEN_LENGTH
                    || !token.chars().allMatch(c -> c > 32 && c < 127 && c != ',')) {
                throw new ConfigException(value.origin() + ": expected tenant=token pairs separated by commas, each"
                        + " token at least " + MIN_ADMIN_TOKEN_LENGTH + " printable characters (e.g. from: openssl rand"
                        + " -hex 24)");
            }
            if (tokens.containsValue(token) || tokens.containsKey(tenant)
                    || adminToken().filter(token::equals).isPresent()) {
                throw new ConfigException(value.origin() + ": every tenant, and every token, may appear only once"
                        + " (and no tenant token may equal SEATGATE_ADMIN_TOKEN)");
            }
            tokens.put(tenant, token);
        }
        return tokens;
    }

    private Optional<TlsFiles> tls() {
        Value certificate = values.get(Setting.TLS_CERTIFICATE);
        Value privateKey = values.get(Setting.TLS_PRIVATE_KEY);
        if (certificate == null && privateKey == null) {
            return Optional.empty();
        }
        if (certificate == null || privateKey == null) {
            throw new ConfigException((certificate != null ? certificate : privateKey).origin()
                    + ": TLS needs both SEATGATE_TLS_CERTIFICATE and SEATGATE_TLS_PRIVATE_KEY (PEM files)");
        }
        for (Value file : List.of(certificate, privateKey)) {
            if (!Files.isReadable(Path.of(file.text()))) {
                throw new ConfigException(file.origin() + ": '" + file.text() + "' is not a readable file");
            }
        }
        var tls = new TlsFiles(Path.of(certificate.text()), Path.of(privateKey.text()));
        try {
            tls.serverContext();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(certificate.origin() + ", " + privateKey.origin() + ": not a usable PEM certificate"
                    + " and PKCS#8 private key (" + e.getMessage() + ")");
        }
        return Optional.of(tls);
    }

    private Set<String> metricsTenants() {
        Value value = values.get(Setting.METRICS_TENANTS);
        if (value == null) {
            return Set.of();
        }
        var tenants = new TreeSet<String>();
        for (String tenant : value.text().split(",")) {
            String trimmed = tenant.trim();
            if (!trimmed.isEmpty() && !TENANT_ID.matcher(trimmed).matches()) {
                throw new ConfigException(value.origin() + ": '" + trimmed
                        + "' is not a tenant id (expected: comma-separated ids of A-Z a-z 0-9 _ -)");
            }
            if (!trimmed.isEmpty()) {
                tenants.add(trimmed);
            }
        }
        return tenants;
    }

    /** Settings logback reads from the environment; checked here so a typo stops the start like any other. */
    private void checkLoggingSettings() {
        // The defaults are logback.xml's.
        check(Setting.LOG_LEVEL, "INFO", List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF"));
        check(Setting.LOG_FORMAT, "text", List.of("text", "json"));
        check(Setting.EVENT_LOG, "OFF", List.of("INFO", "OFF"));
    }

    private void check(Setting setting, String defaultValue, List<String> allowed) {
        Value value = values.get(setting);
        if (value == null) {
            defaults.put(setting, defaultValue);
        }
        if (value != null && !allowed.contains(value.text())) {
            throw new ConfigException(value.origin() + ": '" + value.text() + "' (expected one of: "
                    + String.join(", ", allowed) + ")");
        }
    }

    private TrustedProxies trustedProxies() {
        Value value = values.get(Setting.TRUSTED_PROXIES);
        if (value == null) {
            return TrustedProxies.NONE;
        }
        try {
            return TrustedProxies.parse(value.text());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(value.origin() + ": " + e.getMessage()
                    + " (expected: comma-separated addresses and CIDR ranges, e.g. 10.0.0.0/8, 192.168.1.7)");
        }
    }

    private SecondLoginPolicy secondLogin() {
        String text = text(Setting.SECOND_LOGIN, GatewayConfig.DEFAULT_SECOND_LOGIN.wireName());
        return Arrays.stream(SecondLoginPolicy.values())
                .filter(p -> p.wireName().equals(text.toLowerCase(Locale.ROOT)))
                .findFirst()
                .orElseThrow(() -> new ConfigException(origin(Setting.SECOND_LOGIN) + ": '" + text
                        + "' (expected: takeover or reject)"));
    }

    private String text(Setting setting, String defaultValue) {
        Value value = values.get(setting);
        if (value == null) {
            defaults.put(setting, defaultValue);
            return defaultValue;
        }
        if (value.text().isEmpty()) {
            throw new ConfigException(value.origin() + ": empty (expected a value, or leave it unset for "
                    + defaultValue + ")");
        }
        return value.text();
    }

    private int port(Setting setting, int defaultValue) {
        return integer(setting, defaultValue, 0, 65_535);
    }

    private int integer(Setting setting, int defaultValue, int min, int max) {
        Value value = values.get(setting);
        if (value == null) {
            defaults.put(setting, Integer.toString(defaultValue));
            return defaultValue;
        }
        try {
            int parsed = Integer.parseInt(value.text());
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new ConfigException(value.origin() + ": '" + value.text() + "' (expected: an integer from "
                    + min + " to " + max + ")");
        }
    }

    private Duration duration(Setting setting, Duration defaultValue, Duration min, Duration max) {
        Duration parsed = signedDuration(setting, defaultValue);
        if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
            Value value = values.get(setting);
            throw new ConfigException(origin(setting) + ": '" + value.text() + "' (expected: from " + iso(min)
                    + " to " + iso(max) + ")");
        }
        return parsed;
    }

    /** A bound as the README writes it: two or more whole days as days (P366D, where Duration prints PT8784H). */
    private static String iso(Duration duration) {
        return duration.toDays() > 1 && duration.toSeconds() % 86_400 == 0 ? "P" + duration.toDays() + "D"
                : duration.toString();
    }

    private Duration signedDuration(Setting setting, Duration defaultValue) {
        Value value = values.get(setting);
        if (value == null) {
            defaults.put(setting, iso(defaultValue));
            return defaultValue;
        }
        try {
            return Duration.parse(value.text());
        } catch (DateTimeParseException e) {
            throw new ConfigException(value.origin() + ": '" + value.text()
                    + "' (expected: an ISO-8601 duration such as " + defaultValue + ")");
        }
    }

    private String origin(Setting setting) {
        Value value = values.get(setting);
        return value != null ? value.origin() : setting.envName();
    }

    /** A raw setting and where it came from, for error messages. */
    private record Value(String text, String origin) {
    }
}
