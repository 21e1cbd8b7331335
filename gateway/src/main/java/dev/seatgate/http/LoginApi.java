package dev.seatgate.http;

import dev.seatgate.agents.Agent;
import dev.seatgate.agents.Authenticator;
import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.licenses.LicenseType;
import dev.seatgate.seats.ClaimResult;
import dev.seatgate.seats.SeatLedger;
import dev.seatgate.seats.SessionResult;
import dev.seatgate.seats.SessionToken;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The agent API: the login handshake ({@code /v1/login}, {@code /v1/heartbeat}, {@code /v1/logout}). */
final class LoginApi {

    /** Passwords longer than any the admin API accepts cannot match; refusing them early saves a hash. */
    private static final int MAX_PASSWORD_LENGTH = 128;
    private static final int MAX_DEVICE_ID_LENGTH = 128;

    private final Authenticator authenticator;
    private final SeatLedger seats;
    private final LicenseCatalog catalog;
    private final long leaseTtlSeconds;
    private final long heartbeatIntervalSeconds;

    LoginApi(Authenticator authenticator, SeatLedger seats, LicenseCatalog catalog, Duration leaseTtl,
             Duration heartbeatInterval) {
        this.authenticator = authenticator;
        this.seats = seats;
        this.catalog = catalog;
        this.leaseTtlSeconds = leaseTtl.toSeconds();
        this.heartbeatIntervalSeconds = heartbeatInterval.toSeconds();
    }

    record LoginResponse(String sessionToken, String sessionId, String tenant, String agentId, String licenseType,
                         List<String> capabilities, long leaseTtlSeconds, long heartbeatIntervalSeconds,
                         Instant leaseExpiresAt, String replacedSessionId) {
    }

    record HeartbeatResponse(Instant leaseExpiresAt) {
    }

    CompletionStage<ApiResponse> login(ApiRequest request) {
        JsonBody body = request.jsonBody();
        String tenant = body.identifier("tenant");
        String agentId = body.identifier("agentId");
        String password = body.requiredString("password", 1, MAX_PASSWORD_LENGTH);
        LicenseType type = Identifiers.licenseType(catalog, "licenseType", body.requiredString("licenseType"));
        Optional<String> deviceId = body.optionalString("deviceId", 1, MAX_DEVICE_ID_LENGTH);
        return authenticator.authenticate(tenant, agentId, password)
                .thenCompose(agent -> seats.claim(tenant, agentId, permitted(agent, type), deviceId))
                .thenApply(result -> admitted(result, tenant, agentId, type));
    }

    private static LicenseType permitted(Optional<Agent> agent, LicenseType type) {
        if (agent.isEmpty()) {
            throw new ApiException(ErrorCode.INVALID_CREDENTIALS, "unknown tenant or agent, or wrong password");
        }
        if (!agent.get().enabled()) {
            throw new ApiException(ErrorCode.AGENT_DISABLED, "this agent is disabled");
        }
        if (!agent.get().mayUse(type.name())) {
            throw new ApiException(ErrorCode.LICENSE_TYPE_NOT_PERMITTED,
                    "this agent may not use " + type.name() + " seats (allowed: "
                            + String.join(", ", agent.get().licenseTypes()) + ")");
        }
        return type;
    }

    private ApiResponse admitted(ClaimResult result, String tenant, String agentId, LicenseType type) {
        if (result instanceof ClaimResult.Admitted admitted) {
            return ApiResponse.ok(new LoginResponse(admitted.token().encoded(), admitted.token().sessionId(), tenant,
                    agentId, type.name(), type.capabilities(), leaseTtlSeconds, heartbeatIntervalSeconds,
                    admitted.leaseExpiresAt(), admitted.replacedSessionId().orElse(null)));
        }
        if (result instanceof ClaimResult.Exhausted exhausted) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("licenseType", type.name());
            details.put("active", exhausted.active());
            details.put("inUse", exhausted.inUse());
            exhausted.nextActivationAt().ifPresent(at -> details.put("nextActivationAt", at));
            throw new ApiException(ErrorCode.SEATS_EXHAUSTED, "no " + type.name() + " seat is free ("
                    + exhausted.inUse() + " of " + exhausted.active() + " in use)", details);
        }
        var already = (ClaimResult.AlreadyLoggedIn) result;
        throw new ApiException(ErrorCode.ALREADY_LOGGED_IN, "this agent is already logged in; log out first",
                Map.of("sessionId", already.sessionId()));
    }

    CompletionStage<ApiResponse> heartbeat(ApiRequest request) {
        return seats.heartbeat(sessionToken(request)).thenApply(result -> {
            if (result instanceof SessionResult.Extended extended) {
                return ApiResponse.ok(new HeartbeatResponse(extended.leaseExpiresAt()));
            }
            throw notLive(result);
        });
    }

    CompletionStage<ApiResponse> logout(ApiRequest request) {
        // 204 also when the session had already ended: the client's intent is met either way.
        return seats.logout(sessionToken(request)).thenApply(result -> {
            if (result instanceof SessionResult.Unknown) {
                throw notLive(result);
            }
            return ApiResponse.noContent();
        });
    }

    private static SessionToken sessionToken(ApiRequest request) {
        return request.bearerToken().flatMap(SessionToken::parse).orElseThrow(() -> new ApiException(
                ErrorCode.INVALID_SESSION_TOKEN, "expected Authorization: Bearer <sessionToken from /v1/login>"));
    }

    private static ApiException notLive(SessionResult result) {
        if (result instanceof SessionResult.Gone gone) {
            return new ApiException(ErrorCode.SESSION_GONE, "this session no longer holds a seat ("
                    + gone.reason().wireName() + "); log in again", Map.of("reason", gone.reason().wireName()));
        }
        return new ApiException(ErrorCode.INVALID_SESSION_TOKEN, "unknown session token");
    }
}
