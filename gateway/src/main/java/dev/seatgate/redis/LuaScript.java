package dev.seatgate.redis;

/**
 * One of the gateway's Lua scripts ({@code lua/<name>.lua}, its contract in its header), as the function of the
 * {@link ScriptLibrary} that {@link ScriptRunner} calls with {@code FCALL}.
 */
public record LuaScript(String name, String function) {

    /** The script {@code lua/<name>.lua} of this gateway's library. */
    public static LuaScript load(String name) {
        return ScriptLibrary.SEATGATE.script(name);
    }
}
