package dev.seatgate.http;

import dev.seatgate.campaigns.Campaign;
import dev.seatgate.campaigns.CampaignDirectory;
import dev.seatgate.licenses.LicenseCatalog;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The campaigns of a tenant (API.md "Campaigns"): create or replace ({@code PUT}), list, get, delete. Per type, a
 * campaign may cap its sessions ({@code max}) and keep seats for itself ({@code reserved}); the claim enforces both.
 */
final class CampaignsApi {

    private static final int MAX_NAME_LENGTH = 200;
    private static final int MAX_COUNT = 1_000_000;

    private final CampaignDirectory campaigns;
    private final LicenseCatalog catalog;

    CampaignsApi(CampaignDirectory campaigns, LicenseCatalog catalog) {
        this.campaigns = campaigns;
        this.catalog = catalog;
    }

    /** A campaign as the API shows it. */
    record CampaignResponse(String campaign, String name, Map<String, Campaign.Limit> limits, Map<String, Long> inUse) {
        static CampaignResponse of(CampaignDirectory.State state) {
            return new CampaignResponse(state.campaign(), state.settings().name(), state.settings().limits(),
                    state.inUse());
        }
    }

    record CampaignsResponse(List<CampaignResponse> campaigns) {
    }

    /** {@code PUT .../campaigns/{campaign}}: 201 created, 200 replaced; 422 when its reservations do not fit. */
    CompletionStage<ApiResponse> put(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        String id = Identifiers.require("campaign", request.pathParam("campaign"));
        JsonBody body = request.jsonBody();
        var campaign = new Campaign(body.optionalString("name", 1, MAX_NAME_LENGTH).orElse(id), limits(body));
        return campaigns.put(tenant, id, campaign).thenCompose(put -> {
            if (put instanceof CampaignDirectory.Put.NoTenant) {
                throw TenantsApi.tenantNotFound(tenant);
            }
            if (put instanceof CampaignDirectory.Put.TooManyReserved refused) {
                throw new ApiException(ErrorCode.INVALID_COUNT, "the tenant's campaigns may reserve at most its active"
                        + " and pending " + refused.licenseType() + " seats: this one at most " + refused.reservable(),
                        Map.of("licenseType", refused.licenseType(), "reservable", refused.reservable()));
            }
            boolean created = put instanceof CampaignDirectory.Put.Created;
            return fetch(tenant, id).thenApply(view -> created ? ApiResponse.created(view) : ApiResponse.ok(view));
        });
    }

    CompletionStage<ApiResponse> list(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        return campaigns.list(tenant).thenApply(found -> ApiResponse.ok(new CampaignsResponse(
                found.orElseThrow(() -> TenantsApi.tenantNotFound(tenant)).stream().map(CampaignResponse::of).toList())));
    }

    CompletionStage<ApiResponse> get(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        String id = Identifiers.require("campaign", request.pathParam("campaign"));
        return fetch(tenant, id).thenApply(ApiResponse::ok);
    }

    /** 204: the caps and reservations end; the campaign's live sessions keep their seats. */
    CompletionStage<ApiResponse> delete(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        String id = Identifiers.require("campaign", request.pathParam("campaign"));
        return campaigns.delete(tenant, id).thenApply(deleted -> switch (deleted) {
            case DELETED -> ApiResponse.noContent();
            case NOT_FOUND -> throw campaignNotFound(id);
            case NO_TENANT -> throw TenantsApi.tenantNotFound(tenant);
        });
    }

    private CompletionStage<CampaignResponse> fetch(String tenant, String id) {
        return campaigns.find(tenant, id).thenApply(found -> {
            CampaignDirectory.Lookup lookup = found.orElseThrow(() -> TenantsApi.tenantNotFound(tenant));
            if (!lookup.campaignFound()) {
                throw campaignNotFound(id);
            }
            return CampaignResponse.of(lookup.campaigns().get(0));
        });
    }

    /** {@code "limits"}: by catalog type, {@code max} (optional, null: no cap) and {@code reserved} (default 0). */
    private Map<String, Campaign.Limit> limits(JsonBody body) {
        var limits = new LinkedHashMap<String, Campaign.Limit>();
        body.optionalObjects("limits").orElse(Map.of()).forEach((type, limit) -> {
            String name = Identifiers.licenseType(catalog, "limits", type).name();
            Integer max = limit.optionalInt("max", 0, MAX_COUNT).orElse(null);
            int reserved = limit.optionalInt("reserved", 0, MAX_COUNT).orElse(0);
            if (max != null && reserved > max) {
                throw ApiException.invalid("limits." + name + ": 'reserved' (" + reserved + ") may not exceed 'max' ("
                        + max + ")");
            }
            limits.put(name, new Campaign.Limit(max, reserved));
        });
        return limits;
    }

    static ApiException campaignNotFound(String id) {
        return new ApiException(ErrorCode.CAMPAIGN_NOT_FOUND, "no campaign '" + id + "'");
    }
}
