package dev.seatgate.http;

import dev.seatgate.agents.CredentialCache;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The CPU work of a cached login apart from Redis: reading the request (body copy, JSON, field checks),
 * checking the password against a warm credential cache, and writing the answer (JSON into a pooled buffer).
 * In {@code dev.seatgate.http} to reach the package's own classes.
 *
 * <pre>
 * java -jar benchmarks/target/seatgate-benchmarks.jar CodecBenchmark
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CodecBenchmark {

    private static final byte[] LOGIN = ("{\"tenant\": \"acme\", \"agentId\": \"1001\", \"password\": \"s3cret-pass\","
            + " \"licenseType\": \"outbound\", \"deviceId\": \"softphone-7\"}").getBytes(StandardCharsets.UTF_8);
    private static final InetSocketAddress PEER = new InetSocketAddress("10.1.2.3", 40000);

    private CredentialCache cache;
    private LoginApi.LoginResponse answer;

    @Setup
    public void prepare() {
        cache = new CredentialCache(1000);
        cache.remember("acme", "1001", "s3cret-pass", "0123456789abcdef0123456789abcdef01234567");
        answer = new LoginApi.LoginResponse("acme.AAAAAAAAAAAAAAAAAAAAAA." + "B".repeat(43), "AAAAAAAAAAAAAAAAAAAAAA",
                "acme", "1001", "outbound", List.of("predictive_dialing", "manual_dialing", "inbound"), 30, 10,
                Instant.parse("2026-11-27T17:00:30.123Z"), null, "C".repeat(22) + "." + "D".repeat(43),
                Instant.parse("2026-12-04T17:00:00.123Z"), null, null);
    }

    @Benchmark
    public String decodeLogin() {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/v1/login",
                Unpooled.wrappedBuffer(LOGIN));
        ApiRequest api = ApiRequest.from(request, PEER);
        JsonBody body = api.jsonBody();
        return body.identifier("tenant") + body.identifier("agentId") + body.requiredString("password", 1, 128)
                + body.requiredString("licenseType") + body.optionalString("deviceId", 1, 128).orElse("");
    }

    @Benchmark
    public Object cachedCredential() {
        return cache.verified("acme", "1001", "s3cret-pass");
    }

    @Benchmark
    public int encodeLoginAnswer() {
        FullHttpResponse response = ResponseEncoder.encode(PooledByteBufAllocator.DEFAULT, ApiResponse.ok(answer), true);
        ByteBuf content = response.content();
        int size = content.readableBytes();
        response.release();
        return size;
    }
}
