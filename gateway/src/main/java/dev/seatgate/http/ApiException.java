package dev.seatgate.http;

import java.util.Map;

/**
 * A request that ends in an API error: the code, a message for humans, and optional details. Thrown by
 * the {@code *Api} classes and turned into the JSON error body in one place, {@link ErrorMapper}.
 */
public final class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;
    private final Map<String, String> headers;

    public ApiException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ApiException(ErrorCode code, String message, Map<String, Object> details) {
        this(code, message, details, Map.of());
    }

    /** @param headers extra response headers, such as {@code Retry-After} */
    public ApiException(ErrorCode code, String message, Map<String, Object> details, Map<String, String> headers) {
        super(message, null, false, false);
        this.code = code;
        this.details = details;
        this.headers = headers;
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, message);
    }
}
