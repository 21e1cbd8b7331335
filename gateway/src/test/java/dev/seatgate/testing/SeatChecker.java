package dev.seatgate.testing;

import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An observer of one tenant's seats that trusts nothing of the gateway: every few milliseconds it reads
 * Redis itself, in one read-only script (a consistent snapshot), and works out from the raw keys how many
 * seats of each type are active at that instant (activated purchases, plus pending ones now due, minus
 * removals now effective) and which leases are live.
 *
 * <p>A violation is a session that appears while the type holds more live sessions than active seats,
 * unless it took over a seat its own agent already held. That is exactly invariant 1 with the removal
 * rule: when a removal takes effect nobody is logged out, so live sessions may exceed the new count, but
 * no one may be admitted until they are below it again.
 */
public final class SeatChecker implements AutoCloseable {

    private static final String SNAPSHOT = """
            local t = redis.call('TIME')
            local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000) + tonumber(ARGV[1])
            local prefix = ARGV[2]
            local out = {}
            for i = 3, #ARGV do
              local type = ARGV[i]
              local active = tonumber(redis.call('GET', prefix .. 'seats:' .. type) or '0')
              for _, m in ipairs(redis.call('ZRANGEBYSCORE', prefix .. 'pending:' .. type, '-inf', now)) do
                active = active + tonumber(string.match(m, ':(%d+)$'))
              end
              for _, m in ipairs(redis.call('ZRANGEBYSCORE', prefix .. 'removals:' .. type, '-inf', now)) do
                active = active - tonumber(string.match(m, ':(%d+)$'))
              end
              local live = {}
              for _, id in ipairs(redis.call('ZRANGEBYSCORE', prefix .. 'leases:' .. type, '(' .. now, '+inf')) do
                live[#live + 1] = id
                live[#live + 1] = redis.call('HGET', prefix .. 'session:' .. id, 'agent') or ''
              end
              out[#out + 1] = active
              out[#out + 1] = live
            end
            return out
            """;

    /** One type at one instant: active seats, and the live sessions by id with their agents. */
    public record Snapshot(long active, Map<String, String> agentBySession) {
    }

    private final RedisCommands<String, String> redis;
    private final String[] args;
    private final List<String> types;
    private final Thread thread;
    private final List<String> violations = new ArrayList<>();
    private final AtomicLong samples = new AtomicLong();
    private final AtomicLong samplesOverActive = new AtomicLong();
    private volatile boolean stopped;

    /** Starts sampling at once, every {@code period}, on a thread of its own. */
    public SeatChecker(RedisServer redisServer, String tenant, Duration clockOffset, List<String> types,
                       Duration period) {
        this.redis = redisServer.sync();
        this.types = types;
        this.args = arguments(tenant, clockOffset, types);
        this.thread = new Thread(() -> run(period), "seat-checker");
        thread.setDaemon(true);
        thread.start();
    }

    private void run(Duration period) {
        Map<String, Snapshot> previous = Map.of();
        while (!stopped) {
            Map<String, Snapshot> current = snapshot();
            for (String type : types) {
                check(type, previous.get(type), current.get(type));
            }
            previous = current;
            samples.incrementAndGet();
            RedisServer.sleep(period.toMillis());
        }
    }

    private synchronized void check(String type, Snapshot before, Snapshot now) {
        if (now.agentBySession().size() <= now.active()) {
            return;
        }
        samplesOverActive.incrementAndGet();
        if (before == null) {
            violations.add(type + ": " + now.agentBySession().size() + " live > " + now.active() + " active at the start");
            return;
        }
        // A session that is new since the last sample was admitted somewhere between the two. While the count
        // stays the same that is judged exactly; in the one interval where a removal takes effect, the samples
        // cannot tell whether the admission came before it (allowed) or after, so it is judged against the
        // higher count. Admissions in every other interval after the removal are judged against the new one.
        if (now.agentBySession().size() <= Math.max(before.active(), now.active())) {
            return;
        }
        now.agentBySession().forEach((session, agent) -> {
            if (!before.agentBySession().containsKey(session) && !before.agentBySession().containsValue(agent)) {
                violations.add(type + ": session " + session + " of " + agent + " admitted while "
                        + now.agentBySession().size() + " live > " + now.active() + " active");
            }
        });
    }

    /** The seats of every type right now, read from Redis. */
    public Map<String, Snapshot> snapshot() {
        return snapshot(redis, args, types);
    }

    /** The seats of a tenant's types right now, read from {@code redisServer} once. */
    public static Map<String, Snapshot> snapshot(RedisServer redisServer, String tenant, Duration clockOffset,
                                                 List<String> types) {
        return snapshot(redisServer.sync(), arguments(tenant, clockOffset, types), types);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Snapshot> snapshot(RedisCommands<String, String> redis, String[] args, List<String> types) {
        List<Object> reply = redis.eval(SNAPSHOT, ScriptOutputType.MULTI, new String[0], args);
        var snapshots = new HashMap<String, Snapshot>();
        for (int i = 0; i < types.size(); i++) {
            List<Object> live = (List<Object>) reply.get(2 * i + 1);
            var agentBySession = new HashMap<String, String>();
            for (int j = 0; j < live.size(); j += 2) {
                agentBySession.put((String) live.get(j), (String) live.get(j + 1));
            }
            snapshots.put(types.get(i), new Snapshot((Long) reply.get(2 * i), agentBySession));
        }
        return snapshots;
    }

    private static String[] arguments(String tenant, Duration clockOffset, List<String> types) {
        var arguments = new ArrayList<>(List.of(Long.toString(clockOffset.toMillis()), "sg:{" + tenant + "}:"));
        arguments.addAll(types);
        return arguments.toArray(String[]::new);
    }

    public synchronized List<String> violations() {
        return List.copyOf(violations);
    }

    public long samples() {
        return samples.get();
    }

    /** Samples in which some type held more live sessions than active seats (legal after a removal). */
    public long samplesOverActive() {
        return samplesOverActive.get();
    }

    @Override
    public void close() {
        stopped = true;
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
