package dev.seatgate.loadtest;

import java.util.concurrent.atomic.LongAdder;

/** What the agents of the live scenarios saw, counted as it happened (from any thread). */
final class LiveCounts {

    /** Takeovers answered 200: each ended a session held on a socket, whose socket must hear of it. */
    final LongAdder pushesExpected = new LongAdder();
    /** {@code ended} {@code superseded} messages received by the sockets whose session was taken over. */
    final LongAdder pushesReceived = new LongAdder();
    /** An {@code ended} nobody caused (another reason, or on a socket not taken over), or a second one. */
    final LongAdder unexpectedEnds = new LongAdder();
    /** A close code other than 4410 after {@code ended}, or 1000 after a logout. */
    final LongAdder wrongCloseCodes = new LongAdder();
    /** A login (socket or takeover) answered other than admitted, 409 SEATS_EXHAUSTED or 503; an unknown message. */
    final LongAdder unexpectedAnswers = new LongAdder();
    /** A socket the gateway closed, or that broke, without the scenario asking for it. */
    final LongAdder socketsLost = new LongAdder();
    /** A socket that could not be opened (refused, no handshake). */
    final LongAdder connectFailures = new LongAdder();
    /** Sockets dropped on purpose (--vanish). */
    final LongAdder dropped = new LongAdder();
    /** Dropped sockets whose seat was seen free after the reconnect grace. */
    final LongAdder freed = new LongAdder();
    /** Dropped sockets whose seat was seen free before the reconnect grace had passed. */
    final LongAdder freedEarly = new LongAdder();
    /** Dropped sockets whose seat was not seen free within the bound after the grace. */
    final LongAdder notFreed = new LongAdder();
}
