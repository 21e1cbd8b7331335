package dev.seatgate.http;

import dev.seatgate.seats.LoginOutcome;

/**
 * What a handler learned about a request, for its metrics and its event log line: who (tenant, agent,
 * session), which license type, and what a login came to. Never a password or a token. Written and read on one event loop.
 */
final class RequestFacts {

    String tenant;
    String agentId;
    String licenseType;
    String sessionId;
    /** What a login came to, once admission decided it (not set when the request failed before or around it). */
    LoginOutcome.Kind loginOutcome;
}
