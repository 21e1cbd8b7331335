package dev.seatgate.http;

import dev.seatgate.agents.Authenticator;
import dev.seatgate.config.TrustedProxies;
import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.licenses.LicenseType;
import dev.seatgate.seats.ClaimResult;
import dev.seatgate.seats.SeatLedger;
import dev.seatgate.seats.SessionResult;
import dev.seatgate.seats.SessionToken;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The agent API: the login handshake ({@code /v1/login}, {@code /v1/heartbeat}, {@code /v1/logout}). */
final class LoginApi {

    /** Passwords longer than any the admin API accepts cannot match; refusing them early saves a hash. */
    private static final int MAX_PASSWORD_LENGTH = 128;
    private static final int MAX_DEVICE_ID_LENGTH = 128;

    private final Authenticator authenticator;
    private final SeatLedger seats;
    private final LicenseCatalog catalog;
    private final TrustedProxies trustedProxies;
    private final long leaseTtlSeconds;
    private final long heartbeatIntervalSeconds;

    LoginApi(Authenticator authenticator, SeatLedger seats, LicenseCatalog catalog, TrustedProxies trustedProxies,
             Duration leaseTtl, Duration heartbeatInterval) {
        this.authenticator = authenticator;
        this.seats = seats;
        this.catalog = catalog;
        this.trustedProxies = trustedProxies;
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
        RequestFacts facts = request.facts();
        facts.tenant = body.identifier("tenant");
        facts.agentId = body.identifier("agentId");
        String password = body.requiredString("password", 1, MAX_PASSWORD_LENGTH);
        LicenseType type = Identifiers.licenseType(catalog, "licenseType", body.requiredString("licenseType"));
        facts.licenseType = type.name();
        var login = new Login(facts.tenant, facts.agentId, password, type,
                body.optionalString("deviceId", 1, MAX_DEVICE_ID_LENGTH), request.clientAddress(trustedProxies));
        return attempt(login, true).thenApply(response -> {
            if (response.body() instanceof LoginResponse admitted) {
                facts.sessionId = admitted.sessionId();
            }
            return response;
        });
    }

    private record Login(String tenant, String agentId, String password, LicenseType type, Optional<String> deviceId,
                         InetAddress client) {
    }

    /**
     * Checks the password (from the credential cache when {@code useCache}) and claims a seat. When the claim
     * finds the agent changed since a cached check, the password is checked again with the slow hash.
     */
    private CompletionStage<ApiResponse> attempt(Login login, boolean useCache) {
        return authenticator.authenticate(login.tenant(), login.agentId(), login.password(), login.client(), useCache)
                .thenCompose(result -> {
                    if (result instanceof Authenticator.Result.Locked locked) {
                        throw tooManyAttempts(locked.retryAfter());
                    }
                    if (!(result instanceof Authenticator.Result.Verified verified)) {
                        throw invalidCredentials();
                    }
                    return seats.claim(login.tenant(), login.agentId(), verified.credentialId(), login.type(),
                            login.deviceId()).thenCompose(claim -> {
                                if (claim instanceof ClaimResult.AgentChanged) {
                                    authenticator.forget(login.tenant(), login.agentId());
                                    if (verified.fromCache()) {
                                        return attempt(login, false);
                                    }
                                    throw invalidCredentials(); // deleted, or its password changed, just now
                                }
                                return CompletableFuture.completedFuture(answer(claim, login));
                            });
                });
    }

    private static ApiException tooManyAttempts(Duration retryAfter) {
        long seconds = Math.max(1, (retryAfter.toMillis() + 999) / 1000);
        return new ApiException(ErrorCode.TOO_MANY_ATTEMPTS, "too many failed logins for this agent or from this"
                + " address; try again in " + seconds + " s",
                Map.of("retryAfterSeconds", seconds), Map.of("Retry-After", Long.toString(seconds)));
    }

    private static ApiException invalidCredentials() {
        return new ApiException(ErrorCode.INVALID_CREDENTIALS, "unknown tenant or agent, or wrong password");
    }

    private ApiResponse answer(ClaimResult result, Login login) {
        LicenseType type = login.type();
        if (result instanceof ClaimResult.Admitted admitted) {
            return ApiResponse.ok(new LoginResponse(admitted.token().encoded(), admitted.token().sessionId(),
                    login.tenant(), login.agentId(), type.name(), type.capabilities(), leaseTtlSeconds,
                    heartbeatIntervalSeconds, admitted.leaseExpiresAt(), admitted.replacedSessionId().orElse(null)));
        }
        if (result instanceof ClaimResult.Exhausted exhausted) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("licenseType", type.name());
            details.put("active", Math.max(0, exhausted.active()));
            details.put("inUse", exhausted.inUse());
            exhausted.nextActivationAt().ifPresent(at -> details.put("nextActivationAt", at));
            throw new ApiException(ErrorCode.SEATS_EXHAUSTED, "no " + type.name() + " seat is free ("
                    + exhausted.inUse() + " of " + Math.max(0, exhausted.active()) + " in use)", details);
        }
        if (result instanceof ClaimResult.AlreadyLoggedIn already) {
            throw new ApiException(ErrorCode.ALREADY_LOGGED_IN, "this agent is already logged in; log out first",
                    Map.of("sessionId", already.sessionId()));
        }
        if (result instanceof ClaimResult.Locked locked) {
            throw tooManyAttempts(locked.retryAfter());
        }
        if (result instanceof ClaimResult.Disabled) {
            throw new ApiException(ErrorCode.AGENT_DISABLED, "this agent is disabled");
        }
        throw new ApiException(ErrorCode.LICENSE_TYPE_NOT_PERMITTED,
                "this agent may not use " + type.name() + " seats");
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
        SessionToken token = request.bearerToken().flatMap(SessionToken::parse).orElseThrow(() -> new ApiException(
                ErrorCode.INVALID_SESSION_TOKEN, "expected Authorization: Bearer <sessionToken from /v1/login>"));
        request.facts().tenant = token.tenant();
        request.facts().sessionId = token.sessionId();
        return token;
    }

    private static ApiException notLive(SessionResult result) {
        if (result instanceof SessionResult.Gone gone) {
            return new ApiException(ErrorCode.SESSION_GONE, "this session no longer holds a seat ("
                    + gone.reason().wireName() + "); log in again", Map.of("reason", gone.reason().wireName()));
        }
        return new ApiException(ErrorCode.INVALID_SESSION_TOKEN, "unknown session token");
    }
}
