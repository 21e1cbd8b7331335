package dev.seatgate.loadtest;

import java.time.Instant;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * The shift-change scenario's two order checks, kept apart from the network so that a test can feed them a wrong
 * order: the line's positions as the 202 answers gave them, and the order the waiters were admitted in.
 *
 * <p>Admissions are ordered by Redis' clock, not by when their answers reached the load generator: a hand-over's
 * session lease starts at the hand-over (API.md "The waiting line"), so {@code leaseExpiresAt - leaseTtlSeconds}
 * of the 200 answer is the moment Redis handed the seat over. The load generator's arrival order would also
 * reflect which long poll happened to be between two requests. Two hand-overs in the same millisecond of Redis'
 * clock cannot be told apart (one script can hand over several seats at once); they are taken as in order.
 */
final class AdmissionOrder {

    /** One waiter's admission: the position its 202 gave, and when Redis handed it the seat. */
    record Admission(long position, Instant handedOverAt) {
    }

    /**
     * How the admissions compare with the order of arrival.
     *
     * @param outOfOrder admissions of a waiter that arrived before one admitted earlier (0 when order held)
     * @param firstOutOfOrder the first such pair, in words
     */
    record Verdict(int outOfOrder, Optional<String> firstOutOfOrder) {

        boolean held() {
            return outOfOrder == 0;
        }
    }

    private AdmissionOrder() {
    }

    /**
     * True when the positions given to {@code waiters} tickets are exactly 1..waiters, each once: the line only grew
     * while they joined, so anything else means two tickets were given one place, or a place was skipped.
     */
    static boolean positionsAreOneToN(Collection<Long> positions, int waiters) {
        var distinct = new TreeSet<>(positions);
        return positions.size() == waiters && distinct.size() == waiters
                && (waiters == 0 || distinct.first() == 1 && distinct.last() == waiters);
    }

    /**
     * Orders the admissions by hand-over time and counts those that came after the admission of a waiter who
     * arrived later: with first come, first served there are none. Waiters never admitted are not in the list (the
     * scenario counts them apart); those admitted must still be in the order they arrived.
     */
    static Verdict check(List<Admission> admissions) {
        var byHandOver = admissions.stream()
                .sorted(Comparator.comparing(Admission::handedOverAt).thenComparingLong(Admission::position))
                .toList();
        int outOfOrder = 0;
        String first = null;
        Admission latestArrival = null; // of those admitted so far, the one that arrived last
        for (Admission admission : byHandOver) {
            if (latestArrival != null && admission.position() < latestArrival.position()) {
                outOfOrder++;
                if (first == null) {
                    first = "position " + admission.position() + " was admitted at " + admission.handedOverAt()
                            + ", after position " + latestArrival.position() + " at " + latestArrival.handedOverAt();
                }
            } else {
                latestArrival = admission;
            }
        }
        return new Verdict(outOfOrder, Optional.ofNullable(first));
    }
}
