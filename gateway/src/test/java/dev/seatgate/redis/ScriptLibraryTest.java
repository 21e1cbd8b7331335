package dev.seatgate.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ScriptLibraryTest {

    @Test
    void everyScriptInTheLuaFolderIsAFunctionOfTheLibraryAndEveryOtherFileAHelper() throws IOException {
        List<String> files;
        try (Stream<Path> lua = Files.list(Path.of("src/main/resources/lua"))) {
            files = lua.map(file -> file.getFileName().toString().replaceFirst("\\.lua$", "")).sorted().toList();
        }
        var listed = new ArrayList<>(ScriptLibrary.SCRIPTS);
        listed.addAll(ScriptLibrary.HELPERS);

        assertThat(listed).containsExactlyInAnyOrderElementsOf(files);
        String source = ScriptLibrary.SEATGATE.source();
        for (String script : ScriptLibrary.SCRIPTS) {
            assertThat(source).contains("function_name = '" + ScriptLibrary.SEATGATE.script(script).function() + "'");
        }
    }

    @Test
    void theLibraryAndItsFunctionsAreNamedByTheDigestOfItsSourceAndEachScriptKeepsItsFlags() {
        ScriptLibrary library = ScriptLibrary.SEATGATE;
        String version = library.name().substring("seatgate_".length());

        assertThat(version).matches("[0-9a-f]{12}");
        assertThat(library.source()).startsWith("#!lua name=" + library.name() + "\n");
        assertThat(LuaScript.load("claim").function()).isEqualTo("sg_" + version + "_claim");
        assertThat(library.source())
                .contains("function_name = 'sg_" + version + "_claim', flags = {}")
                .contains("function_name = 'sg_" + version + "_heartbeat', flags = {'allow-oom'}");
        assertThatThrownBy(() -> LuaScript.load("lib")).isInstanceOf(IllegalArgumentException.class);
    }
}
