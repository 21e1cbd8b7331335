package dev.seatgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The console's files as they are built into the jar: every one listed (and nothing else served), and none needing
 * what its Content-Security-Policy forbids: inline script or style, other origins, HTML made from strings.
 */
class ConsoleFilesTest {

    private static final Path SOURCES = Path.of("src/main/resources/console");
    /** Ways to run text as code or markup, which the console never needs. */
    private static final Pattern UNSAFE_SINKS = Pattern.compile(
            "innerHTML|outerHTML|insertAdjacentHTML|document\\.write|\\beval\\(|new Function|setTimeout\\(['\"]");

    @Test
    void everyFileOfTheSourcesIsListedAndLoads() throws IOException {
        try (Stream<Path> files = Files.list(SOURCES)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .containsExactlyInAnyOrderElementsOf(ConsoleFiles.NAMES);
        }
        ConsoleFiles loaded = ConsoleFiles.load();
        for (String name : ConsoleFiles.NAMES) {
            assertThat(loaded.find(name)).as(name).hasValueSatisfying(file -> {
                assertThat(file.content()).isNotEmpty();
                assertThat(file.contentType()).isNotNull();
            });
        }
        assertThat(loaded.find("../logback.xml")).isEmpty();
        assertThat(loaded.find("")).isEmpty();
    }

    @Test
    void thePageHasNoInlineScriptOrStyle() throws IOException {
        String page = Files.readString(SOURCES.resolve("index.html"));

        assertThat(Pattern.compile("<script(?![^>]*\\bsrc=)").matcher(page).find()).as("inline <script>").isFalse();
        assertThat(page).doesNotContain("<style", " style=", "javascript:");
        assertThat(Pattern.compile("\\son[a-z]+=").matcher(page).find()).as("inline event handlers").isFalse();
    }

    @Test
    void nothingComesFromElsewhereOrIsWrittenAsMarkup() throws IOException {
        for (String name : ConsoleFiles.NAMES) {
            String content = Files.readString(SOURCES.resolve(name))
                    .replace("xmlns=\"http://www.w3.org/2000/svg\"", ""); // a name, never fetched
            assertThat(content).as(name).doesNotContain("http://", "https://", "//cdn", "@import");
            if (name.endsWith(".js")) {
                assertThat(UNSAFE_SINKS.matcher(content).find()).as(name + " writes markup or evaluates text")
                        .isFalse();
            }
        }
    }
}
