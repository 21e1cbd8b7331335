package dev.seatgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The selector scanner the dashboard and alert tests rely on: it finds every metric, and nothing else. */
class PromQlTest {

    @Test
    void findsTheSelectorsOfAnExpressionAndSkipsFunctionsAggregationsLabelsAndNumbers() {
        String expr = "histogram_quantile(0.99, sum by (le, instance) (rate(seatgate_request_duration_seconds_bucket"
                + "{operation=\"login\", instance=~\".*\"}[5m]))) > 0.5 and on (instance) up == 1"
                + " or max without (state) (seatgate_seats{state=~\"a|b}\"}) / ignoring(x) group_left(y) count(m:rule)";

        assertThat(PromQl.selectors(expr)).containsExactly(
                new PromQl.Selector("seatgate_request_duration_seconds_bucket",
                        "seatgate_request_duration_seconds_bucket{operation=\"login\", instance=~\".*\"}"),
                new PromQl.Selector("up", "up"),
                new PromQl.Selector("seatgate_seats", "seatgate_seats{state=~\"a|b}\"}"),
                new PromQl.Selector("m:rule", "m:rule"));
    }

    @Test
    void aFunctionWithoutArgumentsAndAnOffsetAreNotMetrics() {
        assertThat(PromQl.selectors("time() - max(seatgate_seats_refreshed_timestamp_seconds offset 5m) > 1e3"))
                .extracting(PromQl.Selector::metric).containsExactly("seatgate_seats_refreshed_timestamp_seconds");
    }
}
