package dev.seatgate.http;

import dev.seatgate.agents.Agent;
import dev.seatgate.agents.AgentDirectory;
import dev.seatgate.agents.AgentDirectory.AgentState;
import dev.seatgate.agents.PasswordHasher;
import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.redis.Page;
import dev.seatgate.redis.RedisClock;
import dev.seatgate.tenants.TenantDirectory;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The agents of a tenant: create, list, get, modify ({@code PATCH}), clone and delete. Responses never carry
 * password material. Disabling an agent, deleting it, or taking away the license type it is logged in with
 * revokes its session at once (in the same script as the change).
 */
final class AgentsApi {

    private static final int MAX_NAME_LENGTH = 200;
    /** Passwords are 8 to 128 characters (API.md). */
    private static final int MIN_PASSWORD_LENGTH = 8;
    private static final int MAX_PASSWORD_LENGTH = 128;
    private static final int MAX_ATTRIBUTES = 64;
    private static final int MAX_ATTRIBUTE_KEY_LENGTH = 64;
    private static final int MAX_ATTRIBUTE_VALUE_LENGTH = 1024;
    /** What a PATCH may change. */
    private static final Set<String> MODIFIABLE = Set.of("name", "password", "licenseTypes", "enabled", "attributes",
            "campaigns");
    private static final int MAX_CAMPAIGNS = 1000;

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

    /** An agent as the API shows it: never any password material. {@code campaigns} null: every campaign. */
    record AgentResponse(String agentId, String name, List<String> licenseTypes, boolean enabled,
                         Map<String, String> attributes, List<String> campaigns, boolean loggedIn, Instant createdAt,
                         Instant updatedAt) {
        static AgentResponse of(Agent agent, boolean loggedIn) {
            return new AgentResponse(agent.agentId(), agent.name(), agent.licenseTypes(), agent.enabled(),
                    agent.attributes(), agent.campaigns(), loggedIn, Instant.ofEpochMilli(agent.createdAt()),
                    Instant.ofEpochMilli(agent.updatedAt()));
        }

        static AgentResponse of(AgentState state) {
            return of(state.agent(), state.loggedIn());
        }
    }

    record AgentsResponse(List<AgentResponse> agents, String nextCursor) {
    }

    CompletionStage<ApiResponse> create(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        JsonBody body = request.jsonBody();
        String agentId = body.identifier("agentId");
        String name = body.requiredString("name", 1, MAX_NAME_LENGTH);
        String password = body.requiredString("password", MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH);
        List<String> licenseTypes = licenseTypes(body).orElse(catalog.names());
        boolean enabled = body.optionalBoolean("enabled").orElse(true);
        Map<String, String> attributes = attributes(body).orElse(Map.of());
        List<String> campaigns = campaigns(body).orElse(null);
        return existingTenant(tenant)
                .thenCompose(found -> hasher.hash(password))
                .thenCompose(hash -> createWith(tenant, agentId, name, hash,
                        new Agent(agentId, name, hash, licenseTypes, enabled, attributes, 0, 0, campaigns)));
    }

    /**
     * A new agent with the source's license types, enabled flag, attributes and campaigns; its own id, name,
     * password.
     */
    CompletionStage<ApiResponse> cloneAgent(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        String sourceId = Identifiers.require("agentId", request.pathParam("agentId"));
        JsonBody body = request.jsonBody();
        String agentId = body.identifier("agentId");
        String name = body.requiredString("name", 1, MAX_NAME_LENGTH);
        String password = body.requiredString("password", MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH);
        return existingTenant(tenant)
                .thenCompose(found -> agents.find(tenant, sourceId))
                .thenCompose(source -> {
                    Agent template = source.orElseThrow(() -> agentNotFound(sourceId));
                    return hasher.hash(password).thenCompose(hash -> createWith(tenant, agentId, name, hash, template));
                });
    }

    /** Creates {@code agentId} with its name and password hash, and the rest of its settings from {@code like}. */
    private CompletionStage<ApiResponse> createWith(String tenant, String agentId, String name, String hash,
                                                    Agent like) {
        long now = clock.estimateMillis();
        var agent = new Agent(agentId, name, hash, like.licenseTypes(), like.enabled(), like.attributes(), now, now,
                like.campaigns());
        return agents.create(tenant, agent).thenApply(created -> switch (created) {
            case CREATED -> ApiResponse.created(AgentResponse.of(agent, false));
            case AGENT_EXISTS -> throw new ApiException(ErrorCode.AGENT_EXISTS, "agent '" + agentId + "' already exists");
            case NO_TENANT -> throw TenantsApi.tenantNotFound(tenant);
        });
    }

    CompletionStage<ApiResponse> list(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        PageRequest wanted = PageRequest.from(request);
        return agents.page(tenant, wanted.cursor(), wanted.limit()).thenApply(found -> {
            Page<AgentState> page = found.orElseThrow(() -> TenantsApi.tenantNotFound(tenant));
            return ApiResponse.ok(new AgentsResponse(page.items().stream()
                    .map(AgentResponse::of)
                    .sorted(Comparator.comparing(AgentResponse::agentId))
                    .toList(), page.nextCursor()));
        });
    }

    CompletionStage<ApiResponse> get(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        String agentId = Identifiers.require("agentId", request.pathParam("agentId"));
        return existingTenant(tenant).thenCompose(found -> fetch(tenant, agentId)).thenApply(ApiResponse::ok);
    }

    /** Changes any of name, password, licenseTypes, enabled, attributes (which is replaced as a whole). */
    CompletionStage<ApiResponse> patch(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        String agentId = Identifiers.require("agentId", request.pathParam("agentId"));
        JsonBody body = request.jsonBody();
        List<String> unknown = body.fieldNames().stream().filter(field -> !MODIFIABLE.contains(field)).toList();
        if (!unknown.isEmpty() || body.fieldNames().isEmpty()) {
            throw ApiException.invalid("expected one or more of " + String.join(", ", new TreeSet<>(MODIFIABLE))
                    + (unknown.isEmpty() ? "" : "; unknown: " + String.join(", ", unknown)));
        }
        Optional<String> name = body.optionalString("name", 1, MAX_NAME_LENGTH);
        Optional<String> password = body.optionalString("password", MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH);
        Optional<List<String>> licenseTypes = licenseTypes(body);
        Optional<Boolean> enabled = body.optionalBoolean("enabled");
        Optional<Map<String, String>> attributes = attributes(body);
        boolean campaignsGiven = body.fieldNames().contains("campaigns");
        List<String> campaigns = campaigns(body).orElse(null);
        CompletionStage<Optional<String>> newHash = password.isPresent()
                ? hasher.hash(password.get()).thenApply(Optional::of)
                : CompletableFuture.completedFuture(Optional.empty());
        return existingTenant(tenant)
                .thenCompose(found -> newHash)
                .thenCompose(hash -> agents.update(tenant, agentId, agent -> new Agent(agent.agentId(),
                        name.orElse(agent.name()), hash.orElse(agent.passwordHash()),
                        licenseTypes.orElse(agent.licenseTypes()), enabled.orElse(agent.enabled()),
                        attributes.orElse(agent.attributes()), agent.createdAt(), clock.estimateMillis(),
                        campaignsGiven ? campaigns : agent.campaigns())))
                .thenCompose(updated -> {
                    updated.orElseThrow(() -> agentNotFound(agentId));
                    return fetch(tenant, agentId);
                })
                .thenApply(ApiResponse::ok);
    }

    CompletionStage<ApiResponse> delete(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        String agentId = Identifiers.require("agentId", request.pathParam("agentId"));
        return existingTenant(tenant).thenCompose(found -> agents.delete(tenant, agentId)).thenApply(deleted -> {
            if (!deleted) {
                throw agentNotFound(agentId);
            }
            return ApiResponse.noContent();
        });
    }

    /** Revokes every resume token of the agent: its softphones must log in with the password again. */
    CompletionStage<ApiResponse> revokeResumeTokens(ApiRequest request) {
        String tenant = Identifiers.require("tenant", request.pathParam("tenant"));
        String agentId = Identifiers.require("agentId", request.pathParam("agentId"));
        return existingTenant(tenant).thenCompose(found -> agents.revokeResumeTokens(tenant, agentId))
                .thenApply(revoked -> {
                    if (!revoked) {
                        throw agentNotFound(agentId);
                    }
                    return ApiResponse.noContent();
                });
    }

    private CompletionStage<AgentResponse> fetch(String tenant, String agentId) {
        return agents.get(tenant, agentId)
                .thenApply(state -> AgentResponse.of(state.orElseThrow(() -> agentNotFound(agentId))));
    }

    private CompletionStage<Void> existingTenant(String tenant) {
        return tenants.find(tenant).thenApply(found -> {
            found.orElseThrow(() -> TenantsApi.tenantNotFound(tenant));
            return null;
        });
    }

    private static ApiException agentNotFound(String agentId) {
        return new ApiException(ErrorCode.AGENT_NOT_FOUND, "no agent '" + agentId + "'");
    }

    /** The requested types, each in the catalog, without repeats. */
    private Optional<List<String>> licenseTypes(JsonBody body) {
        return body.optionalStringList("licenseTypes").map(requested -> {
            if (requested.isEmpty()) {
                throw ApiException.invalid("field 'licenseTypes' must name at least one license type");
            }
            var types = new LinkedHashSet<String>();
            for (String type : requested) {
                types.add(Identifiers.licenseType(catalog, "licenseTypes", type).name());
            }
            return List.copyOf(types);
        });
    }

    /** The campaigns the agent may work in, without repeats; empty when absent or null (every campaign). */
    private static Optional<List<String>> campaigns(JsonBody body) {
        return body.optionalStringList("campaigns").map(requested -> {
            if (requested.size() > MAX_CAMPAIGNS) {
                throw ApiException.invalid("field 'campaigns' holds at most " + MAX_CAMPAIGNS + " campaigns");
            }
            var campaigns = new LinkedHashSet<String>();
            requested.forEach(campaign -> campaigns.add(Identifiers.require("campaigns", campaign)));
            return List.copyOf(campaigns);
        });
    }

    private static Optional<Map<String, String>> attributes(JsonBody body) {
        return body.optionalStringMap("attributes", MAX_ATTRIBUTES, MAX_ATTRIBUTE_KEY_LENGTH,
                MAX_ATTRIBUTE_VALUE_LENGTH);
    }
}
