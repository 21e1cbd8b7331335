package dev.seatgate.testing;

import dev.seatgate.testing.ApiClient.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * Agents logging in again and again (each new login takes over the agent's seat) from several threads,
 * each thread with agents of its own so that every agent's logins are sequential. Remembers, per agent,
 * the session of its last admitted login: the sessions the clients believe they hold.
 */
public final class LoginStorm implements AutoCloseable {

    /** One answer: when it was asked for (nanoTime), how long it took, and the status. */
    public record Answer(long startedAt, Duration took, int status) {
    }

    private final Map<String, String> sessionByAgent = new ConcurrentHashMap<>();
    private final List<Answer> answers = new CopyOnWriteArrayList<>();
    private final AtomicInteger admitted = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    /** Starts {@code threads} threads over {@code agents}, alternating between the given gateways. */
    public LoginStorm(List<ApiClient> gateways, String tenant, List<String> agents, int threadCount) {
        for (int t = 0; t < threadCount; t++) {
            int thread = t;
            List<String> own = IntStream.range(0, agents.size()).filter(i -> i % threadCount == thread)
                    .mapToObj(agents::get).toList();
            var worker = new Thread(() -> {
                int round = 0;
                while (running) {
                    String agent = own.get(round % own.size());
                    ApiClient gateway = gateways.get(round++ % gateways.size());
                    long started = System.nanoTime();
                    Reply reply = gateway.login(tenant, agent, Fixtures.password(agent), "outbound");
                    answers.add(new Answer(started, Duration.ofNanos(System.nanoTime() - started), reply.status()));
                    if (reply.status() == 200) {
                        sessionByAgent.put(agent, reply.json().get("sessionId").asText());
                        admitted.incrementAndGet();
                    }
                }
            }, "login-storm-" + t);
            worker.setDaemon(true);
            worker.start();
            threads.add(worker);
        }
    }

    /** The sessions of every agent's last admitted login. */
    public Set<String> believedSessions() {
        return Set.copyOf(sessionByAgent.values());
    }

    /** Answers to logins sent at or after {@code since} (nanoTime). */
    public List<Answer> answersSince(long since) {
        return answers.stream().filter(answer -> answer.startedAt() >= since).toList();
    }

    public int admitted() {
        return admitted.get();
    }

    /** Status → count, for the test's report. */
    public Map<Integer, Long> statuses() {
        return answers.stream().collect(Collectors.groupingBy(Answer::status, Collectors.counting()));
    }

    /** Stops sending and waits for every login in flight to be answered. */
    @Override
    public void close() {
        running = false;
        for (Thread thread : threads) {
            try {
                thread.join(30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
