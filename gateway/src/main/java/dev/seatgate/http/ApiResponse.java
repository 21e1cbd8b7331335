package dev.seatgate.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Map;

/**
 * What an API call answers: a status, a body that is written as JSON (none when null; {@link Text} as is),
 * and extra headers.
 */
public record ApiResponse(HttpResponseStatus status, Object body, Map<String, String> headers) {

    public static ApiResponse ok(Object body) {
        return new ApiResponse(HttpResponseStatus.OK, body, Map.of());
    }

    /** 202: a login that waits in line, a wait that ends without a seat. */
    public static ApiResponse accepted(Object body) {
        return new ApiResponse(HttpResponseStatus.ACCEPTED, body, Map.of());
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(HttpResponseStatus.CREATED, body, Map.of());
    }

    /** A body that is not JSON, such as the Prometheus exposition. */
    public record Text(String contentType, String content) {
    }

    public static ApiResponse text(String contentType, String content) {
        return new ApiResponse(HttpResponseStatus.OK, new Text(contentType, content), Map.of());
    }

    /** The code of an error response, or null. */
    String errorCode() {
        return body instanceof ErrorBody error ? error.error().code() : null;
    }

    public static ApiResponse noContent() {
        return new ApiResponse(HttpResponseStatus.NO_CONTENT, null, Map.of());
    }

    /** The JSON error body of API.md: {@code {"error": {"code", "message", "details"}}}. */
    public static ApiResponse error(ErrorCode code, String message, Map<String, Object> details,
                                    Map<String, String> headers) {
        return new ApiResponse(code.status(), new ErrorBody(new ErrorBody.Error(code.name(), message, details)),
                headers);
    }

    record ErrorBody(Error error) {
        record Error(String code, String message, Map<String, Object> details) {
        }
    }
}
