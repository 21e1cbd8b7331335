package dev.seatgate.metrics;

import static dev.seatgate.metrics.MetricNames.CAMPAIGN;
import static dev.seatgate.metrics.MetricNames.LICENSE_TYPE;
import static dev.seatgate.metrics.MetricNames.STATE;
import static dev.seatgate.metrics.MetricNames.TENANT;

import dev.seatgate.licenses.LicenseCatalog;
import dev.seatgate.licenses.LicenseCounts;
import dev.seatgate.licenses.LicenseLedger;
import dev.seatgate.redis.RedisConnector;
import dev.seatgate.redis.TenantKeys;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Seat gauges read from Redis, the only place that knows them, in the background every refresh period
 * (never on the login path): per license type and state (active, in_use, pending, scheduled_removal), the
 * exact totals over all tenants ({@code seatgate_seats}), and per tenant ({@code seatgate_tenant_seats})
 * only for tenants owning at least a minimum of seats or listed by name, so 50,000 small tenants do not
 * become 400,000 series.
 *
 * <p>Every gateway exports the same cluster-wide values. Dashboards and alerts therefore take
 * {@code max without (instance)} across gateways, never a sum; the counters, which are per gateway, are
 * summed.
 */
public final class SeatGauges {

    private static final Logger log = LoggerFactory.getLogger(SeatGauges.class);
    /** The states a seat is counted in. */
    public static final List<String> STATES = List.of("active", "in_use", "pending", "scheduled_removal");
    /** Tenants read concurrently during a refresh. */
    private static final int CONCURRENCY = 64;

    private final RedisConnector redis;
    private final LicenseLedger ledger;
    private final LicenseCatalog catalog;
    private final long tenantMinSeats;
    private final Set<String> listedTenants;
    private final MultiGauge totals;
    private final MultiGauge perTenant;
    private final MultiGauge perCampaign;
    private final MultiGauge waiting;
    private final AtomicLong tenantsRead = new AtomicLong();
    private final AtomicLong refreshedAt = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();

    public SeatGauges(GatewayMetrics metrics, RedisConnector redis, LicenseLedger ledger, LicenseCatalog catalog,
                      long tenantMinSeats, Set<String> listedTenants) {
        this.redis = redis;
        this.ledger = ledger;
        this.catalog = catalog;
        this.tenantMinSeats = tenantMinSeats;
        this.listedTenants = Set.copyOf(listedTenants);
        this.totals = MultiGauge.builder(MetricNames.SEATS)
                .description("Seats of all tenants, by license type and state (same on every gateway)")
                .register(metrics.registry());
        this.perTenant = MultiGauge.builder(MetricNames.TENANT_SEATS)
                .description("Seats of large or listed tenants, by license type and state (same on every gateway)")
                .register(metrics.registry());
        Gauge.builder(MetricNames.SEATS_TENANTS, tenantsRead, AtomicLong::get)
                .description("Tenants read at the last refresh").register(metrics.registry());
        Gauge.builder(MetricNames.SEATS_REFRESHED, refreshedAt, AtomicLong::get).baseUnit("seconds")
                .description("When the seat gauges were last read from Redis, epoch seconds")
                .register(metrics.registry());
        this.perCampaign = MultiGauge.builder(MetricNames.TENANT_CAMPAIGN_SEATS)
                .description("Campaigns of large or listed tenants: sessions, cap and reservation per type (same on"
                        + " every gateway)")
                .register(metrics.registry());
        this.waiting = MultiGauge.builder(MetricNames.QUEUE_WAITING)
                .description("Tickets waiting in line, all tenants, by license type (same on every gateway)")
                .register(metrics.registry());
        totals.register(totalRows(Map.of()), true);
        waiting.register(waitingRows(Map.of()), true);
    }

    /** Reads the gauges now and then every {@code period}. */
    public void start(ScheduledExecutorService scheduler, Duration period) {
        scheduler.scheduleWithFixedDelay(this::refreshGuarded, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void refreshGuarded() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        try {
            refresh().whenComplete((done, failure) -> {
                running.set(false);
                if (failure != null) {
                    log.debug("seat gauges not refreshed: {}", failure.toString());
                }
            });
        } catch (RuntimeException e) {
            running.set(false);
            log.debug("seat gauges not refreshed: {}", e.toString());
        }
    }

    /** Reads every tenant's seats and replaces the gauges' values. */
    public CompletionStage<Void> refresh() {
        var sums = new ConcurrentHashMap<String, Long>();
        var tenantRows = new ConcurrentHashMap<String, Map<String, LicenseCounts>>();
        var count = new AtomicLong();
        // SSCAN may return a tenant twice (when the set is resized during the scan): each is counted once.
        Set<String> seen = ConcurrentHashMap.newKeySet();
        return scan(ScanCursor.INITIAL, tenant -> !seen.add(tenant) ? CompletableFuture.completedFuture(null)
                : ledger.counts(tenant).thenAccept(snapshot -> snapshot.ifPresent(s -> {
            count.incrementAndGet();
            long owned = 0;
            for (var entry : s.byType().entrySet()) {
                for (String state : STATES) {
                    sums.merge(entry.getKey() + "/" + state, value(entry.getValue(), state), Long::sum);
                }
                sums.merge(entry.getKey() + "/waiting", entry.getValue().waiting(), Long::sum);
                owned += entry.getValue().active() + value(entry.getValue(), "pending");
            }
            if (owned >= tenantMinSeats || listedTenants.contains(tenant)) {
                tenantRows.put(tenant, s.byType());
            }
        }))).thenRun(() -> {
            totals.register(totalRows(sums), true);
            waiting.register(waitingRows(sums), true);
            var rows = new ArrayList<MultiGauge.Row<?>>();
            tenantRows.forEach((tenant, byType) -> byType.forEach((type, counts) -> STATES.forEach(state ->
                    rows.add(MultiGauge.Row.of(Tags.of(TENANT, tenant, LICENSE_TYPE, type, STATE, state),
                            value(counts, state))))));
            perTenant.register(rows, true);
            perCampaign.register(campaignRows(tenantRows), true);
            tenantsRead.set(count.get());
            refreshedAt.set(Instant.now().getEpochSecond());
        });
    }

    /** Every type and state, also at zero, so dashboards and alerts find the series from the start. */
    private List<MultiGauge.Row<?>> totalRows(Map<String, Long> sums) {
        var rows = new ArrayList<MultiGauge.Row<?>>();
        for (String type : catalog.names()) {
            for (String state : STATES) {
                rows.add(MultiGauge.Row.of(Tags.of(LICENSE_TYPE, type, STATE, state),
                        sums.getOrDefault(type + "/" + state, 0L)));
            }
        }
        return rows;
    }

    /** Per tenant, campaign and type: in_use, reserved, and max when the campaign has a cap. */
    private static List<MultiGauge.Row<?>> campaignRows(Map<String, Map<String, LicenseCounts>> tenantRows) {
        var rows = new ArrayList<MultiGauge.Row<?>>();
        tenantRows.forEach((tenant, byType) -> byType.forEach((type, counts) -> counts.campaigns()
                .forEach((campaign, seats) -> {
                    Tags tags = Tags.of(TENANT, tenant, CAMPAIGN, campaign, LICENSE_TYPE, type);
                    rows.add(MultiGauge.Row.of(tags.and(STATE, "in_use"), seats.inUse()));
                    rows.add(MultiGauge.Row.of(tags.and(STATE, "reserved"), seats.reserved()));
                    if (seats.max() != null) {
                        rows.add(MultiGauge.Row.of(tags.and(STATE, "max"), seats.max()));
                    }
                })));
        return rows;
    }

    private List<MultiGauge.Row<?>> waitingRows(Map<String, Long> sums) {
        return catalog.names().stream().<MultiGauge.Row<?>>map(type -> MultiGauge.Row.of(Tags.of(LICENSE_TYPE, type),
                sums.getOrDefault(type + "/waiting", 0L))).toList();
    }

    private static long value(LicenseCounts counts, String state) {
        return switch (state) {
            case "active" -> counts.active();
            case "in_use" -> counts.inUse();
            case "pending" -> counts.pending().stream().mapToLong(LicenseCounts.Pending::count).sum();
            case "scheduled_removal" -> counts.scheduledRemovals().stream()
                    .mapToLong(LicenseCounts.ScheduledRemoval::count).sum();
            default -> throw new IllegalArgumentException(state);
        };
    }

    /** Visits every tenant id, a page at a time, at most {@link #CONCURRENCY} page entries in flight. */
    private CompletionStage<Void> scan(ScanCursor cursor,
                                       Function<String, CompletionStage<Void>> visit) {
        return redis.commands().sscan(TenantKeys.TENANTS, cursor, ScanArgs.Builder.limit(CONCURRENCY))
                .thenCompose(page -> CompletableFuture.allOf(page.getValues().stream()
                                .map(tenant -> visit.apply(tenant).toCompletableFuture())
                                .toArray(CompletableFuture[]::new))
                        .thenCompose(done -> page.isFinished()
                                ? CompletableFuture.<Void>completedFuture(null) : scan(page, visit)));
    }
}
