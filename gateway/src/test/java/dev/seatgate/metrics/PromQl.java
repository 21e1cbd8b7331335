package dev.seatgate.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The vector selectors of a PromQL expression ({@code name{label="value"}}), found by a small scanner rather than
 * a parser: enough for the dashboard's and the alerts' expressions, so that tests can check that every metric they
 * name is one the gateway exports and that every selector finds series. Grafana variables must be substituted
 * first. An identifier is a metric name unless it is a function (followed by "("), an aggregation or a keyword;
 * the label lists of by/without/on/ignoring/group_*, strings, ranges and numbers are skipped.
 */
final class PromQl {

    /** One vector selector: the metric's name and the selector's text, matchers included. */
    record Selector(String metric, String text) {
    }

    /** Aggregations and keywords: identifiers that never name a metric. */
    private static final Set<String> KEYWORDS = Set.of("sum", "min", "max", "avg", "group", "stddev", "stdvar",
            "count", "count_values", "bottomk", "topk", "quantile", "limitk", "limit_ratio", "and", "or", "unless",
            "bool", "offset", "by", "without", "on", "ignoring", "group_left", "group_right", "inf", "nan", "atan2");
    /** Keywords followed by a parenthesized list of label names. */
    private static final Set<String> LABEL_LISTS = Set.of("by", "without", "on", "ignoring", "group_left",
            "group_right");

    private PromQl() {
    }

    static List<Selector> selectors(String expr) {
        var found = new ArrayList<Selector>();
        int i = 0;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(expr, i);
            } else if (c == '[') {
                i = after(expr, i, '[', ']');
            } else if (c == '{') {
                i = after(expr, i, '{', '}'); // matchers without a name: none of ours
            } else if (Character.isDigit(c) || c == '.') {
                i = afterWord(expr, i);
            } else if (Character.isLetter(c) || c == '_' || c == ':') {
                int end = afterWord(expr, i);
                String word = expr.substring(i, end);
                int next = skipSpaces(expr, end);
                boolean call = next < expr.length() && expr.charAt(next) == '(';
                if (LABEL_LISTS.contains(word) && call) {
                    i = after(expr, next, '(', ')');
                } else if (call || KEYWORDS.contains(word)) {
                    i = end;
                } else if (next < expr.length() && expr.charAt(next) == '{') {
                    i = after(expr, next, '{', '}');
                    found.add(new Selector(word, word + expr.substring(next, i)));
                } else {
                    found.add(new Selector(word, word));
                    i = end;
                }
            } else {
                i++;
            }
        }
        return found;
    }

    private static int afterWord(String expr, int i) {
        while (i < expr.length() && (Character.isLetterOrDigit(expr.charAt(i)) || "_:.".indexOf(expr.charAt(i)) >= 0)) {
            i++;
        }
        return i;
    }

    private static int skipSpaces(String expr, int i) {
        while (i < expr.length() && Character.isWhitespace(expr.charAt(i))) {
            i++;
        }
        return i;
    }

    /** The index after the bracket that closes the one at {@code open}, strings inside skipped. */
    private static int after(String expr, int open, char opening, char closing) {
        int depth = 0;
        int i = open;
        while (i < expr.length()) {
            char c = expr.charAt(i);
            if (c == '"' || c == '\'' || c == '`') {
                i = afterString(expr, i);
                continue;
            }
            if (c == opening) {
                depth++;
            } else if (c == closing && --depth == 0) {
                return i + 1;
            }
            i++;
        }
        throw new IllegalArgumentException("unbalanced " + opening + " at " + open + " in " + expr);
    }

    private static int afterString(String expr, int open) {
        char quote = expr.charAt(open);
        for (int i = open + 1; i < expr.length(); i++) {
            if (expr.charAt(i) == '\\' && quote != '`') {
                i++;
            } else if (expr.charAt(i) == quote) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("unterminated string at " + open + " in " + expr);
    }
}
