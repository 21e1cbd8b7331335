package dev.seatgate.http;

import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.line.LineWaits;
import dev.seatgate.line.TicketState;
import dev.seatgate.line.WaitingLine;
import dev.seatgate.redis.Page;
import dev.seatgate.seats.Ticket;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The waiting line over HTTP (API.md "The waiting line"): a ticket's long poll ({@code POST /v1/queue/wait}) and
 * leaving ({@code DELETE /v1/queue}) on the agent port; the line's list and an agent's removal on the admin port.
 */
final class QueueApi {

    static final int MAX_WAIT_SECONDS = 25;
    static final int DEFAULT_WAIT_SECONDS = 20;

    private final LineWaits waits;
    private final WaitingLine line;
    private final LoginApi login;
    private final LicenseCatalog catalog;

    QueueApi(LineWaits waits, WaitingLine line, LoginApi login, LicenseCatalog catalog) {
        this.waits = waits;
        this.line = line;
        this.login = login;
        this.catalog = catalog;
    }

    /** 202 to a wait that ended without a seat. */
    record WaitingResponse(long position, long waiting, Instant pollBefore) {
    }

    record QueueResponse(List<WaitingLine.Waiter> waiting, String nextCursor) {
    }

    /** {@code POST /v1/queue/wait}: 200 with the login answer once a seat is handed over, else 202 after the wait. */
    CompletionStage<ApiResponse> await(ApiRequest request) {
        Ticket ticket = ticket(request);
        int seconds = request.hasBody() ? request.jsonBody().optionalInt("waitSeconds", 0, MAX_WAIT_SECONDS)
                .orElse(DEFAULT_WAIT_SECONDS) : DEFAULT_WAIT_SECONDS;
        return waits.await(ticket, Duration.ofSeconds(seconds)).thenApply(state -> answer(ticket, state));
    }

    /** The HTTP answer to how a ticket stands, for a wait. */
    ApiResponse answer(Ticket ticket, TicketState state) {
        if (state instanceof TicketState.Waiting waiting) {
            return ApiResponse.accepted(new WaitingResponse(waiting.position(), waiting.waiting(), waiting.pollBefore()));
        }
        if (state instanceof TicketState.Admitted admitted) {
            return login.admittedAnswer(admitted.login(), ticket.tenant(), admitted.agentId(),
                    catalog.find(admitted.licenseType()).orElseThrow());
        }
        throw notWaiting(state);
    }

    /** {@code DELETE /v1/queue}: the ticket leaves the line. */
    CompletionStage<ApiResponse> cancel(ApiRequest request) {
        return line.cancel(ticket(request)).thenApply(notLeft -> {
            if (notLeft.isPresent()) {
                throw notWaiting(notLeft.get());
            }
            return ApiResponse.noContent();
        });
    }

    /** {@code GET /v1/tenants/{tenant}/queue}: a page of the tenant's waiting tickets, oldest first. */
    CompletionStage<ApiResponse> list(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        PageRequest wanted = PageRequest.from(request);
        return line.list(tenant, wanted.cursor(), wanted.limit()).thenApply(found -> {
            Page<WaitingLine.Waiter> page = found.orElseThrow(() -> TenantsApi.tenantNotFound(tenant));
            return ApiResponse.ok(new QueueResponse(page.items(), page.nextCursor()));
        });
    }

    /** {@code DELETE /v1/tenants/{tenant}/queue/{agentId}}: the agent's tickets leave the line (410 revoked). */
    CompletionStage<ApiResponse> remove(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        String agentId = Identifiers.require("agentId", request.pathParam("agentId"));
        return line.remove(tenant, agentId).thenApply(removal -> switch (removal) {
            case REMOVED -> ApiResponse.noContent();
            case NO_AGENT -> throw new ApiException(ErrorCode.AGENT_NOT_FOUND, "no agent '" + agentId + "'");
            case NO_TENANT -> throw TenantsApi.tenantNotFound(tenant);
        });
    }

    private static Ticket ticket(ApiRequest request) {
        Ticket ticket = request.bearerToken().flatMap(Ticket::parse).orElseThrow(() -> new ApiException(
                ErrorCode.INVALID_QUEUE_TICKET, "expected Authorization: Bearer <ticket from a queued /v1/login>"));
        request.facts().tenant = ticket.tenant();
        return ticket;
    }

    static ApiException notWaiting(TicketState state) {
        if (state instanceof TicketState.Gone gone) {
            return new ApiException(ErrorCode.QUEUE_TICKET_GONE, "this ticket is no longer in line (" + gone.reason()
                    + ")", Map.of("reason", gone.reason()));
        }
        return new ApiException(ErrorCode.INVALID_QUEUE_TICKET, "unknown ticket");
    }
}
