package dev.seatgate.standing;

import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.RedisConnector;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import dev.seatgate.seats.EndReason;
import dev.seatgate.seats.SeatLedger;
import dev.seatgate.seats.SessionEnds;
import io.lettuce.core.Range;
import io.lettuce.core.ScoredValue;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * Tenants' account standing in Redis (API.md "Account standing"; the rule and keys are in {@code lua/standing.lua}).
 *
 * <p>A suspension ends every session of the tenant and empties its waiting lines in the same script that switches the
 * standing, so no login slips in between. A past-due tenant with a {@code suspendAt} is suspended from that instant
 * by Redis' clock, without a scheduler: the claim and purchase scripts judge by the time themselves, and the first
 * script that applies the change (a claim, a read of the standing, or any gateway's {@link StandingTick}) writes it
 * and its billing event once. So that the tick can find such tenants without visiting every tenant, a PUT with a
 * {@code suspendAt} first indexes the tenant in {@link #SUSPENSIONS}, an untagged key that only plain commands and a
 * single-key script touch (Redis Cluster: it lives in another slot than the tenant's keys).
 */
public final class AccountStanding {

    /** Tenants with a suspendAt, scored by it (ms, Redis' clock); not tagged: read by every gateway's tick. */
    public static final String SUSPENSIONS = "sg:suspensions";

    private static final LuaScript PUT = LuaScript.load("put_standing");
    private static final LuaScript GET = LuaScript.load("get_standing");
    private static final LuaScript FORGET = LuaScript.load("suspension_forget");

    private final RedisConnector redis;
    private final ScriptRunner scripts;
    private final List<String> licenseTypes;
    private final SessionEnds ends;
    private final String sessionMemoryMillis = Long.toString(SeatLedger.SESSION_MEMORY.toMillis());

    /**
     * @param licenseTypes the catalog's types: a suspension empties their waiting lines
     * @param ends         told of the sessions a suspension ends
     */
    public AccountStanding(RedisConnector redis, ScriptRunner scripts, List<String> licenseTypes, SessionEnds ends) {
        this.redis = redis;
        this.scripts = scripts;
        this.licenseTypes = licenseTypes;
        this.ends = ends;
    }

    /**
     * Sets the tenant's standing (a change is one billing event); a suspension takes effect at once. Empty when the
     * tenant does not exist. The caller has checked that {@code suspendAt} comes only with {@link StandingStatus#PAST_DUE}.
     */
    public CompletionStage<Optional<Standing>> put(String tenant, StandingStatus status, Optional<String> note,
                                                   Optional<Instant> suspendAt) {
        TenantKeys keys = TenantKeys.of(tenant);
        String[] args = Stream.concat(Stream.of(keys.prefix(), status.wireName(), note.isPresent() ? "1" : "0",
                note.orElse(""), suspendAt.map(at -> Long.toString(at.toEpochMilli())).orElse(""),
                suspendAt.map(Instant::toString).orElse(""), sessionMemoryMillis), licenseTypes.stream())
                .toArray(String[]::new);
        // Indexed before the standing is written: a gateway that dies in between leaves an entry the tick drops,
        // never a suspendAt that no tick knows of.
        CompletionStage<?> indexed = suspendAt.isPresent()
                ? redis.commands().zadd(SUSPENSIONS, (double) suspendAt.get().toEpochMilli(), tenant)
                : CompletableFuture.completedFuture(null);
        return indexed.thenCompose(done -> scripts.run(PUT, new String[] {keys.tenant()}, args))
                .thenApply(reply -> standing(tenant, reply))
                .thenCompose(standing -> {
                    // Indexed again by what was stored: of two PUTs racing, the one written last decides, whatever
                    // order their index entries took.
                    Optional<Instant> stored = standing.map(Standing::suspendAt);
                    return stored.isEmpty() || stored.get() == null ? CompletableFuture.completedFuture(standing)
                            : redis.commands().zadd(SUSPENSIONS, (double) stored.get().toEpochMilli(), tenant)
                                    .thenApply(added -> standing);
                });
    }

    /** The tenant's standing now, after applying a suspension whose time has come; empty for an unknown tenant. */
    public CompletionStage<Optional<Standing>> get(String tenant) {
        TenantKeys keys = TenantKeys.of(tenant);
        String[] args = Stream.concat(Stream.of(keys.prefix(), sessionMemoryMillis), licenseTypes.stream())
                .toArray(String[]::new);
        return scripts.run(GET, new String[] {keys.tenant()}, args).thenApply(reply -> standing(tenant, reply));
    }

    /** A tenant indexed in {@link #SUSPENSIONS}, with the suspendAt it is scored by. */
    public record Indexed(String tenant, long suspendAtMillis) {
    }

    /** The tenants whose indexed suspendAt is at or before {@code upToMillis} (Redis' clock). */
    public CompletionStage<List<Indexed>> indexedUpTo(long upToMillis) {
        return redis.commands().zrangebyscoreWithScores(SUSPENSIONS, Range.create(Double.NEGATIVE_INFINITY,
                (double) upToMillis)).thenApply(scored -> {
                    var indexed = new ArrayList<Indexed>(scored.size());
                    for (ScoredValue<String> entry : scored) {
                        indexed.add(new Indexed(entry.getValue(), (long) entry.getScore()));
                    }
                    return indexed;
                });
    }

    /** Drops the tenant from {@link #SUSPENSIONS} unless it was indexed anew (another suspendAt) since. */
    public CompletionStage<List<Object>> forget(Indexed entry) {
        return scripts.run(FORGET, new String[] {SUSPENSIONS}, entry.tenant(), Long.toString(entry.suspendAtMillis()));
    }

    /** {@code {'OK', sessions ended, status, since, suspendAt or -1, note or nil}} or {@code {'NO_TENANT'}}. */
    private Optional<Standing> standing(String tenant, List<Object> reply) {
        if (!"OK".equals(reply.get(0))) {
            return Optional.empty();
        }
        long ended = (Long) reply.get(1);
        if (ended > 0) {
            ends.ended(EndReason.SUSPENDED, ended);
        }
        long suspendAt = (Long) reply.get(4);
        return Optional.of(new Standing(tenant, StandingStatus.fromWire((String) reply.get(2)).orElseThrow(),
                Instant.ofEpochMilli((Long) reply.get(3)), suspendAt < 0 ? null : Instant.ofEpochMilli(suspendAt),
                (String) reply.get(5)));
    }
}
