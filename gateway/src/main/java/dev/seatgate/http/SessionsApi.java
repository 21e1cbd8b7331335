package dev.seatgate.http;

import dev.seatgate.seats.SeatLedger;
import dev.seatgate.seats.SessionResult;
import dev.seatgate.tenants.TenantDirectory;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** {@code GET /v1/tenants/{tenant}/sessions} and {@code DELETE .../sessions/{sessionId}}. */
final class SessionsApi {

    private final TenantDirectory tenants;
    private final SeatLedger seats;

    SessionsApi(TenantDirectory tenants, SeatLedger seats) {
        this.tenants = tenants;
        this.seats = seats;
    }

    record SessionsResponse(List<SeatLedger.LiveSession> sessions, String nextCursor) {
    }

    /** A page of the live sessions, oldest login first within the page. */
    CompletionStage<ApiResponse> list(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        PageRequest wanted = PageRequest.from(request);
        return seats.sessions(tenant, wanted.cursor(), wanted.limit()).thenApply(found -> {
            var page = found.orElseThrow(() -> TenantsApi.tenantNotFound(tenant));
            return ApiResponse.ok(new SessionsResponse(page.items().stream()
                    .sorted(Comparator.comparing(SeatLedger.LiveSession::loggedInAt))
                    .toList(), page.nextCursor()));
        });
    }

    /** Frees the session's seat at once; its heartbeats then get 410 revoked. 204 also if it had ended. */
    CompletionStage<ApiResponse> revoke(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        String sessionId = Identifiers.require("sessionId", request.pathParam("sessionId"));
        return tenants.find(tenant).thenCompose(found -> {
            found.orElseThrow(() -> TenantsApi.tenantNotFound(tenant));
            return seats.revoke(tenant, sessionId);
        }).thenApply(result -> {
            if (result instanceof SessionResult.Unknown) {
                throw new ApiException(ErrorCode.SESSION_NOT_FOUND, "no session '" + sessionId + "'");
            }
            return ApiResponse.noContent();
        });
    }
}
