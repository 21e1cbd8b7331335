package dev.seatgate.http;

import dev.seatgate.line.LineWaits;
import dev.seatgate.live.LiveSessions;
import dev.seatgate.seats.SeatLedger;
import java.time.Duration;

/**
 * What every live socket of a listener uses ({@link LiveSocketHandler}).
 *
 * @param login     the agent API's login, observed as an HTTP login is (metrics, event log)
 * @param queue     the waiting line's answers, for a login that waited in line
 * @param pingEvery the heartbeat interval
 * @param goneAfter the lease TTL: a client silent for that long (no pong, no message) is gone
 */
record LiveServices(LiveSessions live, SeatLedger seats, Router.Handler login, LineWaits lineWaits, QueueApi queue,
                    ErrorMapper errors, Duration pingEvery, Duration goneAfter) {
}
