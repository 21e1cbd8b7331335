package dev.seatgate.http;

import io.netty.channel.ChannelPipeline;

/**
 * A second protocol a listener speaks, reached from HTTP by an upgrade request (RFC 6455's WebSocket, say).
 * {@link HttpPipeline} installs its handlers after the HTTP aggregator and before {@link RequestHandler}, so
 * they see every whole request first: they take the upgrade requests that are theirs (and switch the
 * connection over) and pass every other request on.
 */
public interface ProtocolUpgrade {

    /** Adds this protocol's handlers at the end of the pipeline, as it is built for a new connection. */
    void addHandlers(ChannelPipeline pipeline);
}
