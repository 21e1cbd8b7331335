package dev.seatgate.config;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLException;

/** A PEM certificate chain and its PEM (PKCS#8) private key; both listeners serve HTTPS with them. */
public record TlsFiles(Path certificate, Path privateKey) {

    /**
     * The cipher suites offered: TLS 1.3's, and for TLS 1.2 only ECDHE key exchange (forward secrecy) with AEAD
     * encryption (GCM, ChaCha20-Poly1305), as Mozilla's "intermediate" configuration (without its DHE suites).
     * The JDK's default list for TLS 1.2 also has RSA key exchange and CBC suites, which a client could pick.
     */
    static final List<String> CIPHERS = List.of(
            "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /**
     * A server context of these files: TLS 1.2 and 1.3, {@link #CIPHERS} only, in the server's order.
     *
     * @throws IllegalArgumentException when the files cannot be read or do not hold a matching pair
     */
    public SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            Throwable root = e;
            while (root.getCause() != null) {
                root = root.getCause();
            }
            throw new IllegalArgumentException(root.getMessage() != null ? root.getMessage() : root.toString(), e);
        }
    }
}
