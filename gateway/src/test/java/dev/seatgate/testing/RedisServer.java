package dev.seatgate.testing;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway {@code redis-server} on a free loopback port, in a temporary directory, that tests can stop,
 * restart (from its AOF when {@code appendonly} is on), pause with SIGSTOP and resume with SIGCONT.
 *
 * <p>Never a mock, never skipped: when {@code redis-server} is missing the test fails and says what to
 * install. Where a Docker engine answers, {@link #start} runs Redis in a container instead ({@link RedisContainer},
 * which can do all of the above too); servers with arguments of their own (cluster nodes, replicas, which must reach
 * each other on the loopback address) are always local processes. {@code SEATGATE_TEST_REDIS_URI} points the tests
 * at a Redis that is already running instead; tests that need to stop or pause Redis then fail with a message
 * saying so.
 */
public final class RedisServer implements AutoCloseable {

    private static final String EXTERNAL_URI = System.getenv("SEATGATE_TEST_REDIS_URI");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(10);

    private final Path dir;
    private final boolean appendOnly;
    private final List<String> extraArguments;
    private int port;
    private Process process;
    private RedisContainer container;
    private RedisClient client;
    private StatefulRedisConnection<String, String> connection;

    private RedisServer(boolean appendOnly, List<String> extraArguments) {
        this.appendOnly = appendOnly;
        this.extraArguments = extraArguments;
        try {
            this.dir = Files.createTempDirectory("seatgate-redis-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a server; {@code appendOnly} turns on the AOF with {@code appendfsync always}. */
    public static RedisServer start(boolean appendOnly) {
        var server = new RedisServer(appendOnly, List.of());
        if (EXTERNAL_URI == null) {
            server.port = freePort();
            if (RedisContainer.chosen()) {
                server.container = RedisContainer.start(server.port, server.redisArguments());
            } else {
                server.launch();
            }
        }
        return server;
    }

    /**
     * Always a server of its own (never {@code SEATGATE_TEST_REDIS_URI}), with more {@code redis-server}
     * arguments: cluster mode, {@code --replicaof}, and the like.
     */
    public static RedisServer startOwn(boolean appendOnly, String... arguments) {
        var server = new RedisServer(appendOnly, List.of(arguments));
        server.port = freePort();
        server.launch();
        return server;
    }

    public String uri() {
        return process == null && container == null ? EXTERNAL_URI : "redis://127.0.0.1:" + port;
    }

    public int port() {
        requireOwnProcess("know the port");
        return port;
    }

    /** Stops the server (SIGKILL: nothing is saved beyond what the AOF already holds). */
    public void stop() {
        requireOwnProcess("stop it");
        if (container != null) {
            container.kill();
            return;
        }
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Starts the server again on the same port and directory (reloading the AOF if it had one). */
    public void restart() {
        requireOwnProcess("restart it");
        if (container != null) {
            if (container.running()) {
                container.kill();
            }
            container.startAgain();
            awaitPing();
            return;
        }
        if (process.isAlive()) {
            stop();
        }
        launch();
    }

    /** SIGSTOP: the server keeps its sockets open but answers nothing, like a machine that froze. */
    public void pause() {
        if (container != null) {
            container.pause();
            return;
        }
        signal("STOP");
    }

    /** SIGCONT: the server goes on, running whatever queued up while it was paused. */
    public void resume() {
        if (container != null) {
            container.unpause();
            return;
        }
        signal("CONT");
    }

    /** A plain Lettuce connection for test setup and for checking what Redis holds. */
    public RedisCommands<String, String> sync() {
        if (connection == null) {
            client = RedisClient.create(uri());
            client.setOptions(ClientOptions.builder()
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofSeconds(5))).build());
            connection = client.connect();
        }
        return connection.sync();
    }

    private void launch() {
        List<String> command = new ArrayList<>(List.of(redisServerBinary(),
                "--port", Integer.toString(port), "--bind", "127.0.0.1", "--dir", dir.toString(),
                "--save", "", "--daemonize", "no", "--protected-mode", "yes", "--logfile", "redis.log"));
        command.addAll(redisArguments());
        try {
            process = new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("stdout.log").toFile()).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run redis-server: " + e.getMessage(), e);
        }
        awaitPing();
    }

    /** What both a local server and a container are started with. */
    private List<String> redisArguments() {
        var arguments = new ArrayList<>(appendOnly ? List.of("--appendonly", "yes", "--appendfsync", "always")
                : List.of("--appendonly", "no"));
        arguments.addAll(extraArguments);
        return arguments;
    }

    private void awaitPing() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (process != null && !process.isAlive()) {
                throw new IllegalStateException("redis-server exited at start; see " + dir.resolve("redis.log"));
            }
            if (answersPing()) {
                return;
            }
            sleep(20);
        }
        throw new IllegalStateException("redis-server did not answer PING within " + START_TIMEOUT);
    }

    private void signal(String signal) {
        requireOwnProcess("send it SIG" + signal);
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid())).start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " failed with " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void requireOwnProcess(String what) {
        if (process == null && container == null) {
            throw new IllegalStateException("this test must " + what + ", which needs its own redis-server:"
                    + " unset SEATGATE_TEST_REDIS_URI and install redis-server");
        }
    }

    private static String redisServerBinary() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path candidate = Path.of(dir, "redis-server");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("redis-server is not installed: the integration tests need a real Redis."
                + " Install it (apt-get install -y redis-server) or set SEATGATE_TEST_REDIS_URI=redis://host:port");
    }

    private boolean answersPing() {
        try (var socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(1000);
            socket.getOutputStream().write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            String reply = new String(socket.getInputStream().readNBytes(7), StandardCharsets.US_ASCII);
            return reply.equals("+PONG\r\n") || reply.equals("-NOAUTH"); // up, and wants a password (requirepass)
        } catch (IOException notYet) {
            return false;
        }
    }

    /** A TCP port nothing listens on right now (for servers started by tests). */
    public static int freePort() {
        try (var socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
        }
        if (container != null) {
            container.close();
        }
        if (process != null) {
            process.destroyForcibly();
            try {
                process.waitFor(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
