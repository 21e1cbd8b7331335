package dev.seatgate.config;

/** Redis URIs as they may be shown: in logs and error messages, never with their password. */
public final class RedisUris {

    private static final String MASK = "***";

    private RedisUris() {
    }

    /**
     * The URI without its password, for logs and error messages. Every form Lettuce reads keeps its password in
     * the user info before the host ({@code redis://}, {@code rediss://}, {@code redis-sentinel://},
     * {@code redis-socket://}, and {@code redis-cluster://} here): {@code password@}, {@code :password@} and
     * {@code user:password@}. A password may hold {@code @} or {@code /} unencoded, so everything up to the
     * last {@code @} is user info; of it only a user name before a {@code :} is shown.
     */
    public static String redact(String uri) {
        int scheme = uri.indexOf("://");
        int at = uri.lastIndexOf('@');
        if (scheme < 0 || at < scheme) {
            return uri;
        }
        String userInfo = uri.substring(scheme + 3, at);
        int colon = userInfo.indexOf(':');
        String user = colon > 0 ? userInfo.substring(0, colon) + ":" : "";
        return uri.substring(0, scheme + 3) + user + MASK + uri.substring(at);
    }
}
