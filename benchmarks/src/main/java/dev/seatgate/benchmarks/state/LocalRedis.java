package dev.seatgate.benchmarks.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A throwaway {@code redis-server} (persistence off) on a free loopback port, for benchmarks that need a
 * real Redis. Set {@code SEATGATE_BENCH_REDIS_URI} to use one that is running already.
 */
public final class LocalRedis implements AutoCloseable {

    private final Process process;
    private final String uri;

    private LocalRedis(Process process, String uri) {
        this.process = process;
        this.uri = uri;
    }

    public static LocalRedis start() {
        String external = System.getenv("SEATGATE_BENCH_REDIS_URI");
        if (external != null) {
            return new LocalRedis(null, external);
        }
        try {
            int port;
            try (var socket = new ServerSocket(0)) {
                port = socket.getLocalPort();
            }
            Path dir = Files.createTempDirectory("seatgate-bench-redis-");
            Process process = new ProcessBuilder("redis-server", "--port", Integer.toString(port), "--bind", "127.0.0.1",
                    "--save", "", "--appendonly", "no", "--dir", dir.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("redis.log").toFile()).start();
            for (int i = 0; i < 100; i++) {
                try {
                    new Socket("127.0.0.1", port).close(); // it accepts connections: it is up
                    return new LocalRedis(process, "redis://127.0.0.1:" + port);
                } catch (IOException notYet) {
                    Thread.sleep(50);
                }
            }
            process.destroyForcibly();
            throw new IllegalStateException("redis-server did not start; see " + dir.resolve("redis.log"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run redis-server (apt-get install -y redis-server)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String uri() {
        return uri;
    }

    @Override
    public void close() {
        if (process != null) {
            process.destroy();
            try {
                process.waitFor(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
