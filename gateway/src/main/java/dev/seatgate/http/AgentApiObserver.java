package dev.seatgate.http;

import dev.seatgate.metrics.GatewayMetrics;
import dev.seatgate.metrics.MetricNames;
import dev.seatgate.seats.LoginOutcome;
import java.util.Locale;
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
                RequestFacts facts = request.facts();
                String outcome = login ? loginOutcome(facts, response).label() : outcome(response);
                metrics.requestDuration(operation, nanos);
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

    /** What admission decided; for a login that failed before or around admission, why it failed. */
    private static LoginOutcome.Kind loginOutcome(RequestFacts facts, ApiResponse response) {
        if (facts.loginOutcome != null) {
            return facts.loginOutcome;
        }
        String code = response.errorCode();
        if (ErrorCode.INVALID_REQUEST.name().equals(code)) {
            return LoginOutcome.Kind.INVALID_REQUEST;
        }
        return ErrorCode.UNAVAILABLE.name().equals(code) ? LoginOutcome.Kind.UNAVAILABLE : LoginOutcome.Kind.ERROR;
    }

    private static String outcome(ApiResponse response) {
        String code = response.errorCode();
        return code == null ? "ok" : code.toLowerCase(Locale.ROOT);
    }
}
