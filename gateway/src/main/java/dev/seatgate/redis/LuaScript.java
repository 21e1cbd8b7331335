package dev.seatgate.redis;

import dev.seatgate.Crypto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * One Lua script: its name, its source and the SHA-1 that {@code EVALSHA} addresses it by.
 *
 * <p>Every script is {@code lua/lib.lua} (the helpers the scripts share: the clock, lease and session
 * bookkeeping), then {@code lua/campaigns.lua} (campaigns' caps and reservations), {@code lua/line.lua} (the waiting
 * line's), {@code lua/standing.lua} (account standing's), then {@code lua/<name>.lua}. The SHA is computed here, so a
 * script can be run by SHA
 * before anyone has loaded it; a {@code NOSCRIPT} reply makes {@link ScriptRunner} load it and retry.
 *
 * <p>Each script's first line is its Redis 7 shebang, which goes first: {@code #!lua} for a script that may
 * need memory, which Redis then refuses with {@code OOM} before it runs when it is over {@code maxmemory}
 * (without a shebang Redis would judge by the script's first write, and a script that first frees a little
 * would go on to fill memory); {@code #!lua flags=allow-oom} for one that frees seats or only reads, which
 * must keep working then (heartbeats, logouts, revocations, lists).
 */
public record LuaScript(String name, String source, String sha) {

    private static final List<String> LIBRARIES = List.of("lib", "campaigns", "line", "standing");
    private static final String SHEBANG = "#!lua";

    /** Reads the libraries and {@code lua/<name>.lua} from the classpath. */
    public static LuaScript load(String name) {
        String script = resource(name);
        if (!script.startsWith(SHEBANG)) {
            throw new IllegalStateException("lua/" + name + ".lua does not start with its " + SHEBANG + " line");
        }
        int firstLine = script.indexOf('\n') + 1;
        var source = new StringBuilder(script.substring(0, firstLine));
        LIBRARIES.forEach(library -> source.append(resource(library)).append('\n'));
        source.append(script.substring(firstLine));
        return new LuaScript(name, source.toString(), Crypto.sha1Hex(source.toString()));
    }

    private static String resource(String name) {
        String path = "/lua/" + name + ".lua";
        try (InputStream in = LuaScript.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing script resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
