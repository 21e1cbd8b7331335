package dev.seatgate.seats;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.Crypto;
import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.ScriptLibrary;
import dev.seatgate.testing.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seat scripts run directly on a real Redis, with the exact reply each header promises: every reply of
 * {@code claim.lua}, and those of {@code heartbeat.lua}, {@code end_session.lua} and the live sockets' scripts. Times in the replies are
 * checked against what the scripts stored ({@code loggedInAt}), so they are exact too.
 */
class SeatScriptsIT {

    private static final LuaScript CLAIM = LuaScript.load("claim");
    private static final LuaScript HEARTBEAT = LuaScript.load("heartbeat");
    private static final LuaScript END_SESSION = LuaScript.load("end_session");
    private static final LuaScript DELETE_AGENT = LuaScript.load("delete_agent");
    private static final LuaScript ATTACH = LuaScript.load("attach");
    private static final LuaScript RENEW_ATTACHED = LuaScript.load("renew_attached");
    private static final LuaScript DETACH = LuaScript.load("detach");
    private static final long TTL = 30_000;
    private static final long TOMBSTONE = 60_000;
    private static final long RESUME_TTL = 7 * 24 * 3600_000L;
    private static final String CREDENTIAL = Crypto.sha1Hex("the agent's password hash");

    private static RedisServer server;
    private static RedisCommands<String, String> redis;
    private static int tenants;
    private String prefix;

    @BeforeAll
    static void startRedis() {
        server = RedisServer.start(false);
        redis = server.sync();
        redis.functionLoad(ScriptLibrary.SEATGATE.source(), true);
    }

    @AfterAll
    static void stopRedis() {
        server.close();
    }

    @BeforeEach
    void tenantWithOneSeatAndTwoAgents() {
        prefix = "sg:{scripts" + ++tenants + "}:";
        redis.hset(prefix + "tenant", Map.of("name", "Scripts", "timeZone", "UTC", "createdAt", "0"));
        redis.set(prefix + "seats:outbound", "1");
        redis.hset(prefix + "gates", Map.of("a1", CREDENTIAL + " 1 outbound", "a2", CREDENTIAL + " 1 outbound",
                "off", CREDENTIAL + " 0 outbound", "closer-only", CREDENTIAL + " 1 closer"));
    }

    // ---- claim.lua

    /**
     * However many tickets at the head of the line wait for a campaign that is full, the first ticket behind them that
     * may take the freed seat gets it (line.lua steps over up to 1,000 in one serve).
     */
    @Test
    void aSeatGoesToTheFirstTicketThatMayTakeItBehindTicketsOfAFullCampaign() {
        redis.set(prefix + "seats:outbound", "1");
        redis.hset(prefix + "campaigns", "full", "{}");
        redis.hset(prefix + "campaign-limits:outbound", "full", "0 0");
        var gates = new java.util.HashMap<String, String>();
        for (int i = 0; i < 250; i++) {
            gates.put("w" + i, CREDENTIAL + " 1 outbound");
        }
        redis.hset(prefix + "gates", gates);
        assertThat(claim("a1", "s1", password(CREDENTIAL, false, "r1")).get(0)).isEqualTo("OK");
        for (int i = 0; i < 250; i++) {
            assertThat(claim("w" + i, "q" + i, "takeover", Long.MAX_VALUE, password(CREDENTIAL, false, "rq" + i), true,
                    "full")).first().isEqualTo("QUEUED");
        }
        assertThat(claim("a2", "behind", "takeover", Long.MAX_VALUE, password(CREDENTIAL, false, "r2"), true, ""))
                .first().isEqualTo("QUEUED");

        assertThat(run(END_SESSION, prefix + "session:s1", prefix, "s1", "", "logged_out", Long.toString(TOMBSTONE),
                "outbound", "closer")).containsExactly("OK");

        assertThat(redis.zrange(prefix + "leases:outbound", 0, -1)).containsExactly("behind");
        assertThat(redis.zcard(prefix + "line:outbound")).isEqualTo(250L);
    }

    /**
     * One script hands over at most 200 seats (line.lua MAX_HANDOVERS) to bound its time; a claim that found the line
     * served only so far must not give one of the seats left to a newcomer: the tickets behind come first.
     */
    @Test
    void aNewcomerGetsNoSeatWhileTheLineIsServedInInstalments() {
        redis.set(prefix + "seats:outbound", "0");
        var gates = new java.util.HashMap<String, String>();
        for (int i = 0; i < 250; i++) {
            gates.put("w" + i, CREDENTIAL + " 1 outbound");
        }
        redis.hset(prefix + "gates", gates);
        for (int i = 0; i < 250; i++) {
            assertThat(claim("w" + i, "q" + i, "takeover", Long.MAX_VALUE, password(CREDENTIAL, false, "rq" + i), true))
                    .first().isEqualTo("QUEUED");
        }
        redis.set(prefix + "seats:outbound", "250");

        List<Object> newcomer = claim("a1", "s1", password(CREDENTIAL, false, "r1"));

        assertThat(newcomer.get(0)).isEqualTo("EXHAUSTED");
        assertThat(newcomer.get(5)).as("still waiting after the first 200 hand-overs").isEqualTo(50L);
        assertThat(redis.zcard(prefix + "leases:outbound")).isEqualTo(200L);
    }

    /** However many times one agent logs in, it leaves five ended sessions behind: the newest five. */
    @Test
    void anAgentsLoginsLeaveAtMostFiveEndedSessionsBehind() {
        for (int i = 1; i <= 50; i++) {
            assertThat(claim("a1", "s" + i, password(CREDENTIAL, false, "r" + i))).first().isEqualTo("OK");
        }

        assertThat(redis.keys(prefix + "session:*")).containsExactlyInAnyOrder(prefix + "session:s45",
                prefix + "session:s46", prefix + "session:s47", prefix + "session:s48", prefix + "session:s49",
                prefix + "session:s50");
        assertThat(redis.zrange(prefix + "ended:a1", 0, -1)).containsExactly("s45", "s46", "s47", "s48", "s49");
        assertThat(run(HEARTBEAT, prefix + "session:s49", prefix, "s49", Crypto.sha256Hex("secret-s49"),
                String.valueOf(TTL), String.valueOf(TOMBSTONE))).containsExactly("GONE", "superseded");
        assertThat(run(HEARTBEAT, prefix + "session:s44", prefix, "s44", Crypto.sha256Hex("secret-s44"),
                String.valueOf(TTL), String.valueOf(TOMBSTONE))).containsExactly("UNKNOWN");
    }

    @Test
    void aClaimAdmitsTakingTheSeatAndMintingAResumeToken() {
        List<Object> reply = claim("a1", "s1", password(CREDENTIAL, false, "r1"));

        long loggedInAt = Long.parseLong(redis.hget(prefix + "session:s1", "loggedInAt"));
        assertThat(reply).containsExactly("OK", loggedInAt + TTL, "", 0L, loggedInAt + RESUME_TTL);
        assertThat(redis.hgetall(prefix + "session:s1")).containsEntry("agent", "a1").containsEntry("type", "outbound")
                .containsEntry("state", "live").containsEntry("token", Crypto.sha256Hex("secret-s1"))
                .containsEntry("device", "phone");
        assertThat(redis.zscore(prefix + "leases:outbound", "s1")).isEqualTo((double) (loggedInAt + TTL));
        assertThat(redis.hget(prefix + "online", "a1")).isEqualTo("s1");
        assertThat(redis.hget(prefix + "resume:a1", "r1"))
                .isEqualTo(Crypto.sha256Hex("resume-r1") + " " + (loggedInAt + RESUME_TTL));
    }

    @Test
    void aTakeoverMovesTheSeatAndSaysWhichSessionItReplaced() {
        claim("a1", "s1", password(CREDENTIAL, false, "r1"));

        List<Object> reply = claim("a1", "s2", password(CREDENTIAL, false, "r2"));

        long loggedInAt = Long.parseLong(redis.hget(prefix + "session:s2", "loggedInAt"));
        assertThat(reply).containsExactly("OK", loggedInAt + TTL, "s1", 0L, loggedInAt + RESUME_TTL);
        assertThat(redis.hmget(prefix + "session:s1", "state", "reason"))
                .extracting(value -> value.getValue()).containsExactly("ended", "superseded");
        assertThat(redis.zrange(prefix + "leases:outbound", 0, -1)).containsExactly("s2");
    }

    @Test
    void aResumeTokenLogsInWithItsOwnExpiry() {
        claim("a1", "s1", password(CREDENTIAL, false, "r1"));
        long expiry = Long.parseLong(redis.hget(prefix + "resume:a1", "r1").split(" ")[1]);

        List<Object> reply = claim("a1", "s2", resume("r1", Crypto.sha256Hex("resume-r1")));

        long loggedInAt = Long.parseLong(redis.hget(prefix + "session:s2", "loggedInAt"));
        assertThat(reply).containsExactly("OK", loggedInAt + TTL, "s1", 0L, expiry);
        assertThat(redis.hlen(prefix + "resume:a1")).as("nothing minted").isEqualTo(1);
    }

    @Test
    void aBadResumeTokenTakesNothing() {
        claim("a1", "s1", password(CREDENTIAL, false, "r1"));
        String tokenHash = Crypto.sha256Hex("resume-r1");

        assertThat(claim("a1", "s2", resume("r9", tokenHash))).containsExactly("BAD_RESUME");
        assertThat(claim("a1", "s2", resume("r1", Crypto.sha256Hex("guess")))).containsExactly("BAD_RESUME");
        assertThat(claim("a2", "s2", resume("r1", tokenHash))).as("another agent's").containsExactly("BAD_RESUME");
        redis.hset(prefix + "resume:a1", "r1", tokenHash + " 1000");
        assertThat(claim("a1", "s2", resume("r1", tokenHash))).as("expired").containsExactly("BAD_RESUME");
        assertThat(redis.exists(prefix + "session:s2")).isZero();
    }

    @Test
    void noFreeSeatIsExhaustedWithTheNextActivationAndLapsedLeasesEndedOnTheWay() {
        claim("a1", "s1", password(CREDENTIAL, false, "r1"));
        redis.zadd(prefix + "pending:outbound", 4_102_444_800_000.0, "p1:2"); // 2100-01-01
        // A session whose softphone vanished long ago (ended here, and counted), and a lease whose session
        // record is gone already (only tidied away).
        redis.hset(prefix + "session:stale", Map.of("agent", "a9", "type", "outbound", "state", "live", "token", "x",
                "loggedInAt", "1"));
        redis.zadd(prefix + "leases:outbound", 1_000, "stale");
        redis.zadd(prefix + "leases:outbound", 1_000, "forgotten");

        List<Object> reply = claim("a2", "s2", password(CREDENTIAL, false, "r2"));

        assertThat(reply).containsExactly("EXHAUSTED", 1L, 1L, 4_102_444_800_000L, 1L, 0L, 0L);
        assertThat(redis.zrange(prefix + "leases:outbound", 0, -1)).containsExactly("s1");
        assertThat(redis.hget(prefix + "session:stale", "reason")).isEqualTo("expired");
    }

    @Test
    void policyRejectRefusesASecondLoginNamingTheLiveSession() {
        claim("a1", "s1", password(CREDENTIAL, false, "r1"));

        assertThat(claim("a1", "s2", "reject", Long.MAX_VALUE, password(CREDENTIAL, false, "r2")))
                .containsExactly("ALREADY", "s1", 0L);
    }

    @Test
    void theAgentAsItIsInRedisDecides() {
        assertThat(claim("a1", "s1", password(Crypto.sha1Hex("an older hash"), false, "r1")))
                .containsExactly("AGENT_CHANGED");
        assertThat(claim("nobody", "s1", password(CREDENTIAL, false, "r1"))).containsExactly("AGENT_CHANGED");
        assertThat(claim("off", "s1", password(CREDENTIAL, false, "r1"))).containsExactly("DISABLED");
        assertThat(claim("closer-only", "s1", password(CREDENTIAL, false, "r1"))).containsExactly("NOT_PERMITTED");
        assertThat(redis.exists(prefix + "online")).isZero();
    }

    @Test
    void aLockedOutAgentStaysOutAndAnAttemptCountedInFlightIsGivenBack() {
        redis.set(prefix + "failures:a1", "10");
        redis.pexpire(prefix + "failures:a1", 60_000);
        List<Object> locked = claim("a1", "s1", password(CREDENTIAL, false, "r1"));
        assertThat(locked).hasSize(2).first().isEqualTo("LOCKED");
        assertThat((Long) locked.get(1)).isBetween(1L, 60_000L);

        // Nine failures and this login's own attempt: given back, the login gets in, and the count is cleared.
        List<Object> reply = claim("a1", "s1", password(CREDENTIAL, true, "r1"));
        assertThat(reply.get(0)).isEqualTo("OK");
        assertThat(redis.exists(prefix + "failures:a1")).isZero();

        // Refused for want of a seat: only its own attempt is given back.
        redis.set(prefix + "failures:a2", "3");
        assertThat(claim("a2", "s2", password(CREDENTIAL, true, "r2")).get(0)).isEqualTo("EXHAUSTED");
        assertThat(redis.get(prefix + "failures:a2")).isEqualTo("2");
    }

    @Test
    void aClaimRunAfterItsDeadlineChangesNothing() {
        assertThat(claim("a1", "s1", "takeover", 1_000, password(CREDENTIAL, true, "r1"))).containsExactly("LATE");
        assertThat(redis.keys(prefix + "*")).containsExactlyInAnyOrder(prefix + "tenant", prefix + "seats:outbound",
                prefix + "gates");
    }

    // ---- heartbeat.lua and end_session.lua

    @Test
    void aHeartbeatExtendsALiveLeaseAndNamesWhyAGoneSessionWent() {
        claim("a1", "s1", password(CREDENTIAL, false, "r1"));

        List<Object> extended = run(HEARTBEAT, prefix + "session:s1", prefix, "s1", Crypto.sha256Hex("secret-s1"),
                Long.toString(TTL), Long.toString(TOMBSTONE));
        assertThat(extended).hasSize(2).first().isEqualTo("OK");
        assertThat(redis.zscore(prefix + "leases:outbound", "s1")).isEqualTo(((Long) extended.get(1)).doubleValue());

        assertThat(run(HEARTBEAT, prefix + "session:s1", prefix, "s1", Crypto.sha256Hex("wrong"),
                Long.toString(TTL), Long.toString(TOMBSTONE)))
                .containsExactly("UNKNOWN");
        claim("a1", "s2", password(CREDENTIAL, false, "r2"));
        assertThat(run(HEARTBEAT, prefix + "session:s1", prefix, "s1", Crypto.sha256Hex("secret-s1"),
                Long.toString(TTL), Long.toString(TOMBSTONE)))
                .containsExactly("GONE", "superseded");

        redis.zadd(prefix + "leases:outbound", 1_000, "s2"); // its lease ran out
        assertThat(run(HEARTBEAT, prefix + "session:s2", prefix, "s2", Crypto.sha256Hex("secret-s2"),
                Long.toString(TTL), Long.toString(TOMBSTONE)))
                .containsExactly("EXPIRED");
        assertThat(redis.hget(prefix + "session:s2", "reason")).isEqualTo("expired");
    }

    @Test
    void endingASessionFreesItsSeatOnceAndThenSaysItIsGone() {
        claim("a1", "s1", password(CREDENTIAL, false, "r1"));
        String token = Crypto.sha256Hex("secret-s1");

        assertThat(run(END_SESSION, prefix + "session:s1", prefix, "s1", token, "logged_out", "1000"))
                .containsExactly("OK");
        assertThat(redis.zcard(prefix + "leases:outbound")).isZero();
        assertThat(redis.hexists(prefix + "online", "a1")).isFalse();
        assertThat(run(END_SESSION, prefix + "session:s1", prefix, "s1", "", "revoked", "1000"))
                .containsExactly("GONE", "logged_out");
        assertThat(run(END_SESSION, prefix + "session:none", prefix, "none", "", "revoked", "1000"))
                .containsExactly("UNKNOWN");
    }

    @Test
    void aLogoutOfASessionWhoseLeaseRanOutEndsItAsExpired() {
        claim("a1", "s1", password(CREDENTIAL, false, "r1"));
        redis.zadd(prefix + "leases:outbound", 1_000, "s1"); // its softphone stopped heartbeating long ago

        assertThat(run(END_SESSION, prefix + "session:s1", prefix, "s1", Crypto.sha256Hex("secret-s1"), "logged_out",
                "1000")).containsExactly("EXPIRED");
        assertThat(redis.hget(prefix + "session:s1", "reason")).isEqualTo("expired");
        assertThat(redis.zcard(prefix + "leases:outbound")).isZero();
        assertThat(redis.hexists(prefix + "online", "a1")).isFalse();
    }

    // ---- ending a session is idempotent on every key it touches

    @Test
    void endingASessionWhoseRecordExpiredStillTakesItsLeaseAway() {
        claim("a1", "s1", password(CREDENTIAL, false, "r1"));
        redis.del(prefix + "session:s1"); // its record expired; its lease (say, on a clock that ran ahead) did not

        assertThat(run(END_SESSION, prefix + "session:s1", prefix, "s1", "", "revoked", "1000", "outbound", "closer"))
                .containsExactly("UNKNOWN");
        assertThat(redis.zscore(prefix + "leases:outbound", "s1")).isNull();
    }

    @Test
    void aLeaseGrantedOnAClockThatRanAheadEndsAtTheNextClaimInsteadOfHoldingItsSeatUnseen() {
        claim("a1", "s1", password(CREDENTIAL, false, "r1"));
        long threeDaysOn = System.currentTimeMillis() + 3 * 24 * 3600_000L;
        redis.zadd(prefix + "leases:outbound", threeDaysOn, "s1"); // granted while SEATGATE_CLOCK_OFFSET was P3D

        List<Object> reply = claim("a2", "s2", password(CREDENTIAL, false, "r2"));

        assertThat(reply.get(0)).as("the one seat is free").isEqualTo("OK");
        assertThat(reply.get(3)).as("sessions ended on the way").isEqualTo(1L);
        assertThat(run(HEARTBEAT, prefix + "session:s1", prefix, "s1", Crypto.sha256Hex("secret-s1"),
                Long.toString(TTL), Long.toString(TOMBSTONE))).containsExactly("GONE", "expired");
    }

    @Test
    void deletingAnAgentWhoseLeaseLapsedLeavesNoOnlineEntryBehind() {
        claim("a1", "s1", password(CREDENTIAL, false, "r1"));
        redis.zadd(prefix + "leases:outbound", 1_000, "s1"); // lapsed, and nothing has noticed yet
        redis.hset(prefix + "agents", "a1", "{}");

        assertThat(run(DELETE_AGENT, prefix + "agents", prefix, "a1", Long.toString(TOMBSTONE), "sg:test-channel",
                "test a1")).containsExactly("OK", "");
        assertThat(redis.hexists(prefix + "online", "a1")).isFalse();
    }

    // ---- attach.lua, renew_attached.lua, detach.lua (live sockets)

    /** The end of an attached session is published on its gateway's channel; one without a socket costs nothing. */
    @Test
    void theEndOfAnAttachedSessionIsPublishedToTheGatewayHoldingIt() throws InterruptedException {
        BlockingQueue<String> heard = new LinkedBlockingQueue<>();
        RedisClient client = RedisClient.create(server.uri());
        try (StatefulRedisPubSubConnection<String, String> subscriber = client.connectPubSub()) {
            subscriber.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String channel, String message) {
                    heard.add(channel + " " + message);
                }
            });
            subscriber.sync().subscribe("sg:live:gw1");
            assertThat(claim("a1", "s1", password(CREDENTIAL, false, "r1"))).first().isEqualTo("OK");
            assertThat(attach("s1", "gw1:7")).first().isEqualTo("OK");
            assertThat(redis.hget(prefix + "session:s1", "holder")).isEqualTo("gw1:7");

            assertThat(claim("a1", "s2", password(CREDENTIAL, false, "r2"))).first().isEqualTo("OK"); // takes s1 over
            assertThat(claim("a1", "s3", password(CREDENTIAL, false, "r3"))).first().isEqualTo("OK"); // s2: no socket

            String message = heard.poll(2, TimeUnit.SECONDS);
            assertThat(message).matches("sg:live:gw1 s1 superseded \\d+");
            assertThat(heard.poll(200, TimeUnit.MILLISECONDS)).as("nothing for s2").isNull();
        } finally {
            client.shutdown();
        }
    }

    @Test
    void aRenewalExtendsWhatItsHolderHoldsAndSaysWhyItLetsTheRestGo() {
        redis.set(prefix + "seats:outbound", "3");
        assertThat(claim("a1", "s1", password(CREDENTIAL, false, "r1"))).first().isEqualTo("OK");
        assertThat(claim("a2", "s2", password(CREDENTIAL, false, "r2"))).first().isEqualTo("OK");
        redis.hset(prefix + "gates", "a3", CREDENTIAL + " 1 outbound");
        assertThat(claim("a3", "s3", password(CREDENTIAL, false, "r3"))).first().isEqualTo("OK");
        attach("s1", "gw1:1");
        attach("s2", "gw1:2");
        attach("s2", "gw2:1"); // moved to another gateway
        attach("s3", "gw1:3");
        redis.zadd(prefix + "leases:outbound", 1, "s3"); // its lease ran out long ago

        List<Object> reply = run(RENEW_ATTACHED, prefix + "online", prefix, Long.toString(TTL),
                Long.toString(TOMBSTONE), "s1", "gw1:1", "s2", "gw1:2", "s3", "gw1:3", "s9", "gw1:9");

        long expires = (Long) reply.get(0);
        assertThat(reply.subList(1, reply.size())).containsExactly("s2", "moved", "s3", "lapsed", "s9", "unknown");
        assertThat(redis.zscore(prefix + "leases:outbound", "s1")).isEqualTo((double) expires);
        assertThat(redis.hget(prefix + "session:s3", "reason")).isEqualTo("expired");
        assertThat(run(RENEW_ATTACHED, prefix + "online", prefix, Long.toString(TTL), Long.toString(TOMBSTONE),
                "s3", "gw1:3").subList(1, 3)).containsExactly("s3", "expired"); // ended before: its reason, not lapsed
    }

    @Test
    void onlyTheHolderDetachesAndTheSeatIsHeldForTheGrace() {
        assertThat(claim("a1", "s1", password(CREDENTIAL, false, "r1"))).first().isEqualTo("OK");
        attach("s1", "gw1:1");

        assertThat(run(DETACH, prefix + "session:s1", prefix, "s1", "gw1:0", "5000")).containsExactly("NOT_HELD");
        List<Object> detached = run(DETACH, prefix + "session:s1", prefix, "s1", "gw1:1", "5000");

        assertThat(detached).first().isEqualTo("OK");
        assertThat(redis.zscore(prefix + "leases:outbound", "s1")).isEqualTo(((Long) detached.get(1)).doubleValue());
        assertThat(redis.hexists(prefix + "session:s1", "holder")).isFalse();
        assertThat(run(DETACH, prefix + "session:s1", prefix, "s1", "gw1:1", "5000")).containsExactly("NOT_HELD");
    }

    private List<Object> attach(String sessionId, String holder) {
        return run(ATTACH, prefix + "session:" + sessionId, prefix, sessionId, Crypto.sha256Hex("secret-" + sessionId),
                Long.toString(TTL), Long.toString(TOMBSTONE), holder);
    }

    // ---- plumbing: the arguments exactly as the headers list them

    private List<Object> claim(String agent, String sessionId, List<String> proof) {
        return claim(agent, sessionId, "takeover", Long.MAX_VALUE, proof);
    }

    private List<Object> claim(String agent, String sessionId, String policy, long deadline, List<String> proof) {
        return claim(agent, sessionId, policy, deadline, proof, false);
    }

    private List<Object> claim(String agent, String sessionId, String policy, long deadline, List<String> proof,
                               boolean queue) {
        return claim(agent, sessionId, policy, deadline, proof, queue, "");
    }

    private List<Object> claim(String agent, String sessionId, String policy, long deadline, List<String> proof,
                               boolean queue, String campaign) {
        var args = new ArrayList<>(List.of(prefix, "outbound", agent, sessionId, Crypto.sha256Hex("secret-" + sessionId),
                "phone", Long.toString(TTL), policy, Long.toString(TOMBSTONE), Long.toString(deadline), "10"));
        args.addAll(proof);
        args.addAll(List.of(Long.toString(RESUME_TTL), queue ? "1" : "0", "t-" + sessionId,
                Crypto.sha256Hex("ticket-" + sessionId), "1000", campaign));
        return run(CLAIM, prefix + "online", args.toArray(String[]::new));
    }

    /** ARGV[13..17] of a password proof; the new resume token's secret is "resume-" + its id. */
    private static List<String> password(String credentialId, boolean attemptCounted, String resumeTokenId) {
        return List.of("password", credentialId, attemptCounted ? "1" : "0", resumeTokenId,
                Crypto.sha256Hex("resume-" + resumeTokenId));
    }

    private static List<String> resume(String tokenId, String secretHash) {
        return List.of("resume", tokenId, secretHash, "", "");
    }

    /** Runs a script the way the gateway does: its function of the library, ARGV[1] the clock offset (0). */
    private static List<Object> run(LuaScript script, String key, String... args) {
        String[] argv = new String[args.length + 1];
        argv[0] = "0";
        System.arraycopy(args, 0, argv, 1, args.length);
        return redis.fcall(script.function(), ScriptOutputType.MULTI, new String[] {key}, argv);
    }
}
