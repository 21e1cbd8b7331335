package dev.seatgate.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seatgate.loadtest.AdmissionOrder.Admission;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shift change's order checks, fed orders that keep and break first come, first served. */
class AdmissionOrderTest {

    private static final Instant T = Instant.parse("2026-11-29T08:00:00Z");

    private static Admission admitted(long position, long millisAfterT) {
        return new Admission(position, T.plusMillis(millisAfterT));
    }

    @Test
    void admissionsInTheOrderOfArrivalHold() {
        var verdict = AdmissionOrder.check(List.of(admitted(3, 300), admitted(1, 100), admitted(2, 200)));

        assertThat(verdict.held()).isTrue();
        assertThat(verdict.outOfOrder()).isZero();
        assertThat(verdict.firstOutOfOrder()).isEmpty();
    }

    /** The rule broken: the seat freed second went to position 3, the third to position 2. */
    @Test
    void aLaterArrivalAdmittedFirstIsCaughtAndNamed() {
        var verdict = AdmissionOrder.check(List.of(admitted(1, 100), admitted(3, 200), admitted(2, 300),
                admitted(4, 400)));

        assertThat(verdict.held()).isFalse();
        assertThat(verdict.outOfOrder()).isEqualTo(1);
        assertThat(verdict.firstOutOfOrder()).hasValue("position 2 was admitted at 2026-11-29T08:00:00.300Z, after"
                + " position 3 at 2026-11-29T08:00:00.200Z");
    }

    @Test
    void theLastInLineAdmittedFirstPutsEveryOtherOutOfOrder() {
        var verdict = AdmissionOrder.check(List.of(admitted(4, 100), admitted(1, 200), admitted(2, 300),
                admitted(3, 400)));

        assertThat(verdict.outOfOrder()).isEqualTo(3);
    }

    /** Redis' clock has milliseconds: two hand-overs in one cannot be told apart (one script may make both). */
    @Test
    void handOversInTheSameMillisecondAreNotOutOfOrder() {
        assertThat(AdmissionOrder.check(List.of(admitted(2, 100), admitted(1, 100))).held()).isTrue();
    }

    /** A waiter never admitted is counted apart; those admitted around it are still in order. */
    @Test
    void aWaiterMissingDoesNotBreakTheOrderOfTheOthers() {
        assertThat(AdmissionOrder.check(List.of(admitted(1, 100), admitted(3, 300))).held()).isTrue();
    }

    @Test
    void positionsMustBeExactlyOneToN() {
        assertThat(AdmissionOrder.positionsAreOneToN(List.of(2L, 1L, 3L), 3)).isTrue();
        assertThat(AdmissionOrder.positionsAreOneToN(List.of(), 0)).isTrue();
        assertThat(AdmissionOrder.positionsAreOneToN(List.of(1L, 2L, 2L), 3)).as("one place given twice").isFalse();
        assertThat(AdmissionOrder.positionsAreOneToN(List.of(1L, 2L, 4L), 3)).as("a place skipped").isFalse();
        assertThat(AdmissionOrder.positionsAreOneToN(List.of(1L, 2L), 3)).as("a waiter missing").isFalse();
    }

    @Test
    void percentilesAreNearestRankAndMayBeNegative() {
        long[] sorted = {-400_000, 1_000_000, 2_000_000, 3_000_000, 100_000_000};

        assertThat(Percentiles.nearestRank(sorted, 50)).isEqualTo(2_000_000);
        assertThat(Percentiles.nearestRank(sorted, 99)).isEqualTo(100_000_000);
        assertThat(Percentiles.of("handOver", List.of(3_000_000L, -400_000L, 1_000_000L), 50, 95))
                .containsEntry("handOverP50Ms", 1.0).containsEntry("handOverP95Ms", 3.0)
                .containsEntry("handOverMaxMs", 3.0);
        assertThat(Percentiles.of("handOver", List.of(), 50)).isEmpty();
    }
}
