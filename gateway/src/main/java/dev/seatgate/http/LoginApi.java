package dev.seatgate.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.seatgate.config.TrustedProxies;
import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.licenses.LicenseType;
import dev.seatgate.seats.AccountNotice;
import dev.seatgate.seats.Admission;
import dev.seatgate.seats.LoginOutcome;
import dev.seatgate.seats.LoginRequest;
import dev.seatgate.seats.ResumeToken;
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
import java.util.function.Consumer;

/**
 * The agent API: the login handshake ({@code /v1/login}, {@code /v1/heartbeat}, {@code /v1/logout}). It reads
 * requests and translates what {@link Admission} and the {@link SeatLedger} decide into HTTP answers.
 */
final class LoginApi {

    /** Passwords longer than any the admin API accepts cannot match; refusing them early saves a hash. */
    private static final int MAX_PASSWORD_LENGTH = 128;
    /** Longer than any resume token; a longer one cannot be one. */
    private static final int MAX_RESUME_TOKEN_LENGTH = 128;
    private static final int MAX_DEVICE_ID_LENGTH = 128;

    private final Admission admission;
    private final SeatLedger seats;
    private final LicenseCatalog catalog;
    private final TrustedProxies trustedProxies;
    private final long leaseTtlSeconds;
    private final long heartbeatIntervalSeconds;
    private final Consumer<String> queuedIn;

    /** @param queuedIn told of the tenant of every login that waits in line (so that every gateway serves it) */
    LoginApi(Admission admission, SeatLedger seats, LicenseCatalog catalog, TrustedProxies trustedProxies,
             Duration leaseTtl, Duration heartbeatInterval, Consumer<String> queuedIn) {
        this.admission = admission;
        this.seats = seats;
        this.catalog = catalog;
        this.trustedProxies = trustedProxies;
        this.leaseTtlSeconds = leaseTtl.toSeconds();
        this.heartbeatIntervalSeconds = heartbeatInterval.toSeconds();
        this.queuedIn = queuedIn;
    }

    record LoginResponse(String sessionToken, String sessionId, String tenant, String agentId, String licenseType,
                         List<String> capabilities, long leaseTtlSeconds, long heartbeatIntervalSeconds,
                         Instant leaseExpiresAt, String replacedSessionId, String resumeToken,
                         Instant resumeTokenExpiresAt, String campaign,
                         /* only while the tenant is past due: absent, not null, otherwise (API.md) */
                         @JsonInclude(JsonInclude.Include.NON_NULL) AccountNotice accountNotice) {
    }

    record HeartbeatResponse(Instant leaseExpiresAt) {
    }

    /** 202: the login waits in line (API.md "The waiting line"). */
    record QueuedResponse(String ticket, String tenant, String agentId, String licenseType, String campaign,
                          long position, long waiting, Instant pollBefore) {
    }

    CompletionStage<ApiResponse> login(ApiRequest request) {
        JsonBody body = request.jsonBody();
        RequestFacts facts = request.facts();
        facts.tenant = body.identifier("tenant");
        facts.agentId = body.identifier("agentId");
        LoginRequest.Credential credential = credential(body, facts);
        LicenseType type = Identifiers.licenseType(catalog, "licenseType", body.requiredString("licenseType"));
        facts.licenseType = type.name();
        var login = new LoginRequest(facts.tenant, facts.agentId, credential, type,
                body.optionalString("deviceId", 1, MAX_DEVICE_ID_LENGTH), request.clientAddress(trustedProxies),
                body.optionalBoolean("queue").orElse(false), campaign(body));
        return admission.login(login).thenApply(outcome -> {
            facts.loginOutcome = outcome.kind();
            if (outcome instanceof LoginOutcome.Admitted admitted) {
                facts.sessionId = admitted.session().sessionId();
            }
            return answer(outcome, login);
        });
    }

    /**
     * Exactly one of {@code password} and {@code resumeToken}. A resume token of the wrong shape cannot be
     * valid: it is refused like a wrong one (401), not as a malformed request.
     */
    private static LoginRequest.Credential credential(JsonBody body, RequestFacts facts) {
        var password = body.optionalString("password", 1, MAX_PASSWORD_LENGTH);
        var resumeToken = body.optionalString("resumeToken", 1, MAX_RESUME_TOKEN_LENGTH);
        if (password.isPresent() == resumeToken.isPresent()) {
            throw ApiException.invalid("expected exactly one of 'password' and 'resumeToken'");
        }
        if (password.isPresent()) {
            return new LoginRequest.Credential.Password(password.get());
        }
        return new LoginRequest.Credential.Resume(ResumeToken.parse(resumeToken.get()).orElseThrow(() -> {
            facts.loginOutcome = LoginOutcome.Kind.INVALID_CREDENTIALS;
            return refusal(new LoginOutcome.InvalidCredentials(), null);
        }));
    }

    /** The HTTP answer to a login's outcome: 200 with the session, 202 in line, or the API's error for a refusal. */
    private ApiResponse answer(LoginOutcome outcome, LoginRequest login) {
        LicenseType type = login.type();
        if (outcome instanceof LoginOutcome.Admitted admitted) {
            return admittedAnswer(admitted, login.tenant(), login.agentId(), type);
        }
        if (outcome instanceof LoginOutcome.Queued queued) {
            queuedIn.accept(login.tenant());
            return ApiResponse.accepted(new QueuedResponse(queued.ticket().encoded(), login.tenant(), login.agentId(),
                    type.name(), login.campaign().orElse(null), queued.position(), queued.waiting(),
                    queued.pollBefore()));
        }
        throw refusal(outcome, type);
    }

    /** 200 with the session: a login's answer, also when a wait in line collects it. */
    ApiResponse admittedAnswer(LoginOutcome.Admitted admitted, String tenant, String agentId, LicenseType type) {
        return ApiResponse.ok(new LoginResponse(admitted.session().encoded(), admitted.session().sessionId(),
                tenant, agentId, type.name(), type.capabilities(), leaseTtlSeconds, heartbeatIntervalSeconds,
                admitted.leaseExpiresAt(), admitted.replacedSessionId().orElse(null),
                admitted.resumeToken().encoded(), admitted.resumeTokenExpiresAt(), admitted.campaign().orElse(null),
                admitted.accountNotice().orElse(null)));
    }

    /** {@code "campaign"}: an identifier, or absent (null) for none; whether the tenant has it is the claim's to say. */
    private static Optional<String> campaign(JsonBody body) {
        return body.optionalString("campaign").map(campaign -> Identifiers.require("campaign", campaign));
    }

    /** The API error for every outcome but admission. */
    static ApiException refusal(LoginOutcome outcome, LicenseType type) {
        if (outcome instanceof LoginOutcome.CampaignFull full) {
            return new ApiException(ErrorCode.CAMPAIGN_FULL, "campaign '" + full.campaign() + "' holds its most "
                    + type.name() + " sessions (" + full.inUse() + " of " + full.max() + ")",
                    Map.of("campaign", full.campaign(), "licenseType", type.name(), "max", full.max(),
                            "inUse", full.inUse()));
        }
        if (outcome instanceof LoginOutcome.CampaignNotPermitted) {
            return new ApiException(ErrorCode.CAMPAIGN_NOT_PERMITTED, "this agent may not work in this campaign");
        }
        if (outcome instanceof LoginOutcome.UnknownCampaign) {
            return ApiException.invalid("'campaign': no such campaign");
        }
        if (outcome instanceof LoginOutcome.SeatsExhausted exhausted) {
            Map<String, Object> details = new LinkedHashMap<>();
            details.put("licenseType", type.name());
            details.put("active", Math.max(0, exhausted.active()));
            details.put("inUse", exhausted.inUse());
            exhausted.nextActivationAt().ifPresent(at -> details.put("nextActivationAt", at));
            details.put("waiting", exhausted.waiting());
            details.put("reservedForOthers", exhausted.reservedForOthers());
            return new ApiException(ErrorCode.SEATS_EXHAUSTED, "no " + type.name() + " seat is free ("
                    + exhausted.inUse() + " of " + Math.max(0, exhausted.active()) + " in use"
                    + (exhausted.waiting() > 0 ? ", " + exhausted.waiting() + " waiting in line" : "")
                    + (exhausted.reservedForOthers() > 0 ? ", " + exhausted.reservedForOthers()
                    + " reserved for other campaigns" : "") + ")", details);
        }
        if (outcome instanceof LoginOutcome.QueueFull full) {
            return new ApiException(ErrorCode.QUEUE_FULL, "no " + type.name() + " seat is free and the line holds "
                    + full.limit() + " tickets already; try again later",
                    Map.of("licenseType", type.name(), "limit", full.limit()));
        }
        if (outcome instanceof LoginOutcome.AlreadyLoggedIn already) {
            return new ApiException(ErrorCode.ALREADY_LOGGED_IN, "this agent is already logged in; log out first",
                    Map.of("sessionId", already.sessionId()));
        }
        if (outcome instanceof LoginOutcome.InvalidCredentials) {
            return new ApiException(ErrorCode.INVALID_CREDENTIALS, "unknown tenant or agent, or wrong password");
        }
        if (outcome instanceof LoginOutcome.Disabled) {
            return new ApiException(ErrorCode.AGENT_DISABLED, "this agent is disabled");
        }
        if (outcome instanceof LoginOutcome.NotPermitted) {
            return new ApiException(ErrorCode.LICENSE_TYPE_NOT_PERMITTED,
                    "this agent may not use " + type.name() + " seats");
        }
        if (outcome instanceof LoginOutcome.AccountSuspended) {
            return new ApiException(ErrorCode.ACCOUNT_SUSPENDED, "this account is suspended; no agent can log in until"
                    + " its administrator restores it");
        }
        if (outcome instanceof LoginOutcome.Locked locked) {
            long seconds = retryAfterSeconds(locked.retryAfter());
            return new ApiException(ErrorCode.TOO_MANY_ATTEMPTS, "too many failed logins for this agent or from this"
                    + " address; try again in " + seconds + " s",
                    Map.of("retryAfterSeconds", seconds), Map.of("Retry-After", Long.toString(seconds)));
        }
        if (outcome instanceof LoginOutcome.Overloaded overloaded) {
            long seconds = retryAfterSeconds(overloaded.retryAfter());
            return new ApiException(ErrorCode.UNAVAILABLE, "too many logins need their password checked right now;"
                    + " try again in " + seconds + " s", Map.of("reason", "overloaded", "retryAfterSeconds", seconds),
                    Map.of("Retry-After", Long.toString(seconds)));
        }
        throw new IllegalStateException("not a refusal: " + outcome);
    }

    /** Whole seconds, rounded up, at least 1: what a {@code Retry-After} header can say. */
    private static long retryAfterSeconds(Duration retryAfter) {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
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
