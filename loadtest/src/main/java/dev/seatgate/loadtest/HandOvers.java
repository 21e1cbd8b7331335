package dev.seatgate.loadtest;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the shift change's waiters and logouts saw, turned into its checks and figures: how many were admitted, in
 * which order ({@link AdmissionOrder}), how long after the logout that freed the seat (hand-over), and how long each
 * waited in line.
 *
 * <p>Hand-overs are paired by order, not by session: the line is first come, first served, so the k-th seat freed
 * goes to position k, and the k-th logout answered freed the k-th seat (the logouts are far enough apart for their
 * answers to come back in the order Redis ran them). If the order broke, the pairs are wrong, and the order check
 * fails the run anyway.
 */
final class HandOvers {

    private HandOvers() {
    }

    /**
     * Adds the figures to {@code checks} and records the spans in {@code stats}; true when every waiter was admitted
     * and in the order of its position.
     *
     * @param logoutsAnswered System.nanoTime of each logout's 204, ascending
     * @param promised the hand-over time the API promises: those slower are counted (not failed: measured here,
     *     they include the load generator's own delays)
     */
    static boolean measure(Map<String, Object> checks, List<LineWaiter> waiters, List<Long> logoutsAnswered,
                           Duration promised, Stats stats) {
        var admissions = new ArrayList<AdmissionOrder.Admission>();
        var byPosition = new HashMap<Long, LineWaiter>();
        var inLine = new ArrayList<Long>();
        long gone = 0;
        for (LineWaiter waiter : waiters) {
            byPosition.put(waiter.position(), waiter);
            if (waiter.admitted()) {
                admissions.add(new AdmissionOrder.Admission(waiter.position(), waiter.handedOverAt()));
                inLine.add(waiter.admittedNanos() - waiter.joinedNanos());
            } else if (waiter.goneWith() != null) {
                gone++;
                if (gone == 1) {
                    System.err.println("a waiter left the line without a seat: " + Target.agentId(waiter.agent())
                            + " at position " + waiter.position() + ": " + waiter.goneWith());
                }
            }
        }
        AdmissionOrder.Verdict order = AdmissionOrder.check(admissions);
        order.firstOutOfOrder().ifPresent(first -> System.err.println("admitted out of order: " + first));

        var handOvers = new ArrayList<Long>();
        for (int k = 1; k <= logoutsAnswered.size(); k++) {
            LineWaiter next = byPosition.get((long) k);
            if (next != null && next.admitted()) {
                long freed = logoutsAnswered.get(k - 1);
                handOvers.add(next.admittedNanos() - freed);
                stats.span("hand-over", freed, next.admittedNanos());
            }
        }
        checks.put("admitted", admissions.size());
        checks.put("notAdmitted", waiters.size() - admissions.size());
        checks.put("leftLineWithoutSeat", gone);
        checks.put("admittedInOrder", order.held());
        checks.put("admittedOutOfOrder", order.outOfOrder());
        checks.put("handOvers", handOvers.size());
        checks.putAll(Percentiles.of("handOver", handOvers, 50, 95, 99));
        checks.put("handOversSlowerThan" + promised.toSeconds() + "s",
                handOvers.stream().filter(nanos -> nanos > promised.toNanos()).count());
        checks.putAll(Percentiles.of("timeInLine", inLine, 50, 99));
        return admissions.size() == waiters.size() && order.held();
    }
}
