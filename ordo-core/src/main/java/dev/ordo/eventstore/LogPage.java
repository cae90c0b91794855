package dev.ordo.eventstore;

import java.util.List;

/**
 * A batch read from the log.
 *
 * @param pending true when committed events exist after this page that cannot be delivered yet
 *     because an earlier transaction is still open: read again soon
 */
public record LogPage(List<RecordedEvent> events, boolean pending) {

  /** Where the next read continues: the last event's position, or {@code after} if there was none. */
  public LogPosition next(LogPosition after) {
    return events.isEmpty() ? after : events.getLast().logPosition();
  }
}
