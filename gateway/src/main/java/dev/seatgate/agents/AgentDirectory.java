package dev.seatgate.agents;

import dev.seatgate.Crypto;
import dev.seatgate.Json;
import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.Page;
import dev.seatgate.redis.PageCursor;
import dev.seatgate.redis.RedisConnector;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongConsumer;
import java.util.function.UnaryOperator;

/**
 * The agents of every tenant: one Redis hash per tenant, agent id to the agent as JSON, and beside it the
 * agents' gates, the short form of what a claim checks ({@link Agent#gate()}). Every write goes through a
 * script that keeps both in step; changes that bar an agent from its seat revoke its session in the same
 * step, and tell every gateway's {@link CredentialCache} to forget the agent.
 */
public final class AgentDirectory {

    /** How many times a change is read and applied again when another admin changed the agent meanwhile. */
    private static final int UPDATE_ATTEMPTS = 5;

    private static final LuaScript CREATE_AGENT = LuaScript.load("create_agent");
    private static final LuaScript UPDATE_AGENT = LuaScript.load("update_agent");
    private static final LuaScript DELETE_AGENT = LuaScript.load("delete_agent");
    private static final LuaScript AGENTS = LuaScript.load("agents");
    private static final LuaScript REVOKE_RESUME_TOKENS = LuaScript.load("revoke_resume_tokens");

    private final RedisConnector redis;
    private final ScriptRunner scripts;
    private final String sessionMemoryMillis;
    private final LongConsumer revoked;

    /**
     * @param sessionMemory how long a revoked session remembers why (see the seat ledger)
     * @param revoked       told how many sessions a change revoked (the sessions-ended metric)
     */
    public AgentDirectory(RedisConnector redis, ScriptRunner scripts, Duration sessionMemory, LongConsumer revoked) {
        this.redis = redis;
        this.scripts = scripts;
        this.sessionMemoryMillis = Long.toString(sessionMemory.toMillis());
        this.revoked = revoked;
    }

    /** The outcome of creating an agent. */
    public enum Created { CREATED, AGENT_EXISTS, NO_TENANT }

    /** An agent and whether it holds a live session now. */
    public record AgentState(Agent agent, boolean loggedIn) {
    }

    public CompletionStage<Created> create(String tenant, Agent agent) {
        TenantKeys keys = TenantKeys.of(tenant);
        return scripts.run(CREATE_AGENT, new String[] {keys.tenant(), keys.agents()}, keys.prefix(), agent.agentId(),
                        Json.write(agent), agent.gate())
                .thenApply(reply -> Created.valueOf((String) reply.get(0)));
    }

    public CompletionStage<Optional<Agent>> find(String tenant, String agentId) {
        return redis.commands().hget(TenantKeys.of(tenant).agents(), agentId)
                .thenApply(json -> Optional.ofNullable(json).map(stored -> Json.read(stored, Agent.class)));
    }

    /** A page of the tenant's agents, at most {@code limit}; empty when the tenant does not exist. */
    public CompletionStage<Optional<Page<AgentState>>> page(String tenant, PageCursor cursor, int limit) {
        TenantKeys keys = TenantKeys.of(tenant);
        return scripts.run(AGENTS, new String[] {keys.tenant()}, keys.prefix(), "", cursor.scan(),
                cursor.after(), Integer.toString(limit)).thenApply(reply -> "PAGE".equals(reply.get(0))
                ? Optional.of(new Page<>(parseStates(reply.subList(2, reply.size())),
                        Page.nextFrom((String) reply.get(1))))
                : Optional.empty()); // NO_TENANT
    }

    /** One agent; empty when it (or the tenant) does not exist. */
    public CompletionStage<Optional<AgentState>> get(String tenant, String agentId) {
        TenantKeys keys = TenantKeys.of(tenant);
        return scripts.run(AGENTS, new String[] {keys.tenant()}, keys.prefix(), agentId, "0", "", "1")
                .thenApply(reply -> "OK".equals(reply.get(0))
                        ? parseStates(reply.subList(1, reply.size())).stream().findFirst()
                        : Optional.empty()); // NOT_FOUND, NO_TENANT
    }

    private static List<AgentState> parseStates(List<Object> jsonAndLoggedIn) {
        var states = new ArrayList<AgentState>(jsonAndLoggedIn.size() / 2);
        for (int i = 0; i < jsonAndLoggedIn.size(); i += 2) {
            states.add(new AgentState(Json.read((String) jsonAndLoggedIn.get(i), Agent.class),
                    (Long) jsonAndLoggedIn.get(i + 1) == 1));
        }
        return states;
    }

    /**
     * Applies {@code change} to the agent as stored, and stores the result unless someone changed the agent
     * meanwhile, in which case it reads it and applies the change again. Revokes the agent's live session if
     * the result bars it from its seat, and its resume tokens if its password changed or it is disabled.
     * Empty when the agent does not exist.
     */
    public CompletionStage<Optional<Agent>> update(String tenant, String agentId, UnaryOperator<Agent> change) {
        return update(tenant, agentId, change, true, UPDATE_ATTEMPTS);
    }

    /**
     * Replaces the agent's password hash by another of the same password (a legacy hash upgraded), if it still
     * has {@code verifiedHash}; its resume tokens stay valid, since its password did not change. False when
     * the agent is gone or its hash is another by now.
     */
    public CompletionStage<Boolean> replacePasswordHash(String tenant, String agentId, String verifiedHash,
                                                       String newHash) {
        return update(tenant, agentId, agent -> agent.passwordHash().equals(verifiedHash)
                ? agent.withPasswordHash(newHash) : agent, false, UPDATE_ATTEMPTS)
                .thenApply(updated -> updated.filter(agent -> agent.passwordHash().equals(newHash)).isPresent());
    }

    private CompletionStage<Optional<Agent>> update(String tenant, String agentId, UnaryOperator<Agent> change,
                                                    boolean passwordChange, int attempts) {
        TenantKeys keys = TenantKeys.of(tenant);
        return redis.commands().hget(keys.agents(), agentId).thenCompose(stored -> {
            if (stored == null) {
                return CompletableFuture.completedFuture(Optional.<Agent>empty());
            }
            Agent before = Json.read(stored, Agent.class);
            Agent changed = change.apply(before);
            boolean revokeResumeTokens = !changed.enabled()
                    || passwordChange && !changed.passwordHash().equals(before.passwordHash());
            return scripts.run(UPDATE_AGENT, new String[] {keys.agents()}, keys.prefix(), agentId,
                    Crypto.sha1Hex(stored), Json.write(changed), changed.gate(), sessionMemoryMillis,
                    CredentialCache.INVALIDATION_CHANNEL, CredentialCache.invalidation(tenant, agentId),
                    revokeResumeTokens ? "1" : "0"
            ).thenCompose(reply -> switch ((String) reply.get(0)) {
                case "OK" -> {
                    countRevoked(reply);
                    yield CompletableFuture.completedFuture(Optional.of(changed));
                }
                case "NOT_FOUND" -> CompletableFuture.completedFuture(Optional.<Agent>empty());
                default -> attempts > 1 // CONFLICT
                        ? update(tenant, agentId, change, passwordChange, attempts - 1)
                        : CompletableFuture.failedFuture(new IllegalStateException(
                                "agent " + agentId + " kept changing while it was being updated"));
            });
        });
    }

    /** Revokes every resume token of the agent; false when it does not exist. */
    public CompletionStage<Boolean> revokeResumeTokens(String tenant, String agentId) {
        TenantKeys keys = TenantKeys.of(tenant);
        return scripts.run(REVOKE_RESUME_TOKENS, new String[] {keys.agents(), keys.resumeTokens(agentId)}, agentId)
                .thenApply(reply -> "OK".equals(reply.get(0)));
    }

    /** Deletes the agent and revokes its live session; false when it did not exist. */
    public CompletionStage<Boolean> delete(String tenant, String agentId) {
        TenantKeys keys = TenantKeys.of(tenant);
        return scripts.run(DELETE_AGENT, new String[] {keys.agents()}, keys.prefix(), agentId, sessionMemoryMillis,
                        CredentialCache.INVALIDATION_CHANNEL, CredentialCache.invalidation(tenant, agentId))
                .thenApply(reply -> {
                    boolean deleted = "OK".equals(reply.get(0));
                    if (deleted) {
                        countRevoked(reply);
                    }
                    return deleted;
                });
    }

    /** The scripts answer {'OK', revoked session id or ''}. */
    private void countRevoked(List<Object> reply) {
        revoked.accept(((String) reply.get(1)).isEmpty() ? 0 : 1);
    }
}
