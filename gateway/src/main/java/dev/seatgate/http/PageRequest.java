package dev.seatgate.http;

import dev.seatgate.redis.PageCursor;

/**
 * The page a list request asks for (the v1.1 contract's paged lists): {@code ?limit=} 1 to 1000 (default 500)
 * and {@code ?cursor=}, the {@code nextCursor} of the page before; anything else is 400.
 */
record PageRequest(PageCursor cursor, int limit) {

    static final int DEFAULT_LIMIT = 500;
    static final int MAX_LIMIT = 1000;

    static PageRequest from(ApiRequest request) {
        int limit = limit(request, DEFAULT_LIMIT);
        PageCursor cursor = request.queryParam("cursor").map(text -> PageCursor.parse(text).orElseThrow(
                () -> ApiException.invalid("query parameter 'cursor' must be a nextCursor this API returned")))
                .orElse(PageCursor.START);
        return new PageRequest(cursor, limit);
    }

    /** {@code ?limit=}, 1 to {@value #MAX_LIMIT}, or {@code defaultLimit} when absent; 400 otherwise. */
    static int limit(ApiRequest request, int defaultLimit) {
        return request.queryParam("limit").map(PageRequest::limit).orElse(defaultLimit);
    }

    private static int limit(String text) {
        try {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid("query parameter 'limit' must be an integer from 1 to " + MAX_LIMIT);
    }
}
