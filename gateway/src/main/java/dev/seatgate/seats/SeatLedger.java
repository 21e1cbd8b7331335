package dev.seatgate.seats;

import dev.seatgate.config.GatewayConfig;
import dev.seatgate.config.SecondLoginPolicy;
import dev.seatgate.licenses.LicenseType;
import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.Page;
import dev.seatgate.redis.PageCursor;
import dev.seatgate.redis.RedisClock;
import dev.seatgate.redis.RedisUnavailableException;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * The seats of every tenant, held in Redis and changed only by Lua scripts, each of which Redis runs
 * atomically. This is where the invariants live:
 *
 * <ul>
 *   <li><b>Never over-admit.</b> {@code claim.lua} counts live leases and takes a seat in one step.</li>
 *   <li><b>One clock.</b> Lease expiry and activation are judged by {@code TIME} inside the scripts.</li>
 *   <li><b>No scheduler.</b> Purchases whose time has come are counted by the next script that looks.</li>
 *   <li><b>No leaked seats.</b> Every seat is a lease; one not renewed within the TTL stops counting.</li>
 *   <li><b>Fail closed.</b> A claim carries a deadline a little before the Redis timeout; if Redis runs it
 *       later (it was paused, or the command was stuck in a buffer) it claims nothing, so a client told
 *       503 never ends up holding a seat.</li>
 * </ul>
 *
 * The key layout is documented in {@link TenantKeys}; each script's contract is in its header comment.
 */
public final class SeatLedger {

    /** How long an ended session remembers why, so that late heartbeats learn it (410) and not 401. */
    public static final Duration SESSION_MEMORY = Duration.ofDays(1);
    /** The most a claim's deadline is set ahead of the Redis timeout, for the reply's trip back. */
    private static final Duration MAX_DEADLINE_MARGIN = Duration.ofMillis(100);

    private static final LuaScript CLAIM = LuaScript.load("claim");
    private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat");
    private static final LuaScript END_SESSION = LuaScript.load("end_session");
    private static final LuaScript SESSIONS = LuaScript.load("sessions");

    private final ScriptRunner scripts;
    private final RedisClock clock;
    private final String leaseTtlMillis;
    private final String sessionMemoryMillis = Long.toString(SESSION_MEMORY.toMillis());
    /** Every type of the catalog: ending a session whose record expired looks for its lease in each. */
    private final List<String> licenseTypes;
    private final String secondLogin;
    private final long deadlineAheadMillis;
    private final String lockoutFailures;
    private final String resumeTtlMillis;
    private final String queueLimit;
    private final SessionEnds ends;

    /**
     * The rules a ledger enforces, from the configuration.
     *
     * @param lockoutFailures login attempts that lock an agent out, checked inside the claim
     * @param resumeTtl       how long a resume token minted at a password login stays valid
     * @param queueLimit      the most tickets one waiting line holds
     */
    public record Rules(Duration leaseTtl, SecondLoginPolicy secondLogin, Duration redisTimeout, int lockoutFailures,
                       Duration resumeTtl, int queueLimit, List<String> licenseTypes) {

        public static Rules of(GatewayConfig config, List<String> licenseTypes) {
            return new Rules(config.leaseTtl(), config.secondLogin(), config.redisTimeout(),
                    config.lockout().agentFailures(), config.resumeTtl(), config.queueLimit(), licenseTypes);
        }
    }

    /** @param ends told of every session the scripts end */
    public SeatLedger(ScriptRunner scripts, RedisClock clock, Rules rules, SessionEnds ends) {
        this.scripts = scripts;
        this.clock = clock;
        this.leaseTtlMillis = Long.toString(rules.leaseTtl().toMillis());
        this.secondLogin = rules.secondLogin().wireName();
        Duration timeout = rules.redisTimeout();
        Duration margin = timeout.dividedBy(4).compareTo(MAX_DEADLINE_MARGIN) < 0
                ? timeout.dividedBy(4) : MAX_DEADLINE_MARGIN;
        this.deadlineAheadMillis = timeout.minus(margin).toMillis();
        this.lockoutFailures = Integer.toString(rules.lockoutFailures());
        this.resumeTtlMillis = Long.toString(rules.resumeTtl().toMillis());
        this.queueLimit = Integer.toString(rules.queueLimit());
        this.licenseTypes = rules.licenseTypes();
        this.ends = ends;
    }

    /**
     * Takes a seat of {@code type} for the agent under a new session, or says why not. The claim checks the
     * {@code proof} against the agent as it is in Redis: a password proof whose credential is not the agent's
     * any more is answered {@link ClaimResult.AgentChanged}, a resume token not valid {@link ClaimResult.BadResumeToken};
     * neither takes anything. A login by password mints a new resume token. With {@code queue}, a login that finds
     * no seat free waits in line ({@link LoginOutcome.Queued}) instead of being refused.
     * Fails with {@link RedisUnavailableException} when Redis ran the claim too late to count.
     */
    public CompletionStage<ClaimResult> claim(String tenant, String agentId, Proof proof, LicenseType type,
                                              Optional<String> deviceId, boolean queue, Optional<String> campaign) {
        TenantKeys keys = TenantKeys.of(tenant);
        SessionToken token = SessionToken.issue(tenant);
        Ticket ticket = Ticket.issue(tenant);
        String deadline = Long.toString(clock.estimateMillis(keys.online()) + deadlineAheadMillis);
        ResumeToken resume;
        String[] proofArgs;
        if (proof instanceof Proof.Password password) {
            resume = ResumeToken.issue();
            proofArgs = new String[] {"password", password.credentialId(), password.attemptCounted() ? "1" : "0",
                    resume.tokenId(), resume.secretHash()};
        } else {
            resume = ((Proof.Resume) proof).token();
            proofArgs = new String[] {"resume", resume.tokenId(), resume.secretHash(), "", ""};
        }
        return scripts.run(CLAIM, new String[] {keys.online()},
                keys.prefix(), type.name(), agentId, token.sessionId(), token.secretHash(), deviceId.orElse(""),
                leaseTtlMillis, secondLogin, sessionMemoryMillis, deadline, lockoutFailures,
                proofArgs[0], proofArgs[1], proofArgs[2], proofArgs[3], proofArgs[4], resumeTtlMillis,
                queue ? "1" : "0", ticket.ticketId(), ticket.secretHash(), queueLimit, campaign.orElse(""))
                .thenApply(reply -> switch ((String) reply.get(0)) {
                    case "OK" -> {
                        Optional<String> replaced = Optional.of((String) reply.get(2)).filter(id -> !id.isEmpty());
                        ended(EndReason.SUPERSEDED, replaced.isPresent() ? 1 : 0);
                        ended(EndReason.EXPIRED, (Long) reply.get(3));
                        yield new LoginOutcome.Admitted(token, instant(reply.get(1)), replaced, resume,
                                instant(reply.get(4)), campaign, AccountNotice.fromReply(reply, 5));
                    }
                    case "EXHAUSTED" -> {
                        ended(EndReason.EXPIRED, (Long) reply.get(4));
                        yield new LoginOutcome.SeatsExhausted((Long) reply.get(1), (Long) reply.get(2),
                                Optional.of((Long) reply.get(3)).filter(at -> at >= 0).map(Instant::ofEpochMilli),
                                (Long) reply.get(5), (Long) reply.get(6));
                    }
                    case "CAMPAIGN_FULL" -> {
                        ended(EndReason.EXPIRED, (Long) reply.get(3));
                        yield new LoginOutcome.CampaignFull(campaign.orElseThrow(), (Long) reply.get(1),
                                (Long) reply.get(2));
                    }
                    case "CAMPAIGN_NOT_PERMITTED" -> new LoginOutcome.CampaignNotPermitted();
                    case "NO_CAMPAIGN" -> new LoginOutcome.UnknownCampaign();
                    case "QUEUED" -> {
                        ended(EndReason.EXPIRED, (Long) reply.get(5));
                        yield new LoginOutcome.Queued(ticket.withId((String) reply.get(1)), (Long) reply.get(2),
                                (Long) reply.get(3), instant(reply.get(4)));
                    }
                    case "QUEUE_FULL" -> {
                        ended(EndReason.EXPIRED, (Long) reply.get(2));
                        yield new LoginOutcome.QueueFull((Long) reply.get(1));
                    }
                    case "ALREADY" -> {
                        ended(EndReason.EXPIRED, (Long) reply.get(2));
                        yield new LoginOutcome.AlreadyLoggedIn((String) reply.get(1));
                    }
                    case "LOCKED" -> new LoginOutcome.Locked(Duration.ofMillis(Math.max(0, (Long) reply.get(1))));
                    case "AGENT_CHANGED" -> new ClaimResult.AgentChanged();
                    case "BAD_RESUME" -> new ClaimResult.BadResumeToken();
                    case "DISABLED" -> new LoginOutcome.Disabled();
                    case "NOT_PERMITTED" -> new LoginOutcome.NotPermitted();
                    case "SUSPENDED" -> {
                        ended(EndReason.SUSPENDED, (Long) reply.get(1));
                        yield new LoginOutcome.AccountSuspended();
                    }
                    case "LATE" -> throw new RedisUnavailableException("Redis ran the claim after its deadline");
                    default -> throw unexpected(CLAIM, reply);
                });
    }

    /** Extends the session's lease by the TTL, if it still holds its seat. */
    public CompletionStage<SessionResult> heartbeat(SessionToken token) {
        TenantKeys keys = TenantKeys.of(token.tenant());
        return scripts.run(HEARTBEAT, new String[] {keys.session(token.sessionId())},
                keys.prefix(), token.sessionId(), token.secretHash(), leaseTtlMillis, sessionMemoryMillis)
                .thenApply(reply -> switch ((String) reply.get(0)) {
                    case "OK" -> new SessionResult.Extended(instant(reply.get(1)));
                    default -> sessionResult(HEARTBEAT, reply);
                });
    }

    /** Frees the session's seat at once; its heartbeats then get 410 logged_out. */
    public CompletionStage<SessionResult> logout(SessionToken token) {
        return end(token.tenant(), token.sessionId(), token.secretHash(), EndReason.LOGGED_OUT);
    }

    /** Frees a session's seat at an admin's word; its heartbeats then get 410 revoked. */
    public CompletionStage<SessionResult> revoke(String tenant, String sessionId) {
        return end(tenant, sessionId, "", EndReason.REVOKED);
    }

    /** A live session, as the admin API lists it. */
    public record LiveSession(String sessionId, String agentId, String licenseType, String deviceId,
                              Instant loggedInAt, Instant leaseExpiresAt, String campaign) {
    }

    /** A page of the tenant's live sessions, at most {@code limit}; empty when the tenant does not exist. */
    public CompletionStage<Optional<Page<LiveSession>>> sessions(String tenant, PageCursor cursor, int limit) {
        TenantKeys keys = TenantKeys.of(tenant);
        return scripts.run(SESSIONS, new String[] {keys.tenant()}, keys.prefix(), cursor.scan(),
                cursor.after(), Integer.toString(limit)).thenApply(reply -> {
                    if (!"OK".equals(reply.get(0))) {
                        return Optional.empty();
                    }
                    var sessions = new ArrayList<LiveSession>(reply.size() - 2);
                    for (Object row : reply.subList(2, reply.size())) {
                        List<?> fields = (List<?>) row;
                        String device = (String) fields.get(3);
                        sessions.add(new LiveSession((String) fields.get(0), (String) fields.get(1),
                                (String) fields.get(2), device.isEmpty() ? null : device,
                                Instant.ofEpochMilli(Long.parseLong((String) fields.get(4))),
                                Instant.ofEpochMilli((long) Double.parseDouble((String) fields.get(5))),
                                ((String) fields.get(6)).isEmpty() ? null : (String) fields.get(6)));
                    }
                    return Optional.of(new Page<>(sessions, Page.nextFrom((String) reply.get(1))));
                });
    }

    private CompletionStage<SessionResult> end(String tenant, String sessionId, String secretHash, EndReason reason) {
        TenantKeys keys = TenantKeys.of(tenant);
        String[] args = Stream.concat(Stream.of(keys.prefix(), sessionId, secretHash, reason.wireName(),
                sessionMemoryMillis), licenseTypes.stream()).toArray(String[]::new);
        return scripts.run(END_SESSION, new String[] {keys.session(sessionId)}, args)
                .thenApply(reply -> switch ((String) reply.get(0)) {
                    case "OK" -> {
                        ended(reason, 1);
                        yield new SessionResult.Ended();
                    }
                    default -> sessionResult(END_SESSION, reply);
                });
    }

    private SessionResult sessionResult(LuaScript script, List<Object> reply) {
        return switch ((String) reply.get(0)) {
            case "GONE" -> new SessionResult.Gone(EndReason.fromWire((String) reply.get(1)));
            case "EXPIRED" -> { // ended just now, by this call
                ended(EndReason.EXPIRED, 1);
                yield new SessionResult.Gone(EndReason.EXPIRED);
            }
            case "UNKNOWN" -> new SessionResult.Unknown();
            default -> throw unexpected(script, reply);
        };
    }

    private void ended(EndReason reason, long sessions) {
        if (sessions > 0) {
            ends.ended(reason, sessions);
        }
    }

    private static Instant instant(Object epochMillis) {
        return Instant.ofEpochMilli((Long) epochMillis);
    }

    private static IllegalStateException unexpected(LuaScript script, List<Object> reply) {
        return new IllegalStateException("unexpected reply from " + script.name() + ".lua: " + reply);
    }
}
