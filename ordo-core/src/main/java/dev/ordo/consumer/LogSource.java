package dev.ordo.consumer;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.Subscription;
import java.time.Instant;
import java.util.List;

/** The local event log as a source: gap-free, in {@code (tx, position)} order. */
final class LogSource implements Source<LogPosition> {

  private final EventStore store;

  public LogSource(EventStore store) {
    this.store = store;
  }

  @Override
  public LogPosition start() {
    return LogPosition.START;
  }

  @Override
  public Subscription subscribe(String name, LogPosition after, int batchSize, Handler<LogPosition> handler) {
    return store.subscribe(name, after, batchSize,
        events -> handler.accept(new Batch<>(events, events.stream().map(RecordedEvent::logPosition).toList())));
  }

  @Override
  public boolean covers(LogPosition checkpoint, LogPosition position) {
    return !position.isAfter(checkpoint);
  }

  @Override
  public Lag lag(LogPosition at) {
    long events = Math.max(0, store.head() - at.position());
    if (events == 0) {
      return new Lag(0, 0);
    }
    LogPage next = store.readLog(at, 1);
    List<RecordedEvent> first = next.events();
    long millis = first.isEmpty() ? 0
        : Math.max(0, Instant.now().toEpochMilli() - first.getFirst().occurredAt().toEpochMilli());
    return new Lag(events, millis);
  }
}
