package dev.seatgate.licenses;

import dev.seatgate.redis.LuaScript;
import dev.seatgate.redis.RedisClock;
import dev.seatgate.redis.RedisConnector;
import dev.seatgate.redis.RedisUnavailableException;
import dev.seatgate.redis.ScriptRunner;
import dev.seatgate.redis.TenantKeys;
import dev.seatgate.tenants.Tenant;
import dev.seatgate.tenants.TenantDirectory;
import io.lettuce.core.Limit;
import io.lettuce.core.Range;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ZAddArgs;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bills the monthly cycle of every tenant on the 1st, 00:00 in its zone, even for a tenant without any
 * traffic that day.
 *
 * <p>Each tenant keeps its unbilled cycles in {@code sg:{t}:cycles}; {@code cycle.lua} bills those that
 * have started and removes them in the same step, so the cycle event is written once however many gateways
 * try, and a gateway that dies half-way leaves either nothing or everything done. Every gateway runs this
 * job every {@link #CHECK_PERIOD}; it finds the tenants due through the index {@code sg:cycles-due}
 * (tenant by next cycle start), which is only a shortcut: a stale or lost entry costs a late cycle until
 * the index is repaired at the next gateway start, never a cycle billed twice.
 *
 * <p>The gateway computes the cycle starts (time zones are Java's business) and hands the next few to the
 * script, which registers them unless they are billed already.
 */
public final class BillingCycles {

    /** How often every gateway looks for tenants whose cycle has started: bills land this soon after 00:00. */
    public static final Duration CHECK_PERIOD = Duration.ofSeconds(5);
    /** Cycle starts handed to the script each time: the current month's and the next ones. */
    private static final int STARTS_REGISTERED = 4;
    /** Tenants billed concurrently by one gateway; the rest wait for the next batch. */
    private static final int BATCH = 256;

    private static final Logger log = LoggerFactory.getLogger(BillingCycles.class);
    private static final LuaScript CYCLE = LuaScript.load("cycle");

    private final RedisConnector redis;
    private final ScriptRunner scripts;
    private final RedisClock clock;
    private final TenantDirectory tenants;
    private final LicenseCatalog catalog;
    private final AtomicBoolean running = new AtomicBoolean();

    public BillingCycles(RedisConnector redis, ScriptRunner scripts, RedisClock clock, TenantDirectory tenants,
                         LicenseCatalog catalog) {
        this.redis = redis;
        this.scripts = scripts;
        this.clock = clock;
        this.tenants = tenants;
        this.catalog = catalog;
    }

    /** Runs the job every {@link #CHECK_PERIOD}, after putting every known tenant in the index once. */
    public void start(ScheduledExecutorService scheduler) {
        scheduler.schedule(() -> guarded(this::indexAllTenants), 0, TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> guarded(this::billDue), CHECK_PERIOD.toMillis(),
                CHECK_PERIOD.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Registers a tenant's upcoming cycles in its zone (after it was created, or its zone changed) and bills
     * any that has started.
     */
    public CompletionStage<Void> register(Tenant tenant) {
        TenantKeys keys = TenantKeys.of(tenant.id());
        List<String> args = new ArrayList<>(List.of(keys.prefix()));
        // From a day back: the current month's start is re-registered (moved after a zone change) if unbilled.
        List<BillingCalendar.CycleStart> starts = BillingCalendar.upcoming(
                Instant.ofEpochMilli(clock.estimateMillis()).minus(Duration.ofDays(1)), tenant.timeZone(),
                STARTS_REGISTERED);
        args.add(Integer.toString(starts.size()));
        for (BillingCalendar.CycleStart start : starts) {
            args.add(start.label());
            args.add(Long.toString(start.startsAt().toEpochMilli()));
        }
        args.addAll(catalog.scriptArgs());
        return scripts.run(CYCLE, new String[] {keys.cycles()}, args.toArray(String[]::new))
                .thenCompose(reply -> {
                    long nextStart = (Long) reply.get(1);
                    return nextStart < 0
                            ? redis.commands().zrem(TenantKeys.CYCLES_DUE, tenant.id())
                            : redis.commands().zadd(TenantKeys.CYCLES_DUE, nextStart, tenant.id());
                })
                .thenApply(done -> null);
    }

    /** Bills every tenant whose next cycle has started, a batch at a time, until none is due. */
    CompletionStage<Void> billDue() {
        Range<Double> due = Range.create(Double.NEGATIVE_INFINITY, (double) clock.estimateMillis());
        return redis.commands().zrangebyscore(TenantKeys.CYCLES_DUE, due, Limit.create(0, BATCH))
                .thenCompose(ids -> CompletableFuture.allOf(ids.stream()
                                .map(id -> bill(id).toCompletableFuture())
                                .toArray(CompletableFuture[]::new))
                        .thenCompose(done -> ids.size() == BATCH ? billDue() : CompletableFuture.completedFuture(null)));
    }

    private CompletionStage<Void> bill(String tenantId) {
        return tenants.find(tenantId).thenCompose(tenant -> tenant.isPresent()
                ? register(tenant.get())
                : redis.commands().zrem(TenantKeys.CYCLES_DUE, tenantId).thenApply(removed -> (Void) null));
    }

    /** Puts every tenant into the index (without moving those already there), so none is forgotten. */
    CompletionStage<Void> indexAllTenants() {
        return indexFrom(ScanCursor.INITIAL);
    }

    private CompletionStage<Void> indexFrom(ScanCursor cursor) {
        return redis.commands().sscan(TenantKeys.TENANTS, cursor, ScanArgs.Builder.limit(500)).thenCompose(page -> {
            Object[] scoresAndIds = page.getValues().stream().flatMap(id -> Stream.of(0.0, id)).toArray();
            CompletionStage<Long> added = scoresAndIds.length == 0
                    ? CompletableFuture.completedFuture(0L)
                    : redis.commands().zadd(TenantKeys.CYCLES_DUE, ZAddArgs.Builder.nx(), scoresAndIds);
            return added.thenCompose(n -> page.isFinished()
                    ? CompletableFuture.completedFuture(null) : indexFrom(page));
        });
    }

    /** One run at a time per gateway; a failure is logged and the next run tries again. */
    private void guarded(Supplier<CompletionStage<Void>> work) {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            work.get().whenComplete((done, failure) -> {
                running.set(false);
                if (failure != null) {
                    logFailure(failure);
                }
            });
        } catch (RuntimeException e) {
            running.set(false);
            logFailure(e);
        }
    }

    /** Redis being away is reported by the connector already; anything else is worth a warning. */
    private static void logFailure(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof RedisUnavailableException
                || cause instanceof RedisException && !(cause instanceof RedisCommandExecutionException)) {
            log.debug("billing cycles postponed: {}", cause.toString());
        } else {
            log.warn("billing cycles failed; retrying in {}", CHECK_PERIOD, cause);
        }
    }
}
