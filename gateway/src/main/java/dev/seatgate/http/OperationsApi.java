package dev.seatgate.http;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/** {@code /healthz} and {@code /readyz}, without a token, on both listeners (load balancers probe either). */
final class OperationsApi {

    private final Supplier<CompletionStage<Void>> readinessCheck;
    private final InFlight inFlight;

    /**
     * @param readinessCheck completes when Redis answers and holds the scripts (loading them if it lost
     *                       them); fails otherwise
     */
    OperationsApi(Supplier<CompletionStage<Void>> readinessCheck, InFlight inFlight) {
        this.readinessCheck = readinessCheck;
        this.inFlight = inFlight;
    }

    record Status(String status) {
    }

    /** 200 while the process runs. */
    CompletionStage<ApiResponse> health(ApiRequest request) {
        return CompletableFuture.completedFuture(ApiResponse.ok(new Status("ok")));
    }

    /** 200 when this gateway can serve logins; 503 while Redis is unreachable or the gateway drains. */
    CompletionStage<ApiResponse> ready(ApiRequest request) {
        if (inFlight.isDraining()) {
            return CompletableFuture.completedFuture(ErrorMapper.unavailable("shutting down"));
        }
        return readinessCheck.get().thenApply(ready -> ApiResponse.ok(new Status("ready")));
    }
}
