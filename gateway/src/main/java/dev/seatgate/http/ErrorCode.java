package dev.seatgate.http;

import io.netty.handler.codec.http.HttpResponseStatus;

/** Every error code of the API (API.md) with its HTTP status. The wire name is the constant's name. */
public enum ErrorCode {
    INVALID_REQUEST(HttpResponseStatus.BAD_REQUEST),
    INVALID_CREDENTIALS(HttpResponseStatus.UNAUTHORIZED),
    INVALID_SESSION_TOKEN(HttpResponseStatus.UNAUTHORIZED),
    UNAUTHORIZED(HttpResponseStatus.UNAUTHORIZED),
    /** A tenant's admin token used on another tenant (an addition to API.md). */
    FORBIDDEN(HttpResponseStatus.FORBIDDEN),
    AGENT_DISABLED(HttpResponseStatus.FORBIDDEN),
    LICENSE_TYPE_NOT_PERMITTED(HttpResponseStatus.FORBIDDEN),
    /** The tenant is suspended (API.md "Account standing"): logins and purchases are refused. */
    ACCOUNT_SUSPENDED(HttpResponseStatus.FORBIDDEN),
    TENANT_NOT_FOUND(HttpResponseStatus.NOT_FOUND),
    AGENT_NOT_FOUND(HttpResponseStatus.NOT_FOUND),
    /** No such session of the tenant (an addition to API.md). */
    SESSION_NOT_FOUND(HttpResponseStatus.NOT_FOUND),
    /** No such path (an addition to API.md). */
    NOT_FOUND(HttpResponseStatus.NOT_FOUND),
    /** The path exists but not with this method; the {@code Allow} header lists those it has. */
    METHOD_NOT_ALLOWED(HttpResponseStatus.METHOD_NOT_ALLOWED),
    /** The request did not arrive whole within SEATGATE_REQUEST_TIMEOUT (an addition to API.md). */
    REQUEST_TIMEOUT(HttpResponseStatus.REQUEST_TIMEOUT),
    SEATS_EXHAUSTED(HttpResponseStatus.CONFLICT),
    ALREADY_LOGGED_IN(HttpResponseStatus.CONFLICT),
    AGENT_EXISTS(HttpResponseStatus.CONFLICT),
    SESSION_GONE(HttpResponseStatus.GONE),
    INVALID_QUEUE_TICKET(HttpResponseStatus.UNAUTHORIZED),
    QUEUE_FULL(HttpResponseStatus.CONFLICT),
    CAMPAIGN_FULL(HttpResponseStatus.CONFLICT),
    CAMPAIGN_NOT_PERMITTED(HttpResponseStatus.FORBIDDEN),
    CAMPAIGN_NOT_FOUND(HttpResponseStatus.NOT_FOUND),
    QUEUE_TICKET_GONE(HttpResponseStatus.GONE),
    PAYLOAD_TOO_LARGE(HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE),
    URI_TOO_LONG(HttpResponseStatus.REQUEST_URI_TOO_LONG),
    IDEMPOTENCY_KEY_REUSED(HttpResponseStatus.UNPROCESSABLE_ENTITY),
    INVALID_COUNT(HttpResponseStatus.UNPROCESSABLE_ENTITY),
    TOO_MANY_ATTEMPTS(HttpResponseStatus.TOO_MANY_REQUESTS),
    HEADERS_TOO_LARGE(HttpResponseStatus.REQUEST_HEADER_FIELDS_TOO_LARGE),
    INTERNAL(HttpResponseStatus.INTERNAL_SERVER_ERROR),
    UNAVAILABLE(HttpResponseStatus.SERVICE_UNAVAILABLE);

    private final HttpResponseStatus status;

    ErrorCode(HttpResponseStatus status) {
        this.status = status;
    }

    public HttpResponseStatus status() {
        return status;
    }
}
