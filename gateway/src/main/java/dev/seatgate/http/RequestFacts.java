package dev.seatgate.http;

/**
 * What a handler learned about a request, for its metrics and its event log line: who (tenant, agent,
 * session) and which license type. Never a password or a token. Written and read on one event loop.
 */
final class RequestFacts {

    String tenant;
    String agentId;
    String licenseType;
    String sessionId;
}
