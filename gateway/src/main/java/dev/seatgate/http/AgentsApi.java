package dev.seatgate.http;

import dev.seatgate.agents.Agent;
import dev.seatgate.agents.AgentDirectory;
import dev.seatgate.agents.PasswordHasher;
import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.redis.RedisClock;
import dev.seatgate.tenants.TenantDirectory;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** {@code POST /v1/tenants/{tenant}/agents}: create an agent login. */
final class AgentsApi {

    private static final int MAX_NAME_LENGTH = 200;
    /** Passwords are 8 to 128 characters (API.md). */
    private static final int MIN_PASSWORD_LENGTH = 8;
    private static final int MAX_PASSWORD_LENGTH = 128;
    private static final int MAX_ATTRIBUTES = 64;
    private static final int MAX_ATTRIBUTE_KEY_LENGTH = 64;
    private static final int MAX_ATTRIBUTE_VALUE_LENGTH = 1024;

    private final TenantDirectory tenants;
    private final AgentDirectory agents;
    private final PasswordHasher hasher;
    private final LicenseCatalog catalog;
    private final RedisClock clock;

    AgentsApi(TenantDirectory tenants, AgentDirectory agents, PasswordHasher hasher, LicenseCatalog catalog,
              RedisClock clock) {
        this.tenants = tenants;
        this.agents = agents;
        this.hasher = hasher;
        this.catalog = catalog;
        this.clock = clock;
    }

    /** An agent as the API shows it: never any password material. */
    record AgentResponse(String agentId, String name, List<String> licenseTypes, boolean enabled,
                         Map<String, String> attributes, boolean loggedIn, Instant createdAt) {
    }

    CompletionStage<ApiResponse> create(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        JsonBody body = request.jsonBody();
        String agentId = body.identifier("agentId");
        String name = body.requiredString("name", 1, MAX_NAME_LENGTH);
        String password = body.requiredString("password", MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH);
        List<String> licenseTypes = licenseTypes(body);
        boolean enabled = body.optionalBoolean("enabled").orElse(true);
        Map<String, String> attributes = body.optionalStringMap("attributes", MAX_ATTRIBUTES,
                MAX_ATTRIBUTE_KEY_LENGTH, MAX_ATTRIBUTE_VALUE_LENGTH).orElse(Map.of());
        return tenants.find(tenant)
                .thenCompose(found -> {
                    found.orElseThrow(() -> TenantsApi.tenantNotFound(tenant));
                    return hasher.hash(password);
                })
                .thenCompose(hash -> {
                    var agent = new Agent(agentId, name, hash, licenseTypes, enabled, attributes,
                            clock.estimateMillis());
                    return agents.create(tenant, agent).thenApply(created -> switch (created) {
                        case CREATED -> ApiResponse.created(new AgentResponse(agentId, name, licenseTypes, enabled,
                                attributes, false, Instant.ofEpochMilli(agent.createdAt())));
                        case AGENT_EXISTS -> throw new ApiException(ErrorCode.AGENT_EXISTS,
                                "agent '" + agentId + "' already exists");
                        case NO_TENANT -> throw TenantsApi.tenantNotFound(tenant);
                    });
                });
    }

    /** The requested types, each in the catalog, without repeats; every type when absent. */
    private List<String> licenseTypes(JsonBody body) {
        List<String> requested = body.optionalStringList("licenseTypes").orElse(catalog.names());
        if (requested.isEmpty()) {
            throw ApiException.invalid("field 'licenseTypes' must name at least one license type");
        }
        var types = new LinkedHashSet<String>();
        for (String type : requested) {
            types.add(Identifiers.licenseType(catalog, "licenseTypes", type).name());
        }
        return List.copyOf(types);
    }
}
