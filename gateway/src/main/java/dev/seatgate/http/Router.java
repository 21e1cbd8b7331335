package dev.seatgate.http;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Maps a method and a path to a handler. Templates are literal segments and {@code {name}} parameters;
 * a path no route matches is 404 NOT_FOUND, a path matched only with other methods is 405 with Allow.
 * Whatever a handler throws or fails with becomes an error response through the {@link ErrorMapper}.
 */
public final class Router {

    /** One API call. It runs on the event loop and must not block: slow work returns a pending stage. */
    @FunctionalInterface
    interface Handler {
        CompletionStage<ApiResponse> handle(ApiRequest request);
    }

    private record Route(HttpMethod method, String[] segments, Handler handler) {
    }

    private final List<Route> routes = new ArrayList<>();
    private final ErrorMapper errors;

    Router(ErrorMapper errors) {
        this.errors = errors;
    }

    Router add(HttpMethod method, String template, Handler handler) {
        routes.add(new Route(method, template.split("/", -1), handler));
        return this;
    }

    /** The response to a request; never a failed stage: failures are mapped to error responses here. */
    CompletionStage<ApiResponse> dispatch(ApiRequest request) {
        CompletionStage<ApiResponse> response;
        try {
            response = route(request);
        } catch (RuntimeException e) {
            response = CompletableFuture.failedFuture(e);
        }
        return response.handle((ok, failure) -> failure == null ? ok : errors.toResponse(failure));
    }

    private CompletionStage<ApiResponse> route(ApiRequest request) {
        String[] segments = request.rawPath().split("/", -1);
        Set<String> allowed = new LinkedHashSet<>();
        for (Route route : routes) {
            Map<String, String> params = match(route.segments(), segments);
            if (params == null) {
                continue;
            }
            if (!route.method().equals(request.method())) {
                allowed.add(route.method().name());
                continue;
            }
            return route.handler().handle(request.withPathParams(params));
        }
        if (!allowed.isEmpty()) {
            return CompletableFuture.completedFuture(ApiResponse.error(ErrorCode.METHOD_NOT_ALLOWED,
                    request.method() + " is not allowed here (allowed: " + String.join(", ", allowed) + ")",
                    Map.of(), Map.of("Allow", String.join(", ", allowed))));
        }
        return CompletableFuture.completedFuture(ApiResponse.error(ErrorCode.NOT_FOUND,
                "no such path", Map.of(), Map.of()));
    }

    /** The parameters when the path matches the template, else null. */
    private static Map<String, String> match(String[] template, String[] path) {
        if (template.length != path.length) {
            return null;
        }
        Map<String, String> params = null;
        for (int i = 0; i < template.length; i++) {
            String expected = template[i];
            if (expected.startsWith("{") && expected.endsWith("}")) {
                String value = QueryStringDecoder.decodeComponent(path[i]);
                if (value.isEmpty()) {
                    return null;
                }
                if (params == null) {
                    params = new HashMap<>(4);
                }
                params.put(expected.substring(1, expected.length() - 1), value);
            } else if (!expected.equals(path[i])) {
                return null;
            }
        }
        return params == null ? Map.of() : params;
    }
}
