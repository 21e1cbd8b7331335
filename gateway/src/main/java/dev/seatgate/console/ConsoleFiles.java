package dev.seatgate.console;

import dev.seatgate.Crypto;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The console's files (HTML, CSS, JavaScript modules and an icon of our own), read once from the jar when the
 * gateway starts. Only the files named in {@link #NAMES} exist: a request is looked up by its exact name in that
 * map, so no path, however encoded, can reach anything else on the class path or the disk.
 */
public final class ConsoleFiles {

    /** Where the files lie on the class path. */
    private static final String ROOT = "console/";
    /** Every file of the console, by the last segment of its URL under {@code /console/}. */
    public static final List<String> NAMES = List.of("index.html", "console.css", "favicon.svg", "main.js", "api.js",
            "ui.js", "licenses.js", "agents.js", "lists.js");
    /** Content types by file extension: every name above has one of these. */
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "svg", "image/svg+xml; charset=utf-8");

    /** One file: its content type, its text (UTF-8), and a strong ETag of its content. */
    public record File(String name, String contentType, String content, String etag) {
    }

    private final Map<String, File> files;

    private ConsoleFiles(Map<String, File> files) {
        this.files = files;
    }

    /** Reads every file; a missing one means a broken build, and stops the gateway at start. */
    public static ConsoleFiles load() {
        var files = new LinkedHashMap<String, File>();
        for (String name : NAMES) {
            String content = read(ROOT + name);
            String type = CONTENT_TYPES.get(name.substring(name.lastIndexOf('.') + 1));
            files.put(name, new File(name, type, content, '"' + Crypto.sha256Hex(content).substring(0, 32) + '"'));
        }
        return new ConsoleFiles(Map.copyOf(files));
    }

    /** The file of that exact name, if the console has one. */
    public Optional<File> find(String name) {
        return Optional.ofNullable(files.get(name));
    }

    private static String read(String resource) {
        try (InputStream in = ConsoleFiles.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("the console's " + resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
