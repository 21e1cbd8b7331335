package dev.seatgate.config;

import java.time.Duration;

/**
 * What one client may make a listener hold, so that a slow or hostile client cannot exhaust the gateway
 * for everyone else. (The body limit, 16 KiB, is part of the API contract and not configurable.)
 *
 * @param maxConnections connections open at once per listener; more are answered 503 and closed
 * @param requestTimeout from a request's first byte until it has arrived whole (408 and closed beyond):
 *                       a client trickling bytes to keep a socket open (slowloris) is cut off
 * @param maxHeaderBytes the headers, in bytes (431 beyond); the request line gets at most this too (414)
 * @param maxHeaders     header fields per request (431 beyond)
 */
public record HttpLimits(int maxConnections, Duration requestTimeout, int maxHeaderBytes, int maxHeaders) {

    /** Enough for 50,000 idle softphones per gateway; keep it below the process's open-file limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 50_000;
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final int DEFAULT_MAX_HEADER_BYTES = 8192;
    public static final int DEFAULT_MAX_HEADERS = 64;

    public static final HttpLimits DEFAULT = new HttpLimits(DEFAULT_MAX_CONNECTIONS, DEFAULT_REQUEST_TIMEOUT,
            DEFAULT_MAX_HEADER_BYTES, DEFAULT_MAX_HEADERS);
}
