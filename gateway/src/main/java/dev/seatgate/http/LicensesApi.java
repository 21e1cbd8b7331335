package dev.seatgate.http;

import dev.seatgate.licenses.BillingEvent;
import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.licenses.LicenseCounts;
import dev.seatgate.licenses.LicenseLedger;
import dev.seatgate.licenses.LicenseLedger.Outcome;
import dev.seatgate.licenses.LicenseType;
import dev.seatgate.tenants.TenantDirectory;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/**
 * {@code GET /v1/tenants/{tenant}/licenses}, {@code POST .../licenses/{type}/purchases},
 * {@code GET .../licenses/{type}/quote}, {@code POST .../licenses/{type}/removals} and
 * {@code GET .../billing/events}.
 */
final class LicensesApi {

    /** The most seats one purchase or removal may change (API.md). */
    private static final int MAX_COUNT = 10_000;
    /** Billing events returned when the request names no limit (it may name up to PageRequest.MAX_LIMIT). */
    private static final int DEFAULT_EVENTS = 100;
    /** 1 to 128 printable ASCII characters (API.md). */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x20-\\x7E]{1,128}");

    private final TenantDirectory tenants;
    private final LicenseLedger ledger;
    private final LicenseCatalog catalog;

    LicensesApi(TenantDirectory tenants, LicenseLedger ledger, LicenseCatalog catalog) {
        this.tenants = tenants;
        this.ledger = ledger;
        this.catalog = catalog;
    }

    record LicensesResponse(String tenant, Instant asOf, Map<String, LicenseCounts> licenses) {
    }

    CompletionStage<ApiResponse> counts(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        return ledger.counts(tenant).thenApply(snapshot -> snapshot
                .map(counts -> ApiResponse.ok(new LicensesResponse(tenant, counts.asOf(), counts.byType())))
                .orElseThrow(() -> TenantsApi.tenantNotFound(tenant)));
    }

    CompletionStage<ApiResponse> purchase(ApiRequest request) {
        String tenantId = Identifiers.require("tenant", request.pathParam("tenant"));
        LicenseType type = Identifiers.licenseType(catalog, "type", request.pathParam("type"));
        String key = idempotencyKey(request).orElseThrow(() -> ApiException.invalid(
                "header Idempotency-Key is required: 1 to 128 printable ASCII characters, unique per purchase"));
        int count = request.jsonBody().requiredInt("count", 1, MAX_COUNT);
        return tenants.find(tenantId)
                .thenCompose(tenant -> ledger.purchase(tenant.orElseThrow(() -> TenantsApi.tenantNotFound(tenantId)),
                        type, count, key))
                .thenApply(outcome -> answer(outcome, type));
    }

    /**
     * {@code GET .../licenses/{type}/quote?count=N}: what the purchase would charge now, priced by the ledger's own
     * purchase pricing, validated as a purchase is; nothing is bought and no key is needed.
     */
    CompletionStage<ApiResponse> quote(ApiRequest request) {
        String tenantId = Identifiers.require("tenant", request.pathParam("tenant"));
        LicenseType type = Identifiers.licenseType(catalog, "type", request.pathParam("type"));
        int count = countParam(request);
        return tenants.find(tenantId)
                .thenCompose(tenant -> ledger.quote(tenant.orElseThrow(() -> TenantsApi.tenantNotFound(tenantId)),
                        type, count))
                .thenApply(ApiResponse::ok);
    }

    /** {@code ?count=}, required, 1 to {@value #MAX_COUNT} as a purchase's body field. */
    private static int countParam(ApiRequest request) {
        String expected = "an integer from 1 to " + MAX_COUNT;
        String text = request.queryParam("count").orElseThrow(() -> ApiException.invalid(
                "missing query parameter 'count' (expected " + expected + ")"));
        try {
            int count = Integer.parseInt(text);
            if (count >= 1 && count <= MAX_COUNT) {
                return count;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid("query parameter 'count' must be " + expected);
    }

    CompletionStage<ApiResponse> removal(ApiRequest request) {
        String tenantId = Identifiers.require("tenant", request.pathParam("tenant"));
        LicenseType type = Identifiers.licenseType(catalog, "type", request.pathParam("type"));
        Optional<String> key = idempotencyKey(request);
        int count = request.jsonBody().requiredInt("count", 1, MAX_COUNT);
        return tenants.find(tenantId)
                .thenCompose(tenant -> ledger.remove(tenant.orElseThrow(() -> TenantsApi.tenantNotFound(tenantId)),
                        type, count, key))
                .thenApply(outcome -> answer(outcome, type));
    }

    CompletionStage<ApiResponse> events(ApiRequest request) {
        String tenantId = Identifiers.require("tenant", request.pathParam("tenant"));
        int limit = PageRequest.limit(request, DEFAULT_EVENTS);
        return tenants.find(tenantId).thenCompose(tenant -> {
            tenant.orElseThrow(() -> TenantsApi.tenantNotFound(tenantId));
            return ledger.events(tenantId, limit);
        }).thenApply(events -> ApiResponse.ok(new EventsResponse(events)));
    }

    record EventsResponse(List<BillingEvent> events) {
    }

    /** The optional Idempotency-Key header; 400 when present but not 1 to 128 printable ASCII characters. */
    private static Optional<String> idempotencyKey(ApiRequest request) {
        Optional<String> key = request.header("Idempotency-Key");
        if (key.isPresent() && !IDEMPOTENCY_KEY.matcher(key.get()).matches()) {
            throw ApiException.invalid("header Idempotency-Key must be 1 to 128 printable ASCII characters");
        }
        return key;
    }

    private static <T> ApiResponse answer(Outcome<T> outcome, LicenseType type) {
        if (outcome instanceof Outcome.Created<T> created) {
            return ApiResponse.created(created.value());
        }
        if (outcome instanceof Outcome.Replayed<T> replayed) {
            return ApiResponse.ok(replayed.value());
        }
        if (outcome instanceof Outcome.AccountSuspended<T>) {
            throw new ApiException(ErrorCode.ACCOUNT_SUSPENDED, "this account is suspended: no seats can be bought");
        }
        if (outcome instanceof Outcome.InvalidCount<T> invalid) {
            throw new ApiException(ErrorCode.INVALID_COUNT, "at most " + invalid.removable() + " " + type.name()
                    + " seats can be removed (active + pending - already scheduled removals)",
                    Map.of("licenseType", type.name(), "removable", invalid.removable()));
        }
        throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                "this Idempotency-Key was already used for a different request");
    }
}
