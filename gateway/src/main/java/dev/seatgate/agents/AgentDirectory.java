package dev.seatgate.agents;

import dev.seatgate.Json;
import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.RedisConnector;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** The agents of every tenant: one Redis hash per tenant, agent id to the agent as JSON. */
public final class AgentDirectory {

    private static final LuaScript CREATE_AGENT = LuaScript.load("create_agent");

    /** The scripts this directory runs. */
    public static final List<LuaScript> SCRIPTS = List.of(CREATE_AGENT);

    private final RedisConnector redis;
    private final ScriptRunner scripts;

    public AgentDirectory(RedisConnector redis, ScriptRunner scripts) {
        this.redis = redis;
        this.scripts = scripts;
    }

    /** The outcome of creating an agent. */
    public enum Created { CREATED, AGENT_EXISTS, NO_TENANT }

    public CompletionStage<Created> create(String tenant, Agent agent) {
        TenantKeys keys = TenantKeys.of(tenant);
        return scripts.run(CREATE_AGENT, new String[] {keys.tenant(), keys.agents()}, agent.agentId(), Json.write(agent))
                .thenApply(reply -> Created.valueOf((String) reply.get(0)));
    }

    public CompletionStage<Optional<Agent>> find(String tenant, String agentId) {
        return redis.commands().hget(TenantKeys.of(tenant).agents(), agentId)
                .thenApply(json -> Optional.ofNullable(json).map(stored -> Json.read(stored, Agent.class)));
    }
}
