package dev.seatgate.http;

import java.util.Map;

/**
 * A request that ends in an API error: the code, a message for humans, and optional details. Thrown by
 * the {@code *Api} classes and turned into the JSON error body in one place, {@link ErrorMapper}.
 */
public final class ApiException extends RuntimeException {

    private final ErrorCode code;
    private final Map<String, Object> details;

    public ApiException(ErrorCode code, String message) {
        this(code, message, Map.of());
    }

    public ApiException(ErrorCode code, String message, Map<String, Object> details) {
        super(message, null, false, false);
        this.code = code;
        this.details = details;
    }

    public ErrorCode code() {
        return code;
    }

    public Map<String, Object> details() {
        return details;
    }

    public static ApiException invalid(String message) {
        return new ApiException(ErrorCode.INVALID_REQUEST, message);
    }
}
