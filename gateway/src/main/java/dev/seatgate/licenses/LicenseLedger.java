package dev.seatgate.licenses;

import dev.seatgate.Crypto;
import dev.seatgate.Json;
import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.RedisClock;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import dev.seatgate.tenants.Tenant;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.stream.Stream;

/**
 * Purchases of seats and the seat counts of a tenant. A purchase is charged at once, prorated in the
 * tenant's zone, and its seats join the active count at {@code activatesAt}: the first script to run from
 * then on moves them (see {@code activate_due} in {@code lib.lua}), on whichever gateway.
 *
 * <p>Purchases are idempotent: the request's {@code Idempotency-Key} and its fingerprint (type and count)
 * are stored with the purchase in the same script that schedules it, so a retry gets the very same purchase
 * and a retry with another body is refused. The record is kept for {@link #IDEMPOTENCY_RETENTION}.
 */
public final class LicenseLedger {

    /** How long a purchase's Idempotency-Key is remembered; retries come within minutes, not days. */
    public static final Duration IDEMPOTENCY_RETENTION = Duration.ofDays(7);

    private static final LuaScript PURCHASE = LuaScript.load("purchase");
    private static final LuaScript LICENSES = LuaScript.load("licenses");

    /** The scripts this ledger runs. */
    public static final List<LuaScript> SCRIPTS = List.of(PURCHASE, LICENSES);

    private final ScriptRunner scripts;
    private final RedisClock clock;
    private final LicenseCatalog catalog;
    private final Duration activationDelay;

    public LicenseLedger(ScriptRunner scripts, RedisClock clock, LicenseCatalog catalog, Duration activationDelay) {
        this.scripts = scripts;
        this.clock = clock;
        this.catalog = catalog;
        this.activationDelay = activationDelay;
    }

    /** What a purchase request came to. */
    public sealed interface PurchaseOutcome {
        /** A new purchase, charged now. */
        record Created(Purchase purchase) implements PurchaseOutcome {
        }

        /** The same key and body as an earlier request: that purchase, charged only once. */
        record Replayed(Purchase purchase) implements PurchaseOutcome {
        }

        /** The key was used before for a different request. */
        record KeyReused() implements PurchaseOutcome {
        }
    }

    public CompletionStage<PurchaseOutcome> purchase(Tenant tenant, LicenseType type, int count, String idempotencyKey) {
        TenantKeys keys = TenantKeys.of(tenant.id());
        return clock.now().thenCompose(now -> {
            Instant activatesAt = now.plus(activationDelay);
            var purchase = new Purchase("p_" + Crypto.randomId(12), tenant.id(), type.name(), count, now, activatesAt,
                    Proration.charge(type, count, now, tenant.timeZone()));
            return scripts.run(PURCHASE,
                    new String[] {keys.tenant(), keys.purchaseIdempotency(Crypto.sha256Hex(idempotencyKey)),
                            keys.pending(type.name())},
                    type.name() + ":" + count, Json.write(purchase), purchase.purchaseId() + ":" + count,
                    Long.toString(activatesAt.toEpochMilli()), Long.toString(IDEMPOTENCY_RETENTION.toMillis()));
        }).thenApply(reply -> switch ((String) reply.get(0)) {
            case "CREATED" -> new PurchaseOutcome.Created(Json.read((String) reply.get(1), Purchase.class));
            case "REPLAYED" -> new PurchaseOutcome.Replayed(Json.read((String) reply.get(1), Purchase.class));
            case "KEY_REUSED" -> new PurchaseOutcome.KeyReused();
            // The caller found the tenant a moment ago and tenants are never deleted.
            default -> throw new IllegalStateException("unexpected reply from purchase.lua: " + reply);
        });
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
                long active = (Long) fields.get(1);
                long inUse = (Long) fields.get(2);
                byType.put((String) fields.get(0), new LicenseCounts(active, inUse, Math.max(0, active - inUse),
                        pending((List<?>) fields.get(3)), List.of()));
            }
            return Optional.of(new Snapshot(Instant.ofEpochMilli((Long) reply.get(1)), byType));
        });
    }

    /** The counts of every type at {@code asOf}. */
    public record Snapshot(Instant asOf, Map<String, LicenseCounts> byType) {
    }

    /** {@code ["p_x:5", "1764...", ...]} from ZRANGE WITHSCORES, soonest first. */
    private static List<LicenseCounts.Pending> pending(List<?> membersAndScores) {
        var pending = new ArrayList<LicenseCounts.Pending>();
        for (int i = 0; i < membersAndScores.size(); i += 2) {
            String member = (String) membersAndScores.get(i);
            int colon = member.lastIndexOf(':');
            pending.add(new LicenseCounts.Pending(member.substring(0, colon),
                    Integer.parseInt(member.substring(colon + 1)),
                    Instant.ofEpochMilli((long) Double.parseDouble((String) membersAndScores.get(i + 1)))));
        }
        return pending;
    }
}
