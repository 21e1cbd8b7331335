package dev.seatgate.config;

/** Redis URIs as they may be shown: in logs and error messages, never with their password. */
public final class RedisUris {

    private RedisUris() {
    }

    /** The URI without its password, for logs and error messages. */
    public static String redact(String uri) {
        return uri.replaceAll("//([^:/@]*):[^@/]*@", "//$1:***@");
    }
}
