package dev.seatgate.loadtest;

import dev.seatgate.loadtest.HttpLoadClient.Response;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * A seat the load test holds over HTTP: its session heartbeats on its gateway at the interval the login answer gave,
 * until it logs out. A seat whose lease ran out would be freed without a logout and handed to the line out of turn,
 * so every heartbeat not answered 200 is counted as a seat lost.
 */
final class HeldSeat {

    private final Target gateway;
    private final String token;
    private final ScheduledFuture<?> heartbeats;

    /** Starts heartbeating the session of {@code loginAnswer} (a 200 login body) on {@code gateway}. */
    HeldSeat(Target gateway, String loginAnswer, ScheduledExecutorService timer, Stats stats, LongAdder lost) {
        this.gateway = gateway;
        this.token = Target.sessionToken(loginAnswer);
        long every = Target.parse(loginAnswer).path("heartbeatIntervalSeconds").asLong(10);
        this.heartbeats = timer.scheduleAtFixedRate(() -> {
            long sent = System.nanoTime();
            gateway.heartbeat(token).whenComplete((response, failure) -> {
                if (failure != null) {
                    stats.failure("heartbeat"); // the next one may get through within the lease TTL
                    return;
                }
                stats.record("heartbeat", sent, response.status());
                if (response.status() != 200) {
                    lost.increment();
                }
            });
        }, every, every, TimeUnit.SECONDS);
    }

    /** Stops the heartbeats and logs out (204, also when the session is already gone). */
    CompletableFuture<Response> logOut() {
        heartbeats.cancel(false);
        return gateway.logout(token);
    }
}
