package dev.seatgate.licenses;

import dev.seatgate.Crypto;
import dev.seatgate.Json;
import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.RedisClock;
import dev.seatgate.redis.RedisConnector;
import dev.seatgate.redis.ReplicatedWrites;
import dev.seatgate.redis.RedisUnavailableException;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import dev.seatgate.tenants.Tenant;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.StreamMessage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * Purchases and removals of seats, the seat counts of a tenant, and its billing ledger.
 *
 * <ul>
 *   <li>A purchase is charged at once, prorated in the tenant's zone, and its seats join the active count at
 *       {@code activatesAt}: the first script to run from then on moves them (see {@code activate_due} in
 *       {@code lib.lua}), on whichever gateway.</li>
 *   <li>A removal takes effect at the next 1st of the month, 00:00 in the tenant's zone; until then the seats
 *       stay active, from then on every claim counts the lower number ({@code apply_due_removals}).</li>
 *   <li>Every purchase, scheduled removal, applied removal and monthly cycle is an entry of the tenant's
 *       billing stream, written in the same script as the change it records, so exactly once. Purchases
 *       and removals bill the cycles that started before them first, so the ledger is in time order.</li>
 * </ul>
 *
 * <p>Purchases (always) and removals (when the request has one) are idempotent: the request's
 * {@code Idempotency-Key} and fingerprint (type and count) are stored with it in the same script, so a
 * retry gets the very same answer and a retry with another body is refused. Keys are kept for
 * {@link #IDEMPOTENCY_RETENTION}.
 */
public final class LicenseLedger {

    /** How long an Idempotency-Key is remembered; retries come within minutes, not days. */
    public static final Duration IDEMPOTENCY_RETENTION = Duration.ofDays(7);
    /**
     * How often a purchase or removal is timed afresh when a monthly cycle was billed between its timing and
     * its script (a race of milliseconds around midnight on the 1st); more than once means something is off.
     */
    private static final int STALE_RETRIES = 3;

    private static final LuaScript PURCHASE = LuaScript.load("purchase");
    private static final LuaScript REMOVAL = LuaScript.load("removal");
    private static final LuaScript LICENSES = LuaScript.load("licenses");

    private final RedisConnector redis;
    private final ScriptRunner scripts;
    private final ReplicatedWrites writes;
    private final RedisClock clock;
    private final LicenseCatalog catalog;
    private final Duration activationDelay;

    /** @param writes runs purchases and removals (waiting for replicas when configured) */
    public LicenseLedger(RedisConnector redis, ScriptRunner scripts, ReplicatedWrites writes, RedisClock clock,
                         LicenseCatalog catalog, Duration activationDelay) {
        this.redis = redis;
        this.scripts = scripts;
        this.writes = writes;
        this.clock = clock;
        this.catalog = catalog;
        this.activationDelay = activationDelay;
    }

    /** What a purchase or removal request came to. */
    public sealed interface Outcome<T> {
        /** New, recorded now (a purchase: charged now). */
        record Created<T>(T value) implements Outcome<T> {
        }

        /** The same key and body as an earlier request: that one, nothing recorded or charged again. */
        record Replayed<T>(T value) implements Outcome<T> {
        }

        /** The key was used before for a different request. */
        record KeyReused<T>() implements Outcome<T> {
        }

        /** A purchase for a suspended tenant (API.md "Account standing"): nothing bought. */
        record AccountSuspended<T>() implements Outcome<T> {
        }

        /** A removal of more seats than active + pending - already scheduled removals. */
        record InvalidCount<T>(long removable) implements Outcome<T> {
        }
    }

    public CompletionStage<Outcome<Purchase>> purchase(Tenant tenant, LicenseType type, int count,
                                                       String idempotencyKey) {
        TenantKeys keys = TenantKeys.of(tenant.id());
        return timed(STALE_RETRIES, now -> {
            Quote quote = quoteAt(tenant, type, count, now);
            Instant activatesAt = quote.activatesAt();
            var purchase = new Purchase("p_" + Crypto.randomId(12), tenant.id(), type.name(), count, now,
                    activatesAt, quote.charge());
            List<String> args = new ArrayList<>(List.of(keys.prefix(), type.name(), purchase.purchaseId(),
                    Integer.toString(count), millis(now), millis(activatesAt), type.name() + ":" + count,
                    Json.write(purchase), millis(IDEMPOTENCY_RETENTION)));
            args.addAll(catalog.scriptArgs());
            return writes.run(PURCHASE, new String[] {keys.tenant(),
                    keys.purchaseIdempotency(Crypto.sha256Hex(idempotencyKey))}, args.toArray(String[]::new));
        }).thenApply(reply -> outcome(PURCHASE, reply, Purchase.class));
    }

    /**
     * What a purchase of {@code count} seats would charge if it were made now, by Redis' clock, and when its seats
     * would activate; nothing is bought. A purchase made a moment later is priced by the very same code
     * ({@link #quoteAt}), so it charges the same unless a day of the tenant's month ends in between.
     */
    public CompletionStage<Quote> quote(Tenant tenant, LicenseType type, int count) {
        return clock.now().thenApply(now -> quoteAt(tenant, type, count, now));
    }

    /** The price of {@code count} seats bought at {@code now}: the one place a purchase is priced. */
    private Quote quoteAt(Tenant tenant, LicenseType type, int count, Instant now) {
        return new Quote(type.name(), count, now.plus(activationDelay),
                Proration.charge(type, count, now, tenant.timeZone()));
    }

    public CompletionStage<Outcome<Removal>> remove(Tenant tenant, LicenseType type, int count,
                                                    Optional<String> idempotencyKey) {
        TenantKeys keys = TenantKeys.of(tenant.id());
        return timed(STALE_RETRIES, now -> {
            Instant effectiveAt = BillingCalendar.nextCycleStart(now, tenant.timeZone()).startsAt();
            var removal = new Removal("r_" + Crypto.randomId(12), tenant.id(), type.name(), count, now,
                    effectiveAt);
            List<String> args = new ArrayList<>(List.of(keys.prefix(), type.name(), removal.removalId(),
                    Integer.toString(count), millis(now), millis(effectiveAt), type.name() + ":" + count,
                    Json.write(removal), idempotencyKey.map(Crypto::sha256Hex).orElse(""),
                    millis(IDEMPOTENCY_RETENTION)));
            args.addAll(catalog.scriptArgs());
            return writes.run(REMOVAL, new String[] {keys.tenant()}, args.toArray(String[]::new));
        }).thenApply(reply -> outcome(REMOVAL, reply, Removal.class));
    }

    /** The counts of every catalog type, as of Redis' now; empty when the tenant does not exist. */
    public CompletionStage<Optional<Snapshot>> counts(String tenant) {
        TenantKeys keys = TenantKeys.of(tenant);
        String[] args = Stream.concat(Stream.of(keys.prefix()), catalog.names().stream()).toArray(String[]::new);
        return scripts.run(LICENSES, new String[] {keys.tenant()}, args).thenApply(reply -> {
            if (!"OK".equals(reply.get(0))) {
                return Optional.empty();
            }
            var byType = new LinkedHashMap<String, LicenseCounts>();
            for (Object entry : reply.subList(2, reply.size())) {
                List<?> fields = (List<?>) entry;
                long active = Math.max(0, (Long) fields.get(1)); // below zero while a removal outran a purchase
                long inUse = (Long) fields.get(2);
                byType.put((String) fields.get(0), new LicenseCounts(active, inUse, Math.max(0, active - inUse),
                        (Long) fields.get(5), scheduled((List<?>) fields.get(3), LicenseCounts.Pending::new),
                        scheduled((List<?>) fields.get(4), LicenseCounts.ScheduledRemoval::new),
                        campaigns((List<?>) fields.get(6))));
            }
            return Optional.of(new Snapshot(Instant.ofEpochMilli((Long) reply.get(1)), byType));
        });
    }

    /** licenses.lua's campaigns of a type: campaign, inUse, max (-1: none), reserved, ... */
    private static Map<String, LicenseCounts.CampaignCounts> campaigns(List<?> flat) {
        var campaigns = new java.util.TreeMap<String, LicenseCounts.CampaignCounts>();
        for (int i = 0; i < flat.size(); i += 4) {
            long max = (Long) flat.get(i + 2);
            campaigns.put((String) flat.get(i), new LicenseCounts.CampaignCounts((Long) flat.get(i + 1),
                    max < 0 ? null : max, (Long) flat.get(i + 3)));
        }
        return campaigns;
    }

    /** The counts of every type at {@code asOf}. */
    public record Snapshot(Instant asOf, Map<String, LicenseCounts> byType) {
    }

    /** The newest {@code limit} entries of the tenant's billing ledger, oldest first. */
    public CompletionStage<List<BillingEvent>> events(String tenant, int limit) {
        return redis.commands().xrevrange(TenantKeys.of(tenant).billing(), Range.create("-", "+"),
                Limit.from(limit)).thenApply(newestFirst -> {
                    var events = new ArrayList<BillingEvent>(newestFirst.size());
                    for (StreamMessage<String, String> message : newestFirst) {
                        events.add(BillingEvent.fromStream(message.getId(), message.getBody()));
                    }
                    Collections.reverse(events);
                    return events;
                });
    }

    /**
     * Runs a step timed by Redis' clock; when the script says a monthly cycle after that time is already
     * billed ({@code STALE}), takes a fresh time and runs it again.
     */
    private CompletionStage<List<Object>> timed(int attempts, Function<Instant, CompletionStage<List<Object>>> step) {
        return clock.now().thenCompose(step).thenCompose(reply -> "STALE".equals(reply.get(0)) && attempts > 1
                ? timed(attempts - 1, step)
                : CompletableFuture.completedFuture(reply));
    }

    private static <T> Outcome<T> outcome(LuaScript script, List<Object> reply, Class<T> type) {
        return switch ((String) reply.get(0)) {
            case "CREATED" -> new Outcome.Created<>(Json.read((String) reply.get(1), type));
            case "REPLAYED" -> new Outcome.Replayed<>(Json.read((String) reply.get(1), type));
            case "KEY_REUSED" -> new Outcome.KeyReused<>();
            case "INVALID_COUNT" -> new Outcome.InvalidCount<>((Long) reply.get(1));
            case "SUSPENDED" -> new Outcome.AccountSuspended<>();
            case "STALE" -> throw new RedisUnavailableException("a billing cycle began while the request ran");
            // NO_TENANT: the caller found the tenant a moment ago, and tenants are never deleted.
            default -> throw new IllegalStateException("unexpected reply from " + script.name() + ".lua: " + reply);
        };
    }

    /** {@code ["p_x:5", "1764...", ...]} from ZRANGE WITHSCORES, soonest first. */
    private static <T> List<T> scheduled(List<?> membersAndScores, ScheduledFactory<T> factory) {
        var scheduled = new ArrayList<T>();
        for (int i = 0; i < membersAndScores.size(); i += 2) {
            String member = (String) membersAndScores.get(i);
            int colon = member.lastIndexOf(':');
            scheduled.add(factory.create(member.substring(0, colon), Integer.parseInt(member.substring(colon + 1)),
                    Instant.ofEpochMilli((long) Double.parseDouble((String) membersAndScores.get(i + 1)))));
        }
        return scheduled;
    }

    @FunctionalInterface
    private interface ScheduledFactory<T> {
        T create(String id, int count, Instant at);
    }

    private static String millis(Instant instant) {
        return Long.toString(instant.toEpochMilli());
    }

    private static String millis(Duration duration) {
        return Long.toString(duration.toMillis());
    }
}
