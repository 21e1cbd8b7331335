package dev.seatgate.loadtest;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

/** What a run was asked to do: the scenario and its settings, as {@link LoadTestCommand} read them. */
record Options(ScenarioName scenario, URI agentUrl, URI adminUrl, String adminToken, String tenant, int agents, int seats,
               int connections, double rate, Duration duration, Duration warmup, Duration heartbeat, double churn, double vanish,
               int purchase, String licenseType, Path json, boolean setup, boolean warm,
               boolean keepSessions, boolean wrongPassword, URI otherAgentUrl, Duration reconnectGrace) {
}
