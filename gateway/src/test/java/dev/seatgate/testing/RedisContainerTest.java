package dev.seatgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the tests' Redis comes from: a container only where something says a Docker engine is there. */
class RedisContainerTest {

    @TempDir
    Path home;

    @Test
    void noSignOfAnEngineMeansTestcontainersIsNotEvenAsked() {
        assertThat(RedisContainer.signsOfAnEngine(Map.of("XDG_RUNTIME_DIR", home.toString()), home)).isFalse();
    }

    @Test
    void anyOfTheUsualSignsIsEnoughToAsk() throws IOException {
        assertThat(RedisContainer.signsOfAnEngine(Map.of("DOCKER_HOST", "tcp://docker:2375"), home)).isTrue();

        Files.createFile(home.resolve("docker.sock"));
        assertThat(RedisContainer.signsOfAnEngine(Map.of("XDG_RUNTIME_DIR", home.toString()), home)).isTrue();

        Path other = Files.createDirectory(home.resolve("other"));
        Files.writeString(other.resolve(".testcontainers.properties"), "docker.host=tcp://docker:2375\n");
        assertThat(RedisContainer.signsOfAnEngine(Map.of(), other)).isTrue();
    }

    /** This machine (and CI) has no Docker engine: the tests run redis-server, and deciding that is immediate. */
    @Test
    void withoutDockerTheLocalRedisServerIsUsed() {
        long started = System.nanoTime();
        boolean container = RedisContainer.chosen();
        long millis = (System.nanoTime() - started) / 1_000_000;
        System.out.printf("RedisContainerTest: Docker engine %s, decided in %d ms%n", container ? "used" : "not used",
                millis);

        if (!RedisContainer.signsOfAnEngine(System.getenv(), Path.of(System.getProperty("user.home")))) {
            assertThat(container).isFalse();
            try (RedisServer redis = RedisServer.start(false)) {
                assertThat(redis.sync().ping()).isEqualTo("PONG");
                assertThat(redis.uri()).startsWith("redis://127.0.0.1:");
            }
        }
    }
}
