package dev.seatgate.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A plain socket speaking HTTP/1.1 by hand, for what a well-behaved client never does: split requests,
 * pipeline them, send garbage, or go quiet.
 */
public final class RawHttp implements AutoCloseable {

    private static final Pattern CONTENT_LENGTH = Pattern.compile("(?i)content-length: (\\d+)");

    private final Socket socket;
    private final InputStream in;

    public RawHttp(int port) {
        try {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(5000);
            socket.setTcpNoDelay(true);
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends bytes as they are (each call is its own TCP segment, with TCP_NODELAY). */
    public RawHttp send(String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One response: status line, headers, and a body of its Content-Length. */
    public String readResponse() {
        try {
            String head = readHead();
            Matcher length = CONTENT_LENGTH.matcher(head);
            int bodyLength = length.find() ? Integer.parseInt(length.group(1)) : 0;
            return head + new String(in.readNBytes(bodyLength), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One response, or null when the server closed the connection or said nothing within {@code millis}. */
    public String readResponseOrNull(int millis) {
        try {
            socket.setSoTimeout(millis);
            return readResponse();
        } catch (UncheckedIOException | SocketException closedOrSilent) {
            return null;
        }
    }

    public List<String> readResponses(int count) {
        var responses = new ArrayList<String>();
        for (int i = 0; i < count; i++) {
            responses.add(readResponse());
        }
        return responses;
    }

    /** Whether the server closed the connection within {@code millis} (reading nothing more). */
    public boolean closedWithin(int millis) {
        try {
            socket.setSoTimeout(millis);
            return in.read() == -1;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    private String readHead() throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b == -1) {
                throw new IOException("connection closed after: " + head);
            }
            head.write(b);
            matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
