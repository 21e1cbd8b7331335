package dev.seatgate.http;

import dev.seatgate.standing.AccountStanding;
import dev.seatgate.standing.Standing;
import dev.seatgate.standing.StandingStatus;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** {@code PUT/GET /v1/tenants/{tenant}/standing} (API.md "Account standing"). */
final class StandingApi {

    /** A note says why (an invoice number, a ticket); longer text belongs in the billing system. */
    private static final int MAX_NOTE_LENGTH = 500;

    private final AccountStanding standing;

    StandingApi(AccountStanding standing) {
        this.standing = standing;
    }

    CompletionStage<ApiResponse> put(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        JsonBody body = request.jsonBody();
        String wire = body.requiredString("status");
        StandingStatus status = StandingStatus.fromWire(wire).orElseThrow(() -> ApiException.invalid(
                "field 'status' must be one of active, past_due, suspended"));
        Optional<String> note = body.optionalString("note", 0, MAX_NOTE_LENGTH);
        Optional<Instant> suspendAt = body.optionalString("suspendAt").map(StandingApi::instant);
        if (suspendAt.isPresent() && status != StandingStatus.PAST_DUE) {
            throw ApiException.invalid("field 'suspendAt' is only allowed with status past_due");
        }
        return standing.put(tenant, status, note, suspendAt).thenApply(found -> answer(tenant, found));
    }

    CompletionStage<ApiResponse> get(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        return standing.get(tenant).thenApply(found -> answer(tenant, found));
    }

    private static ApiResponse answer(String tenant, Optional<Standing> found) {
        return ApiResponse.ok(found.orElseThrow(() -> TenantsApi.tenantNotFound(tenant)));
    }

    /** An ISO-8601 instant in UTC, as every time of the API ({@code 2026-11-27T17:00:30Z}). */
    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw ApiException.invalid("field 'suspendAt' must be an ISO-8601 instant such as 2026-11-27T17:00:30Z");
        }
    }
}
