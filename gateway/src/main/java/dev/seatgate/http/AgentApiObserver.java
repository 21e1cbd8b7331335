package dev.seatgate.http;

import dev.seatgate.metrics.GatewayMetrics;
import dev.seatgate.metrics.MetricNames;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * Wraps the agent API's handlers: times each request, counts logins by license type and outcome, and, when
 * the {@code seatgate.events} logger is enabled ({@code SEATGATE_EVENT_LOG=INFO}), writes one line per
 * request with tenant, agent, outcome and latency (JSON with {@code SEATGATE_LOG_FORMAT=json}). Never a
 * password or a token: only what handlers put in {@link RequestFacts}.
 */
final class AgentApiObserver {

    /** The event log; off unless configured. */
    private static final Logger events = LoggerFactory.getLogger("seatgate.events");

    /** Login outcomes by API error code; a 200 is "admitted". */
    private static final Map<String, String> LOGIN_OUTCOMES = Map.of(
            ErrorCode.SEATS_EXHAUSTED.name(), "seats_exhausted",
            ErrorCode.ALREADY_LOGGED_IN.name(), "already_logged_in",
            ErrorCode.INVALID_CREDENTIALS.name(), "invalid_credentials",
            ErrorCode.AGENT_DISABLED.name(), "disabled",
            ErrorCode.LICENSE_TYPE_NOT_PERMITTED.name(), "not_permitted",
            ErrorCode.TOO_MANY_ATTEMPTS.name(), "locked",
            ErrorCode.UNAVAILABLE.name(), "unavailable",
            ErrorCode.INVALID_REQUEST.name(), "invalid_request");

    private final GatewayMetrics metrics;
    private final ErrorMapper errors;

    AgentApiObserver(GatewayMetrics metrics, ErrorMapper errors) {
        this.metrics = metrics;
        this.errors = errors;
    }

    /** @param operation login, heartbeat or logout */
    Router.Handler observe(String operation, Router.Handler handler) {
        boolean login = operation.equals("login");
        return request -> {
            long started = System.nanoTime();
            CompletionStage<ApiResponse> handled;
            try {
                handled = handler.handle(request);
            } catch (RuntimeException e) {
                handled = CompletableFuture.failedFuture(e);
            }
            return handled.handle((ok, failure) -> failure == null ? ok : errors.toResponse(failure)).thenApply(response -> {
                long nanos = System.nanoTime() - started;
                String outcome = outcome(response, login);
                metrics.requestDuration(operation, nanos);
                RequestFacts facts = request.facts();
                if (login) {
                    metrics.login(facts.licenseType != null ? facts.licenseType : MetricNames.UNKNOWN_TYPE, outcome);
                }
                if (events.isInfoEnabled()) {
                    LoggingEventBuilder line = events.atInfo().addKeyValue("event", operation);
                    addIfKnown(line, "tenant", facts.tenant);
                    addIfKnown(line, "agentId", facts.agentId);
                    addIfKnown(line, "licenseType", facts.licenseType);
                    addIfKnown(line, "sessionId", facts.sessionId);
                    line.addKeyValue("outcome", outcome)
                            .addKeyValue("status", response.status().code())
                            .addKeyValue("latencyMs", Math.round(nanos / 10_000.0) / 100.0)
                            .log(operation + " " + outcome);
                }
                return response;
            });
        };
    }

    private static void addIfKnown(LoggingEventBuilder line, String key, String value) {
        if (value != null) {
            line.addKeyValue(key, value);
        }
    }

    private static String outcome(ApiResponse response, boolean login) {
        String code = response.errorCode();
        if (code == null) {
            return login ? "admitted" : "ok";
        }
        return login ? LOGIN_OUTCOMES.getOrDefault(code, "error") : code.toLowerCase(Locale.ROOT);
    }
}
