package dev.seatgate.agents;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;

/** The hashing queue's order, bound and retry times, on a clock the test moves (no threads, no sleeps). */
class HashingQueueTest {

    private static final long HASH = Duration.ofMillis(10).toNanos();
    private static final Duration MAX_WAIT = Duration.ofMillis(100);

    private long now;
    private final HashingQueue<String> queue = new HashingQueue<>(1, MAX_WAIT, HASH, () -> now);

    @Test
    void lanesTakeTurnsSoAFloodFromOneAddressDoesNotDelayAnother() {
        for (int i = 1; i <= 5; i++) {
            queue.offer("flood", "f" + i);
        }
        queue.offer("polite", "p1");
        queue.offer("polite", "p2");

        List<String> order = new ArrayList<>();
        String next;
        while ((next = queue.poll()) != null) {
            order.add(next);
        }

        assertThat(order).containsExactly("f1", "p1", "f2", "p2", "f3", "f4", "f5");
    }

    @Test
    void aLaneWithNothingWaitingGoesBeforeTheBacklogOfAnother() {
        for (int i = 1; i <= 5; i++) {
            queue.offer("flood", "f" + i);
        }
        assertThat(queue.poll()).isEqualTo("f1"); // being hashed when the polite client comes

        queue.offer("polite", "p1");

        assertThat(queue.poll()).isEqualTo("p1");
        assertThat(queue.poll()).isEqualTo("f2");
    }

    @Test
    void aLaneQueuesWhatStartsWithinTheBoundAndIsToldWhenToComeBack() {
        // One thread, 10 ms a hash, 100 ms at most: with the hash in progress counted, 10 checks fit.
        List<HashingQueue.Offer> offers = new ArrayList<>();
        for (int i = 1; i <= 13; i++) {
            offers.add(queue.offer("storm", "s" + i));
        }

        assertThat(offers.subList(0, 10)).allMatch(offer -> offer instanceof HashingQueue.Offer.Queued);
        // The 11th would start after 110 ms: refused, to come back once one check has drained (10 ms) plus its
        // share of the thread (10 ms), each later one a share later still; and since clients come back in whole
        // seconds, a share is stretched so that one second brings no more than the 100 ms bound holds (x10).
        assertThat(offers.subList(10, 13)).extracting(offer -> ((HashingQueue.Offer.Refused) offer).retryAfter())
                .containsExactly(Duration.ofMillis(110), Duration.ofMillis(210), Duration.ofMillis(310));
        assertThat(queue.queued()).isEqualTo(10);
    }

    @Test
    void anotherAddressIsQueuedWhileAFloodFillsItsOwnLane() {
        while (queue.offer("flood", "f") instanceof HashingQueue.Offer.Queued) {
            // fill the flood's lane to its bound
        }

        assertThat(queue.offer("polite", "p1")).isInstanceOf(HashingQueue.Offer.Queued.class);
        assertThat(queue.offer("flood", "f")).isInstanceOf(HashingQueue.Offer.Refused.class);
    }

    /**
     * A storm of 200 checks at once from one address, on a simulated thread that finishes a hash every 10 ms:
     * every check refused comes back when told (Retry-After: in whole seconds, rounded up) and is then queued at
     * its first retry, and no check waits longer than the bound.
     */
    @Test
    void aClientThatComesBackWhenToldIsQueued() {
        record Retry(long at, String check) {
        }
        var retries = new PriorityQueue<Retry>((a, b) -> Long.compare(a.at(), b.at()));
        var enqueuedAt = new java.util.HashMap<String, Long>();
        int refusedTwice = 0;
        for (int i = 0; i < 200; i++) {
            String check = "c" + i;
            if (queue.offer("storm", check) instanceof HashingQueue.Offer.Refused refused) {
                retries.add(new Retry(now + wholeSeconds(refused.retryAfter()), check));
            } else {
                enqueuedAt.put(check, now);
            }
        }
        long longestWait = 0;
        int done = 0;
        while (done < 200) {
            String running = queue.poll(); // the thread takes the next check now ...
            if (running != null) {
                longestWait = Math.max(longestWait, now - enqueuedAt.get(running));
            }
            long next = now + HASH;
            while (!retries.isEmpty() && retries.peek().at() <= next) { // ... clients come back meanwhile ...
                Retry retry = retries.poll();
                now = retry.at();
                if (queue.offer("storm", retry.check()) instanceof HashingQueue.Offer.Refused refused) {
                    refusedTwice++;
                    retries.add(new Retry(now + wholeSeconds(refused.retryAfter()), retry.check()));
                } else {
                    enqueuedAt.put(retry.check(), now);
                }
            }
            now = next;
            if (running != null) { // ... and it finishes
                queue.finished(HASH);
                done++;
            }
        }

        assertThat(refusedTwice).isZero();
        assertThat(Duration.ofNanos(longestWait)).isLessThanOrEqualTo(MAX_WAIT);
    }

    /** What a client waits when told {@code retryAfter}: the header's whole seconds, rounded up. */
    private static long wholeSeconds(Duration retryAfter) {
        return Duration.ofSeconds((retryAfter.toMillis() + 999) / 1000).toNanos();
    }

    @Test
    void theEstimateFollowsHowLongHashesTake() {
        for (int i = 0; i < 30; i++) {
            queue.finished(Duration.ofMillis(50).toNanos());
        }

        assertThat(queue.hashTime()).isBetween(Duration.ofMillis(49), Duration.ofMillis(50));
        // At 50 ms a hash, only one check starts within 100 ms behind the one in progress.
        assertThat(queue.offer("a", "1")).isInstanceOf(HashingQueue.Offer.Queued.class);
        assertThat(queue.offer("a", "2")).isInstanceOf(HashingQueue.Offer.Queued.class);
        assertThat(queue.offer("a", "3")).isInstanceOf(HashingQueue.Offer.Refused.class);
    }

    @Test
    void backgroundWorkWaitsUntilNoCheckDoesAndIsBounded() {
        assertThat(queue.offerBackground("upgrade")).isTrue();
        queue.offer("a", "login");

        assertThat(queue.poll()).isEqualTo("login");
        assertThat(queue.poll()).isEqualTo("upgrade");
        for (int i = 0; i < 100; i++) {
            assertThat(queue.offerBackground("u" + i)).isTrue();
        }
        assertThat(queue.offerBackground("one too many")).isFalse();
    }

    @Test
    void busyCountsTheWorkTakenAndNotFinishedYet() {
        queue.offer("a", "1");
        queue.offer("b", "2");
        queue.offerBackground("upgrade");
        assertThat(queue.busy()).isZero();

        queue.poll();
        queue.poll();
        assertThat(queue.busy()).as("two checks being hashed").isEqualTo(2);
        assertThat(queue.queued()).isZero();
        queue.finished(HASH);
        assertThat(queue.busy()).isEqualTo(1);
        queue.poll();
        assertThat(queue.busy()).as("background work occupies a thread too").isEqualTo(2);
        queue.finished(HASH);
        queue.finished(HASH);
        assertThat(queue.busy()).isZero();
        assertThat(queue.poll()).isNull();
        assertThat(queue.busy()).as("nothing taken, nothing busy").isZero();
    }

    @Test
    void closingHandsBackWhatWaitedAndRefusesTheRest() throws InterruptedException {
        queue.offer("a", "1");
        queue.offerBackground("u");

        assertThat(queue.close()).containsExactlyInAnyOrder("1", "u");
        assertThat(queue.offer("a", "2")).isInstanceOf(HashingQueue.Offer.Refused.class);
        assertThat(queue.take()).isNull();
    }
}
