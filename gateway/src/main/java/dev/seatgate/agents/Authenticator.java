package dev.seatgate.agents;

import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Checks an agent's password. Unknown tenant, unknown agent and wrong password look the same from outside,
 * in the answer and in the time it takes (an unknown agent is checked against a decoy hash).
 */
public final class Authenticator {

    private final AgentDirectory agents;
    private final PasswordHasher hasher;

    public Authenticator(AgentDirectory agents, PasswordHasher hasher) {
        this.agents = agents;
        this.hasher = hasher;
    }

    /** The agent when the password is right; empty for every kind of wrong. */
    public CompletionStage<Optional<Agent>> authenticate(String tenant, String agentId, String password) {
        return agents.find(tenant, agentId).thenCompose(found ->
                hasher.verify(password, found.map(Agent::passwordHash).orElse(null))
                        .thenApply(matches -> matches ? found : Optional.<Agent>empty()));
    }
}
