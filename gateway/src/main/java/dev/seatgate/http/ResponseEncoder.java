package dev.seatgate.http;

import dev.seatgate.Json;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/** Turns an {@link ApiResponse} into a Netty response: the body as JSON, straight into a pooled buffer. */
final class ResponseEncoder {

    private static final String JSON_UTF8 = "application/json; charset=utf-8";

    private ResponseEncoder() {
    }

    static FullHttpResponse encode(ByteBufAllocator alloc, ApiResponse response, boolean keepAlive) {
        ByteBuf content;
        String contentType;
        if (response.body() == null) {
            content = Unpooled.EMPTY_BUFFER;
            contentType = null;
        } else if (response.body() instanceof ApiResponse.Text text) {
            content = ByteBufUtil.writeUtf8(alloc, text.content());
            contentType = text.contentType();
        } else {
            content = json(alloc, response.body());
            contentType = JSON_UTF8;
        }
        var http = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, response.status(), content);
        if (contentType != null) {
            http.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        http.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
        response.headers().forEach(http.headers()::set);
        HttpUtil.setKeepAlive(http, keepAlive); // Connection: close when false
        return http;
    }

    private static ByteBuf json(ByteBufAllocator alloc, Object body) {
        ByteBuf buffer = alloc.buffer(256);
        try (OutputStream out = new ByteBufOutputStream(buffer)) {
            Json.MAPPER.writeValue(out, body);
            return buffer;
        } catch (IOException e) {
            buffer.release();
            throw new UncheckedIOException(e);
        }
    }
}
