package dev.seatgate.http;

import dev.seatgate.console.ConsoleFiles;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The console ({@code GET /console/}, admin port): its static files, with no token (the page asks for one and sends
 * it with every API call it makes). Every answer forbids what the console never needs: scripts, styles, images and
 * connections from anywhere but this origin, inline script and style, framing, plugins, form posts; browsers may
 * not guess content types. Files are revalidated on every load ({@code no-cache} with a strong ETag), so a new
 * gateway's console is never mixed with an old one's.
 */
final class ConsoleApi {

    /** The console's Content-Security-Policy: its own files only, nothing inline. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self';"
            + " img-src 'self'; connect-src 'self'; font-src 'none'; object-src 'none'; base-uri 'none';"
            + " form-action 'none'; frame-ancestors 'none'";
    /** Headers of every console answer, the 404 included. */
    private static final Map<String, String> GUARDS = Map.of(
            "Content-Security-Policy", CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options", "nosniff",
            "X-Frame-Options", "DENY",
            "Referrer-Policy", "no-referrer");

    private final ConsoleFiles files;

    ConsoleApi(ConsoleFiles files) {
        this.files = files;
    }

    /** {@code /console}: to {@code /console/}, where the page's relative links resolve. */
    CompletionStage<ApiResponse> redirect(ApiRequest request) {
        var headers = new LinkedHashMap<>(GUARDS);
        headers.put("Location", "/console/");
        return CompletableFuture.completedFuture(new ApiResponse(HttpResponseStatus.MOVED_PERMANENTLY, null, headers));
    }

    /** {@code /console/}: the page. */
    CompletionStage<ApiResponse> index(ApiRequest request) {
        return serve(request, "index.html");
    }

    /** {@code /console/{file}}: one of the console's files by its exact name, else 404. */
    CompletionStage<ApiResponse> file(ApiRequest request) {
        return serve(request, request.pathParam("file"));
    }

    private CompletionStage<ApiResponse> serve(ApiRequest request, String name) {
        ConsoleFiles.File file = files.find(name).orElseThrow(() -> new ApiException(ErrorCode.NOT_FOUND,
                "the console has no file of that name", Map.of(), GUARDS));
        var headers = new LinkedHashMap<>(GUARDS);
        headers.put("Cache-Control", "no-cache");
        headers.put("ETag", file.etag());
        if (request.header("If-None-Match").filter(tags -> tags.contains(file.etag())).isPresent()) {
            // As long as the 200 would have been (RFC 9110 8.6), though a 304 carries no content.
            headers.put("Content-Length", Integer.toString(file.content().getBytes(StandardCharsets.UTF_8).length));
            return CompletableFuture.completedFuture(new ApiResponse(HttpResponseStatus.NOT_MODIFIED, null, headers));
        }
        return CompletableFuture.completedFuture(new ApiResponse(HttpResponseStatus.OK,
                new ApiResponse.Text(file.contentType(), file.content()), headers));
    }
}
