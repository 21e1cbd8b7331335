package dev.seatgate.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Starts {@code Main} as a real process, the way an operator would, with a bad setting. */
class MainExitStatusTest {

    /** A gateway that wrongly started must not outlive the test. */
    private static final List<Process> PROCESSES = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void killLeftovers() {
        PROCESSES.forEach(Process::destroyForcibly);
        PROCESSES.clear();
    }

    @Test
    void aBadSettingExitsWithStatus2AndOneLineNamingIt() throws Exception {
        Process process = java("SEATGATE_LEASE_TTL", "thirty seconds");

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr.lines().toList()).containsExactly(
                "seatgate: SEATGATE_LEASE_TTL: 'thirty seconds' (expected: an ISO-8601 duration such as PT30S)");
    }

    @Test
    void anUnusableRedisUriIsAConfigurationErrorToo() throws Exception {
        Process process = java("SEATGATE_REDIS_URI", "redis://host:notaport");

        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String stderr = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(stderr.lines().toList()).hasSize(1);
        assertThat(stderr).startsWith("seatgate: SEATGATE_REDIS_URI: 'redis://host:notaport' (expected: redis://");
    }

    private static Process java(String variable, String value) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        var builder = new ProcessBuilder(List.of(java, "-cp", System.getProperty("java.class.path"),
                "dev.seatgate.Main"));
        builder.environment().put(variable, value);
        builder.environment().put("SEATGATE_AGENT_PORT", "0");
        builder.environment().put("SEATGATE_ADMIN_PORT", "0");
        Process process = builder.redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        PROCESSES.add(process);
        return process;
    }
}
