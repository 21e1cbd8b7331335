package dev.seatgate.http;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.seatgate.Json;
import dev.seatgate.config.TrustedProxies;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One HTTP request as the {@code *Api} classes see it: decoded, with its body copied out of Netty's
 * buffer (released when the event-loop callback returns) and the path parameters its route matched.
 */
final class ApiRequest {

    private static final String BEARER = "Bearer ";

    private final HttpMethod method;
    private final String rawPath;
    private final Map<String, List<String>> query;
    private static final String FORWARDED_FOR = "X-Forwarded-For";
    /** Jackson's message for a key given twice (Json.MAPPER rejects them). */
    private static final Pattern DUPLICATE_FIELD = Pattern.compile("Duplicate field '([^']*)'");

    private final HttpHeaders headers;
    private final byte[] body;
    private final InetAddress peer;
    private final Map<String, String> pathParams;
    private final RequestFacts facts;

    private ApiRequest(HttpMethod method, String rawPath, Map<String, List<String>> query, HttpHeaders headers,
                       byte[] body, InetAddress peer, Map<String, String> pathParams, RequestFacts facts) {
        this.method = method;
        this.rawPath = rawPath;
        this.query = query;
        this.headers = headers;
        this.body = body;
        this.peer = peer;
        this.pathParams = pathParams;
        this.facts = facts;
    }

    /** @param remote the socket's peer */
    static ApiRequest from(FullHttpRequest request, SocketAddress remote) {
        var uri = new QueryStringDecoder(request.uri());
        InetAddress peer = remote instanceof InetSocketAddress socket && socket.getAddress() != null
                ? socket.getAddress() : InetAddress.getLoopbackAddress();
        // The headers outlive the request (only its content buffer is released), so they need no copy.
        return new ApiRequest(request.method(), uri.rawPath(), uri.parameters(), request.headers(),
                ByteBufUtil.getBytes(request.content()), peer, Map.of(), new RequestFacts());
    }

    /**
     * A login sent on a live socket, as if it had been POSTed to /v1/login: with the headers of the socket's upgrade
     * request (X-Forwarded-For, for the client's address) and its peer.
     */
    static ApiRequest overSocket(HttpHeaders upgradeHeaders, InetAddress peer, byte[] body) {
        return new ApiRequest(HttpMethod.POST, "/v1/login", Map.of(), upgradeHeaders, body,
                peer != null ? peer : InetAddress.getLoopbackAddress(), Map.of(), new RequestFacts());
    }

    ApiRequest withPathParams(Map<String, String> params) {
        return new ApiRequest(method, rawPath, query, headers, body, peer, params, facts);
    }

    /** What handlers learned about this request, for metrics and the event log. */
    RequestFacts facts() {
        return facts;
    }

    /**
     * The client: the socket's peer, or what a trusted proxy says in X-Forwarded-For. Every line of the header
     * counts, in order, as one list: a proxy may add a line of its own after the one the client sent (HAProxy's
     * {@code option forwardfor} does), and reading only the first would believe the client.
     */
    InetAddress clientAddress(TrustedProxies trustedProxies) {
        List<String> lines = headers.getAll(FORWARDED_FOR);
        return trustedProxies.clientAddress(peer,
                lines.isEmpty() ? Optional.empty() : Optional.of(String.join(",", lines)));
    }

    HttpMethod method() {
        return method;
    }

    /** The path as sent, still percent-encoded: the router decodes it segment by segment. */
    String rawPath() {
        return rawPath;
    }

    /** A parameter of the matched route template, such as {@code tenant} in {@code /v1/tenants/{tenant}}. */
    String pathParam(String name) {
        String value = pathParams.get(name);
        if (value == null) {
            throw new IllegalStateException("route has no parameter " + name);
        }
        return value;
    }

    Optional<String> queryParam(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    Optional<String> header(CharSequence name) {
        return Optional.ofNullable(headers.get(name));
    }

    /** The token of an {@code Authorization: Bearer <token>} header. */
    Optional<String> bearerToken() {
        return header(HttpHeaderNames.AUTHORIZATION)
                .filter(value -> value.regionMatches(true, 0, BEARER, 0, BEARER.length()))
                .map(value -> value.substring(BEARER.length()).trim())
                .filter(token -> !token.isEmpty());
    }

    /** Whether the request has a body at all. */
    boolean hasBody() {
        return body.length > 0;
    }

    /** The body as a JSON object; 400 when it is empty, not JSON, or not an object. */
    JsonBody jsonBody() {
        if (body.length == 0) {
            throw ApiException.invalid("the body must be a JSON object");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(body);
        } catch (JacksonException e) {
            Matcher duplicate = DUPLICATE_FIELD.matcher(String.valueOf(e.getOriginalMessage()));
            if (duplicate.lookingAt()) {
                throw ApiException.invalid("field '" + duplicate.group(1) + "' appears more than once");
            }
            var at = e.getLocation();
            throw ApiException.invalid(at == null ? "the body is not valid JSON"
                    : "the body is not valid JSON (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")");
        } catch (IOException e) {
            throw ApiException.invalid("the body cannot be read: " + e.getMessage());
        }
        if (node == null || !node.isObject()) {
            throw ApiException.invalid("the body must be a JSON object");
        }
        return new JsonBody(node);
    }
}
