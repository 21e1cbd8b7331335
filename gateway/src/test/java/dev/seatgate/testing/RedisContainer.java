package dev.seatgate.testing;

import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.PortBinding;
import com.github.dockerjava.api.model.Ports;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * A Redis in a Docker container (Testcontainers), for machines that have a Docker engine: the tests then need no
 * {@code redis-server} of their own. It behaves as a local one does for the tests: a fixed port on the loopback
 * address (so a restart keeps it), SIGKILL to stop, start again from the AOF it wrote, and {@code docker pause}
 * for a freeze (the cgroup freezer: like SIGSTOP, the sockets stay open and nothing is answered).
 *
 * <p>{@code SEATGATE_TEST_REDIS} chooses: {@code auto} (the default: a container when a Docker engine on this
 * machine answers, else {@code redis-server}), {@code container} or {@code local}. Looking for the engine costs nothing where there
 * is no sign of one (no {@code DOCKER_HOST}, no Docker socket, no Testcontainers settings file), as in CI.
 */
final class RedisContainer {

    /** The Redis the gateway supports (7 or newer), as Redis' official image. */
    static final DockerImageName IMAGE = DockerImageName.parse("redis:7.4");

    private static final String CHOICE = System.getenv().getOrDefault("SEATGATE_TEST_REDIS", "auto")
            .toLowerCase(Locale.ROOT);
    private static volatile Boolean usable;

    private final GenericContainer<?> container;

    private RedisContainer(GenericContainer<?> container) {
        this.container = container;
    }

    /** Whether tests should run Redis in containers here; decided once per test JVM. */
    static boolean chosen() {
        return switch (CHOICE) {
            case "local" -> false;
            case "container" -> {
                if (!engineAnswers()) {
                    throw new IllegalStateException("SEATGATE_TEST_REDIS=container, but no Docker engine answers");
                }
                if (!engineIsLocal()) {
                    throw new IllegalStateException("SEATGATE_TEST_REDIS=container, but the Docker engine runs on "
                            + DockerClientFactory.instance().dockerHostIpAddress() + ": the tests need one on this"
                            + " machine (they reach Redis on 127.0.0.1)");
                }
                yield true;
            }
            case "auto" -> signsOfAnEngine(System.getenv(), Path.of(System.getProperty("user.home"))) && engineAnswers()
                    && engineIsLocal();
            default -> throw new IllegalStateException("SEATGATE_TEST_REDIS is '" + CHOICE
                    + "' (expected: auto, container or local)");
        };
    }

    /**
     * Whether anything says a Docker engine may be here: only then is Testcontainers asked, which would otherwise
     * try each of its ways to find one (and log each failure) on every machine without Docker.
     */
    static boolean signsOfAnEngine(Map<String, String> env, Path home) {
        if (env.containsKey("DOCKER_HOST") || Files.exists(home.resolve(".testcontainers.properties"))) {
            return true;
        }
        List<Path> sockets = new ArrayList<>(List.of(Path.of("/var/run/docker.sock"),
                home.resolve(".docker/run/docker.sock"), home.resolve(".docker/desktop/docker.sock")));
        if (env.containsKey("XDG_RUNTIME_DIR")) {
            sockets.add(Path.of(env.get("XDG_RUNTIME_DIR"), "docker.sock"));
        }
        return sockets.stream().anyMatch(Files::exists);
    }

    /** The tests reach Redis on the loopback address, so a remote engine (DOCKER_HOST=tcp://...) will not do. */
    private static boolean engineIsLocal() {
        String host = DockerClientFactory.instance().dockerHostIpAddress();
        return host.equals("localhost") || host.equals("127.0.0.1") || host.equals("::1");
    }

    private static boolean engineAnswers() {
        if (usable == null) {
            usable = DockerClientFactory.instance().isDockerAvailable();
        }
        return usable;
    }

    /** Starts Redis in a container listening on {@code port} of the loopback address, with these arguments. */
    static RedisContainer start(int port, List<String> redisArguments) {
        var command = new ArrayList<>(List.of("redis-server", "--port", "6379", "--save", "", "--dir", "/data"));
        command.addAll(redisArguments);
        GenericContainer<?> container = new GenericContainer<>(IMAGE)
                .withCommand(command.toArray(String[]::new))
                .withCreateContainerCmdModifier(create -> create.getHostConfig().withPortBindings(
                        new PortBinding(Ports.Binding.bindIpAndPort("127.0.0.1", port), ExposedPort.tcp(6379))))
                .waitingFor(Wait.forLogMessage(".*Ready to accept connections.*\\n", 1));
        container.start();
        return new RedisContainer(container);
    }

    /** SIGKILL, as a crash: nothing saved beyond what the AOF holds. The container and its files stay. */
    void kill() {
        container.getDockerClient().killContainerCmd(container.getContainerId()).withSignal("SIGKILL").exec();
    }

    /** Starts the killed container again: same port, same files, so Redis reloads its AOF. */
    void startAgain() {
        container.getDockerClient().startContainerCmd(container.getContainerId()).exec();
    }

    void pause() {
        container.getDockerClient().pauseContainerCmd(container.getContainerId()).exec();
    }

    void unpause() {
        container.getDockerClient().unpauseContainerCmd(container.getContainerId()).exec();
    }

    boolean running() {
        return container.getDockerClient().inspectContainerCmd(container.getContainerId()).exec().getState()
                .getRunning();
    }

    void close() {
        container.stop();
    }
}
