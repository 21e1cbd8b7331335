package dev.seatgate.http;

import dev.seatgate.Crypto;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Guards the admin API with bearer tokens: the operator's {@code SEATGATE_ADMIN_TOKEN}, good for every
 * tenant, and per-tenant tokens ({@code SEATGATE_TENANT_ADMIN_TOKENS}), each good for its own tenant only
 * (403 on any other). Without any configured token every call is refused.
 *
 * <p>{@code /metrics} shows every tenant's seats, so a tenant's token never reads it. It needs
 * {@code SEATGATE_METRICS_TOKEN} (or the operator's token) when that is set, and the operator's token when
 * tenant tokens are handed out without a metrics token; otherwise, with only operators on the admin port, it
 * is open, as Prometheus expects by default.
 *
 * <p>Tokens are compared as SHA-256 digests: the operator's with {@link MessageDigest#isEqual}, which takes
 * the same time wherever they differ; tenant tokens by looking the digest up, which reveals nothing about
 * a token since a client cannot steer the digest of what it sends.
 */
final class AdminAuth {

    private final Optional<byte[]> operatorDigest;
    private final Map<String, String> tenantByDigest = new HashMap<>();
    private final Optional<byte[]> metricsDigest;

    AdminAuth(Optional<String> operatorToken, Map<String, String> tenantTokens, Optional<String> metricsToken) {
        this.operatorDigest = operatorToken.map(AdminAuth::digest);
        tenantTokens.forEach((tenant, token) -> tenantByDigest.put(Crypto.sha256Hex(token), tenant));
        this.metricsDigest = metricsToken.map(AdminAuth::digest);
    }

    /** Guards {@code /metrics}, as the class comment says. */
    Router.Handler requireForMetrics(Router.Handler handler) {
        return request -> {
            if (metricsDigest.isEmpty() && tenantByDigest.isEmpty()) {
                return handler.handle(request);
            }
            byte[] digest = digest(request.bearerToken().orElseThrow(() -> new ApiException(ErrorCode.UNAUTHORIZED,
                    "expected Authorization: Bearer <metrics token>")));
            if (metricsDigest.isPresent() && MessageDigest.isEqual(metricsDigest.get(), digest)
                    || operatorDigest.isPresent() && MessageDigest.isEqual(operatorDigest.get(), digest)) {
                return handler.handle(request);
            }
            if (tenantByDigest.containsKey(new String(digest, StandardCharsets.US_ASCII))) {
                throw new ApiException(ErrorCode.FORBIDDEN, "a tenant's token cannot read /metrics");
            }
            throw new ApiException(ErrorCode.UNAUTHORIZED, "expected Authorization: Bearer <metrics token>");
        };
    }

    /**
     * Guards what only the operator may do to a tenant, whatever tokens it handed to tenants: set its standing (a
     * suspended tenant's own token must not lift its suspension). A tenant's token gets {@code 403}.
     */
    Router.Handler requireOperator(Router.Handler handler) {
        return require(request -> {
            byte[] digest = digest(request.bearerToken().orElseThrow());
            if (operatorDigest.isPresent() && MessageDigest.isEqual(operatorDigest.get(), digest)) {
                return handler.handle(request);
            }
            throw new ApiException(ErrorCode.FORBIDDEN, "only the operator's token may do this");
        });
    }

    Router.Handler require(Router.Handler handler) {
        return request -> {
            if (operatorDigest.isEmpty() && tenantByDigest.isEmpty()) {
                throw new ApiException(ErrorCode.UNAUTHORIZED,
                        "the admin API is disabled until SEATGATE_ADMIN_TOKEN is set");
            }
            Optional<String> token = request.bearerToken();
            if (token.isEmpty()) {
                throw new ApiException(ErrorCode.UNAUTHORIZED, "expected Authorization: Bearer <admin token>");
            }
            byte[] digest = digest(token.get());
            if (operatorDigest.isPresent() && MessageDigest.isEqual(operatorDigest.get(), digest)) {
                return handler.handle(request);
            }
            String tenant = tenantByDigest.get(new String(digest, StandardCharsets.US_ASCII));
            if (tenant == null) {
                throw new ApiException(ErrorCode.UNAUTHORIZED, "this token is not an admin token of this gateway");
            }
            if (!tenant.equals(request.pathParam("tenant"))) {
                throw new ApiException(ErrorCode.FORBIDDEN, "this token administers tenant '" + tenant + "' only");
            }
            return handler.handle(request);
        };
    }


    private static byte[] digest(String token) {
        return Crypto.sha256Hex(token).getBytes(StandardCharsets.US_ASCII);
    }
}
