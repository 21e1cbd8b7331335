package dev.seatgate.redis;

import dev.seatgate.Crypto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The gateway's Lua as one Redis Functions library: loaded with {@code FUNCTION LOAD}, each script called with
 * {@code FCALL} (Redis 7).
 *
 * <p>The library is {@code lua/lib.lua}, {@code lua/campaigns.lua}, {@code lua/line.lua} and {@code lua/standing.lua}
 * (the helpers the scripts share), then every script of {@link #SCRIPTS} as a function. Why not {@code EVALSHA}: an
 * EVAL script builds its ~80 helper functions anew on every call, and Lua's garbage collector then walks every cached
 * script's copy of them; a library builds them once, when it is loaded (docs/performance.md: a heartbeat costs Redis
 * 9 µs instead of 16).
 *
 * <p>The scripts stay written as EVAL scripts: global {@code KEYS} and {@code ARGV}, a first line {@code #!lua} or
 * {@code #!lua flags=allow-oom} (whether Redis may run it when over {@code maxmemory}). Each becomes a function whose
 * callback hands the library its {@code KEYS} and {@code ARGV} and resets what {@code lib.lua} keeps per call
 * ({@code freed}) before it runs the script's body.
 *
 * <p>The library's name and its functions' carry a digest of its source ({@code seatgate_<12 hex>},
 * {@code sg_<12 hex>_claim}): gateways of two versions on one Redis (a rolling upgrade) each call their own library
 * and never replace the other's.
 */
public final class ScriptLibrary {

    /** Every script, by the name of its file in {@code lua/}; a script not listed here cannot be called. */
    static final List<String> SCRIPTS = List.of("agents", "attach", "claim", "create_agent", "cycle", "delete_agent",
            "delete_campaign", "detach", "end_session", "get_standing", "heartbeat", "licenses", "list_campaigns",
            "lockout_check", "lockout_fail", "lockout_release", "lockout_reserve", "purchase", "put_campaign",
            "put_standing", "put_tenant", "queue", "queue_cancel", "queue_forget", "queue_tick", "queue_wait", "removal",
            "renew_attached", "revoke_resume_tokens", "sessions", "suspension_forget", "update_agent");

    /** The helpers every script may use, in the order they build on each other. */
    static final List<String> HELPERS = List.of("lib", "campaigns", "line", "standing");

    private static final Pattern SHEBANG = Pattern.compile("#!lua( flags=([a-z-]+(,[a-z-]+)*))?");

    /** The library of this build of the gateway. */
    public static final ScriptLibrary SEATGATE = build();

    private final String name;
    private final String version;
    private final String source;

    private ScriptLibrary(String version, String source) {
        this.name = "seatgate_" + version;
        this.version = version;
        this.source = source;
    }

    /** The library's name in Redis ({@code FUNCTION LIST LIBRARYNAME}). */
    public String name() {
        return name;
    }

    /** What {@code FUNCTION LOAD} is given. */
    public String source() {
        return source;
    }

    /** The script {@code lua/<script>.lua}, as a function of this library. */
    public LuaScript script(String script) {
        if (!SCRIPTS.contains(script)) {
            throw new IllegalArgumentException("lua/" + script + ".lua is not one of ScriptLibrary.SCRIPTS");
        }
        return new LuaScript(script, "sg_" + version + "_" + script);
    }

    private static ScriptLibrary build() {
        var body = new StringBuilder("local KEYS, ARGV -- this call's, set by each function before it runs its script\n");
        HELPERS.forEach(helper -> body.append(resource(helper)).append('\n'));
        var registrations = new StringBuilder();
        for (String script : SCRIPTS) {
            String text = resource(script);
            int firstLine = text.indexOf('\n');
            var shebang = SHEBANG.matcher(text.substring(0, firstLine));
            if (!shebang.matches()) {
                throw new IllegalStateException("lua/" + script + ".lua does not start with #!lua or #!lua flags=...");
            }
            body.append("local function ").append(script).append("_script()\n")
                    .append(text.substring(firstLine + 1)).append("\nend\n");
            String flags = shebang.group(2) == null ? "" : "'" + shebang.group(2).replace(",", "', '") + "'";
            registrations.append("redis.register_function{function_name = 'sg_%s_").append(script)
                    .append("', flags = {").append(flags).append("}, callback = function(keys, args)\n")
                    .append("  KEYS, ARGV, freed = keys, args, {}\n  return ").append(script).append("_script()\nend}\n");
        }
        String version = Crypto.sha1Hex(body + registrations.toString()).substring(0, 12);
        String source = "#!lua name=seatgate_" + version + "\n" + body + registrations.toString().replace("%s", version);
        return new ScriptLibrary(version, source);
    }

    private static String resource(String name) {
        String path = "/lua/" + name + ".lua";
        try (InputStream in = ScriptLibrary.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
