package dev.seatgate.redis;

/**
 * The Redis key layout of one tenant, in one place.
 *
 * <p>Every key starts with {@code sg:{tenant}:}. The braces are Redis Cluster's hash tag: all of a
 * tenant's keys live in one slot, so a script may touch any of them atomically, on a single Redis, on
 * Sentinel-managed Redis and on Redis Cluster alike. Scripts receive the main keys in {@code KEYS} and
 * the prefix in {@code ARGV} for keys they can only name once they have read something (the session of
 * an agent being taken over, the leases of that session's type); {@code lib.lua} builds those names the
 * same way as the methods here.
 *
 * <pre>
 * sg:{t}:tenant            hash    name, timeZone, createdAt
 * sg:{t}:agents            hash    agentId → agent record (JSON, with its password hash)
 * sg:{t}:gates             hash    agentId → "credentialId enabled types campaigns": what a claim checks (Agent.gate)
 * sg:{t}:online            hash    agentId → the session id of its live session
 * sg:{t}:seats:{type}      string  seats of the type that are active (activated purchases)
 * sg:{t}:pending:{type}    zset    "purchaseId:count" scored by activatesAt (ms); folded into seats by
 *                                  the first script that runs at or after that time
 * sg:{t}:removals:{type}   zset    "removalId:count" scored by effectiveAt (ms); taken off seats the same way
 * sg:{t}:leases:{type}     zset    session id scored by lease expiry (ms); live while score &gt; now
 * sg:{t}:session:{id}      hash    agent, type, device, token (SHA-256 of the secret), loggedInAt, state, campaign,
 *                                  holder ("gatewayId:attachment" of the live socket holding it, while one does),
 *                                  and once ended: reason, endedAt (kept a day for 410 answers)
 * sg:{t}:ended:{agent}     zset    the agent's ended sessions that keep their record, scored by endedAt (ms):
 *                                  at most 5, the oldest record deleted beyond (a day, like the records)
 * sg:{t}:idem:purchase:{h} hash    fingerprint, response: one purchase per Idempotency-Key (SHA-256 h)
 * sg:{t}:idem:removal:{h}  hash    the same for removals
 * sg:{t}:failures:{agent}  string  login attempts of the agent in the current lockout window: failures, and
 *                                  attempts whose password is being hashed (expires with the window)
 * sg:{t}:resume:{agent}    hash    resume token id → "SHA-256 of its secret, expiresAt ms" (at most 10;
 *                                  expires with the newest)
 * sg:{t}:campaigns         hash    campaign → its name and limits (JSON)
 * sg:{t}:campaign-limits:{type} hash campaign → "max reserved" of the type, what the claim checks
 * sg:{t}:cleases:{campaign}:{type} zset the leases of the campaign's sessions of the type (same scores as leases)
 *                                  (lua/campaigns.lua has the rules)
 * sg:{t}:line:{type}       zset    the waiting line: ticket id scored by arrival (INCR sg:{t}:line-seq)
 * sg:{t}:line-expiry:{type} zset   the same tickets scored by pollBefore (ms)
 * sg:{t}:tickets           hash    "agentId:type" → the agent's waiting ticket for the type
 * sg:{t}:ticket:{id}       hash    a ticket: agent, type, tokens (SHA-256 of its secrets), session, state, ...
 *                                  (lua/line.lua has the whole record and the hand-over)
 * sg:{t}:billing           stream  the billing ledger: purchase, removal_scheduled, removal_applied, cycle
 *                                  entries (fields type, at ms, data JSON), each written exactly once
 * sg:{t}:standing          hash    status (active, past_due, suspended), since ms, suspendAt ms (only while
 *                                  past_due), note; absent: active since createdAt (lua/standing.lua). Each
 *                                  change is a standing_changed entry of sg:{t}:billing
 * sg:{t}:cycles            zset    month ("2026-12") scored by its start (ms): monthly cycles not billed yet
 * sg:{t}:cycle:closed      hash    month, startsAt of the last cycle billed
 * sg:tenants               set     every tenant id (not tagged: read by background jobs, never in a script)
 * sg:failures:{address}    string  failed logins from one client address, across tenants (not tagged)
 * sg:cycles-due            zset    tenant id scored by its next cycle start (not tagged): an index for the
 *                                  billing job, repaired from the tenants' own keys when it is stale
 * sg:lines                 zset    tenant id scored by the last time a ticket joined its lines (not tagged):
 *                                  the tenants every gateway's tick serves (WaitingLine.java)
 * sg:suspensions           zset    tenant id scored by its suspendAt (not tagged): the tenants every gateway's
 *                                  standing tick looks at (AccountStanding.java); plain commands and single-key
 *                                  scripts only
 * sg:line:{gateway}        channel a ticket id: a gateway's wait on that ticket has news (pub/sub; line.lua)
 * sg:live:{gateway}        channel "sessionId reason endedAt": the ends of the sessions a gateway's live sockets
 *                                  hold (pub/sub, not a key; published by lib.lua end_session)
 * </pre>
 *
 * Tenant ids and license type names are validated ({@code [A-Za-z0-9_-]}) before they reach a key, so a
 * client can never name another tenant's keys.
 */
public final class TenantKeys {

    /** Every tenant id, for background work that visits each tenant. */
    public static final String TENANTS = "sg:tenants";
    /** Tenants by the start of their next unbilled cycle, for the billing job. */
    public static final String CYCLES_DUE = "sg:cycles-due";

    private final String prefix;

    private TenantKeys(String tenant) {
        this.prefix = "sg:{" + tenant + "}:";
    }

    public static TenantKeys of(String tenant) {
        return new TenantKeys(tenant);
    }

    /** {@code sg:{t}:}, handed to scripts that derive further key names. */
    public String prefix() {
        return prefix;
    }

    public String tenant() {
        return prefix + "tenant";
    }

    public String agents() {
        return prefix + "agents";
    }

    public String gates() {
        return prefix + "gates";
    }

    public String online() {
        return prefix + "online";
    }

    public String seats(String type) {
        return prefix + "seats:" + type;
    }

    public String pending(String type) {
        return prefix + "pending:" + type;
    }

    public String leases(String type) {
        return prefix + "leases:" + type;
    }

    public String session(String sessionId) {
        return prefix + "session:" + sessionId;
    }

    public String removals(String type) {
        return prefix + "removals:" + type;
    }

    public String ticket(String ticketId) {
        return prefix + "ticket:" + ticketId;
    }

    public String line(String type) {
        return prefix + "line:" + type;
    }

    public String billing() {
        return prefix + "billing";
    }

    public String standing() {
        return prefix + "standing";
    }

    public String cycles() {
        return prefix + "cycles";
    }

    public String failures(String agentId) {
        return prefix + "failures:" + agentId;
    }

    public String resumeTokens(String agentId) {
        return prefix + "resume:" + agentId;
    }

    /** Failed logins from one client address, whatever the tenant. */
    public static String addressFailures(String address) {
        return "sg:failures:" + address;
    }

    public String purchaseIdempotency(String keyDigest) {
        return prefix + "idem:purchase:" + keyDigest;
    }
}
