package dev.seatgate.http;

import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.licenses.LicenseCounts;
import dev.seatgate.licenses.LicenseLedger;
import dev.seatgate.licenses.LicenseLedger.PurchaseOutcome;
import dev.seatgate.licenses.LicenseType;
import dev.seatgate.tenants.TenantDirectory;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;

/** {@code GET /v1/tenants/{tenant}/licenses} and {@code POST .../licenses/{type}/purchases}. */
final class LicensesApi {

    /** The most seats one purchase may add (API.md). */
    private static final int MAX_PURCHASE = 10_000;
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
        String key = request.header("Idempotency-Key")
                .filter(value -> IDEMPOTENCY_KEY.matcher(value).matches())
                .orElseThrow(() -> ApiException.invalid(
                        "header Idempotency-Key is required: 1 to 128 printable ASCII characters, unique per purchase"));
        int count = request.jsonBody().requiredInt("count", 1, MAX_PURCHASE);
        return tenants.find(tenantId)
                .thenCompose(tenant -> ledger.purchase(tenant.orElseThrow(() -> TenantsApi.tenantNotFound(tenantId)),
                        type, count, key))
                .thenApply(LicensesApi::answer);
    }

    private static ApiResponse answer(PurchaseOutcome outcome) {
        if (outcome instanceof PurchaseOutcome.Created created) {
            return ApiResponse.created(created.purchase());
        }
        if (outcome instanceof PurchaseOutcome.Replayed replayed) {
            return ApiResponse.ok(replayed.purchase());
        }
        throw new ApiException(ErrorCode.IDEMPOTENCY_KEY_REUSED,
                "this Idempotency-Key was already used for a different purchase");
    }
}
