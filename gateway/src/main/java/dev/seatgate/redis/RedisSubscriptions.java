package dev.seatgate.redis;

import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The gateway's pub/sub subscriptions (credential invalidations, live sessions' ends, the waiting line's notices),
 * each on a connection of its own, opened and retried until it is up, and every one of them closed with the
 * connector. Lettuce subscribes again after a reconnect; messages published while a connection is down are lost, so
 * no user of this depends on every message arriving.
 */
final class RedisSubscriptions {

    private final Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> opener;
    private final ClientResources resources;
    private final Duration retry;
    private final List<StatefulRedisPubSubConnection<String, String>> open = new CopyOnWriteArrayList<>();
    private volatile boolean closed;

    RedisSubscriptions(Supplier<CompletableFuture<? extends StatefulRedisPubSubConnection<String, String>>> opener,
                       ClientResources resources, Duration retry) {
        this.opener = opener;
        this.resources = resources;
        this.retry = retry;
    }

    /** Delivers every message published on {@code channel} to {@code onMessage}, on a Lettuce thread (keep it short). */
    void subscribe(String channel, Consumer<String> onMessage) {
        opener.get().whenComplete((established, failure) -> {
            if (failure != null) {
                if (!closed) {
                    resources.eventExecutorGroup().schedule(() -> subscribe(channel, onMessage), retry.toMillis(),
                            TimeUnit.MILLISECONDS);
                }
                return;
            }
            open.add(established);
            if (closed) { // closed while it opened: close() may not have seen it
                established.closeAsync();
                return;
            }
            established.addListener(new RedisPubSubAdapter<>() {
                @Override
                public void message(String from, String message) {
                    if (channel.equals(from)) {
                        onMessage.accept(message);
                    }
                }
            });
            established.async().subscribe(channel);
        });
    }

    void close() {
        closed = true;
        open.forEach(StatefulRedisPubSubConnection::close);
    }
}
