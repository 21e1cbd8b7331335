package dev.seatgate.http;

import dev.seatgate.Crypto;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards the admin API with the bearer token from {@code SEATGATE_ADMIN_TOKEN}. Without a configured
 * token every call is refused. Tokens are compared as SHA-256 digests with {@link MessageDigest#isEqual},
 * which takes the same time wherever they differ.
 */
final class AdminAuth {

    private final Optional<byte[]> expectedDigest;

    AdminAuth(Optional<String> adminToken) {
        this.expectedDigest = adminToken.map(AdminAuth::digest);
    }

    Router.Handler require(Router.Handler handler) {
        return request -> {
            if (expectedDigest.isEmpty()) {
                throw new ApiException(ErrorCode.UNAUTHORIZED,
                        "the admin API is disabled until SEATGATE_ADMIN_TOKEN is set");
            }
            Optional<String> token = request.bearerToken();
            if (token.isEmpty() || !MessageDigest.isEqual(expectedDigest.get(), digest(token.get()))) {
                throw new ApiException(ErrorCode.UNAUTHORIZED, "expected Authorization: Bearer <admin token>");
            }
            return handler.handle(request);
        };
    }

    private static byte[] digest(String token) {
        return Crypto.sha256Hex(token).getBytes(StandardCharsets.US_ASCII);
    }
}
