package dev.seatgate.config;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/** A PEM certificate chain and its PEM (PKCS#8) private key; both listeners serve HTTPS with them. */
public record TlsFiles(Path certificate, Path privateKey) {

    /**
     * A server context of these files (TLS 1.2 and 1.3, the JDK's default ciphers).
     *
     * @throws IllegalArgumentException when the files cannot be read or do not hold a matching pair
     */
    public SslContext serverContext() {
        try {
            return SslContextBuilder.forServer(certificate.toFile(), privateKey.toFile())
                    .protocols("TLSv1.3", "TLSv1.2")
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
