package dev.seatgate.standing;

import dev.seatgate.redis.RedisClock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every gateway's look, once a tick, at the tenants whose suspendAt has come (or comes within the tick), so that a
 * suspension ends their sessions and pushes {@code ended} to their sockets within about a second of suspendAt even
 * when nobody logs in. Redis judges the time in {@code get_standing.lua}, which applies the suspension exactly once
 * however many gateways look; this class only picks whom to ask, by the local estimate of Redis' clock, a tick ahead
 * so that an estimate a little behind costs no tick. A tenant with no suspension pending any more leaves the index.
 */
public final class StandingTick {

    private static final Logger log = LoggerFactory.getLogger(StandingTick.class);

    /** How often each gateway looks: API.md wants the sessions ended "at once"; a second is what a tick can do. */
    static final long TICK_MILLIS = 1000;

    private final AccountStanding standing;
    private final RedisClock clock;

    public StandingTick(AccountStanding standing, RedisClock clock) {
        this.standing = standing;
        this.clock = clock;
    }

    /** Starts the tick on the gateway's housekeeping thread. */
    public void start(ScheduledExecutorService timer) {
        timer.scheduleWithFixedDelay(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
    }

    void tick() {
        try {
            standing.indexedUpTo(clock.estimateMillis() + TICK_MILLIS).whenComplete((due, failure) -> {
                if (failure != null) {
                    return; // Redis is away: the next tick looks again
                }
                due.forEach(this::look);
            });
        } catch (RuntimeException notConnected) {
            // not connected: the next tick tries again
        }
    }

    private void look(AccountStanding.Indexed entry) {
        standing.get(entry.tenant()).whenComplete((found, failure) -> {
            if (failure != null) {
                log.debug("looking at the standing of {} failed: {}", entry.tenant(), failure.toString());
            } else if (found.isEmpty() || found.get().suspendAt() == null) {
                standing.forget(entry); // suspended now, or not past due any more, or no such tenant
            }
        });
    }
}
