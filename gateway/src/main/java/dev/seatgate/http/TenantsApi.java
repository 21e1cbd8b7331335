package dev.seatgate.http;

import dev.seatgate.licenses.BillingCycles;
import dev.seatgate.tenants.Tenant;
import dev.seatgate.tenants.TenantDirectory;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneId;
import java.util.concurrent.CompletionStage;

/** {@code PUT/GET /v1/tenants/{tenant}}. */
final class TenantsApi {

    private static final int MAX_NAME_LENGTH = 200;
    /** Billing cycles of a tenant created without a zone start at 00:00 UTC. */
    private static final ZoneId DEFAULT_ZONE = ZoneId.of("UTC");

    private final TenantDirectory tenants;
    private final BillingCycles billingCycles;

    TenantsApi(TenantDirectory tenants, BillingCycles billingCycles) {
        this.tenants = tenants;
        this.billingCycles = billingCycles;
    }

    record TenantResponse(String tenant, String name, String timeZone, Instant createdAt) {
        static TenantResponse of(Tenant tenant) {
            return new TenantResponse(tenant.id(), tenant.name(), tenant.timeZone().getId(), tenant.createdAt());
        }
    }

    CompletionStage<ApiResponse> put(ApiRequest request) {
        String id = Identifiers.require("tenant", request.pathParam("tenant"));
        JsonBody body = request.jsonBody();
        String name = body.requiredString("name", 1, MAX_NAME_LENGTH);
        ZoneId zone = body.optionalString("timeZone").map(TenantsApi::zone).orElse(DEFAULT_ZONE);
        // The cycles are registered before answering: a tenant created a second before the 1st is billed on it.
        return tenants.put(id, name, zone).thenCompose(put -> billingCycles.register(put.tenant()).thenApply(
                registered -> put.created()
                        ? ApiResponse.created(TenantResponse.of(put.tenant()))
                        : ApiResponse.ok(TenantResponse.of(put.tenant()))));
    }

    CompletionStage<ApiResponse> get(ApiRequest request) {
        String id = Identifiers.require("tenant", request.pathParam("tenant"));
        return tenants.find(id).thenApply(tenant -> ApiResponse.ok(TenantResponse.of(
                tenant.orElseThrow(() -> tenantNotFound(id)))));
    }

    static ApiException tenantNotFound(String id) {
        return new ApiException(ErrorCode.TENANT_NOT_FOUND, "no tenant '" + id + "'");
    }

    /** An IANA region such as America/New_York, or UTC; not a bare offset, which has no DST rules. */
    private static ZoneId zone(String name) {
        if (!ZoneId.getAvailableZoneIds().contains(name)) {
            throw ApiException.invalid("field 'timeZone': expected an IANA time zone such as America/New_York"
                    + " or UTC");
        }
        try {
            return ZoneId.of(name);
        } catch (DateTimeException e) {
            throw ApiException.invalid("field 'timeZone': " + e.getMessage());
        }
    }
}
