package dev.seatgate.line;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Entries by ticket id, several per ticket (a client may wait twice on one ticket, two sockets may hold it). Thread-safe:
 * an entry set changes only inside the map's {@code compute} of its key, so an entry added while the last other one of
 * its ticket is removed is never dropped with an emptied set.
 */
final class ByTicket<T> {

    private final ConcurrentHashMap<String, Set<T>> entries = new ConcurrentHashMap<>();

    void add(String ticketId, T entry) {
        entries.compute(ticketId, (id, set) -> {
            Set<T> added = set != null ? set : ConcurrentHashMap.newKeySet();
            added.add(entry);
            return added;
        });
    }

    /** Whether {@code entry} was there (and is no more): true for one caller only. */
    boolean remove(String ticketId, T entry) {
        boolean[] removed = {false};
        entries.computeIfPresent(ticketId, (id, set) -> {
            removed[0] = set.remove(entry);
            return set.isEmpty() ? null : set;
        });
        return removed[0];
    }

    /** The ticket's entries now. */
    List<T> of(String ticketId) {
        return List.copyOf(entries.getOrDefault(ticketId, Set.of()));
    }

    /** Every entry now, of every ticket. */
    void forEach(Consumer<T> action) {
        entries.values().forEach(set -> List.copyOf(set).forEach(action));
    }
}
