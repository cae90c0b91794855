package dev.ordo.test;

import dev.ordo.eventstore.*;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The log in memory, for tests of deciders and projections and for trying Ordo out. It passes the
 * same conformance suite as the PostgreSQL store; appends are serialised, so its log order is
 * simply the order of positions.
 */
public final class InMemoryEventStore implements EventStore {

  /** The log itself, shared by the stores {@link #readingWith} makes; guarded by its own monitor. */
  private static final class Log {
    final LogTailer.Signal signal = new LogTailer.Signal();
    final List<RecordedEvent> events = new ArrayList<>();
    final Map<String, List<RecordedEvent>> streams = new HashMap<>();
    final Map<UUID, RecordedEvent> byId = new HashMap<>();
    final Map<UniqueKey, String> keyOwners = new HashMap<>();
    final Map<UUID, AppendRequest.CommandCompletion> completions = new HashMap<>();
  }

  private final EventTypes types;
  private final Log log;

  public InMemoryEventStore(EventTypes types) {
    this(types, new Log());
  }

  private InMemoryEventStore(EventTypes types, Log log) {
    this.types = types;
    this.log = log;
  }

  /** The same log as read by a build that knows other event types, as after an upgrade. */
  public InMemoryEventStore readingWith(EventTypes otherTypes) {
    return new InMemoryEventStore(otherTypes, log);
  }

  @Override
  public AppendResult append(AppendRequest request) {
    request.validate(types);
    String streamId = request.streamId();
    List<NewEvent> events = request.events();
    AppendResult result;
    synchronized (log) {
      Optional<AppendResult> earlier = earlierAppend(streamId, events);
      if (earlier.isPresent()) {
        return earlier.get();
      }
      List<RecordedEvent> stream = log.streams.getOrDefault(streamId, List.of());
      long version = stream.size();
      if (!request.expected().accepts(version)) {
        throw new EventStoreException.WrongExpectedVersion(streamId, request.expected(), version);
      }
      for (UniqueKey key : request.claims()) {
        String owner = log.keyOwners.get(key);
        if (owner != null && !owner.equals(streamId)) {
          throw new EventStoreException.UniqueKeyTaken(key);
        }
      }
      request.releases().forEach(key -> log.keyOwners.remove(key, streamId));
      request.claims().forEach(key -> log.keyOwners.put(key, streamId));
      stream = log.streams.computeIfAbsent(streamId, id -> new ArrayList<>());
      Instant now = Instant.now();
      for (NewEvent event : events) {
        long position = log.events.size() + 1;
        var recorded = new RecordedEvent(new LogPosition(position, position), event.eventId(), streamId,
            request.streamType(), ++version, event.type(), event.schemaVersion(), event.data(), event.metadata(),
            event.occurredAt() != null ? event.occurredAt() : now);
        log.events.add(recorded);
        stream.add(recorded);
        log.byId.put(event.eventId(), recorded);
      }
      result = new AppendResult(streamId, version, log.events.size());
      if (request.completion() != null) {
        log.completions.put(request.completion().commandId(), request.completion());
      }
    }
    log.signal.fire();
    return result;
  }

  /** The original result when every id was appended before to this stream. */
  private Optional<AppendResult> earlierAppend(String streamId, List<NewEvent> events) {
    int stored = 0;
    RecordedEvent last = null;
    for (NewEvent event : events) {
      RecordedEvent found = log.byId.get(event.eventId());
      if (found != null) {
        stored++;
        if (!found.streamId().equals(streamId)) {
          throw new IllegalArgumentException("event " + event.eventId() + " is already stored in another stream");
        }
        last = last == null || found.version() > last.version() ? found : last;
      }
    }
    if (stored == 0) {
      return Optional.empty();
    }
    if (stored < events.size()) {
      throw new IllegalArgumentException("some, not all, of the events are already stored");
    }
    return Optional.of(new AppendResult(streamId, last.version(), last.position()));
  }

  @Override
  public EventStream readStream(String streamId, long fromVersion) {
    List<RecordedEvent> stream;
    synchronized (log) {
      stream = List.copyOf(log.streams.getOrDefault(streamId, List.of()));
    }
    int from = (int) Math.min(Math.max(fromVersion - 1, 0), stream.size());
    return new EventStream(streamId, stream.size(),
        stream.subList(from, stream.size()).stream().map(types::upcast).toList());
  }

  @Override
  public LogPage readLog(LogPosition after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    List<RecordedEvent> page;
    synchronized (log) {
      int from = (int) Math.min(Math.max(after.position(), 0), log.events.size());
      int to = (int) Math.min((long) from + limit, log.events.size());
      page = List.copyOf(log.events.subList(from, to));
    }
    return new LogPage(page.stream().map(types::upcast).toList(), false);
  }

  @Override
  public LogPage readActor(String actor, LogPosition after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    List<RecordedEvent> page;
    synchronized (log) {
      page = log.events.stream().skip(Math.max(after.position(), 0))
          .filter(e -> actor.equals(e.metadata().actor())).limit(limit).toList();
    }
    return new LogPage(page.stream().map(types::upcast).toList(), false);
  }

  @Override
  public Optional<LogPosition> locate(long position) {
    synchronized (log) {
      return position >= 1 && position <= log.events.size()
          ? Optional.of(log.events.get((int) position - 1).logPosition())
          : Optional.empty();
    }
  }

  @Override
  public long head() {
    synchronized (log) {
      return log.events.size();
    }
  }

  @Override
  public Subscription subscribe(String name, LogPosition after, int batchSize, LogSubscriber.Consumer consumer) {
    return new LogTailer(name, this, log.signal, after, batchSize, consumer, Duration.ofSeconds(1), Duration.ZERO).start();
  }
}
