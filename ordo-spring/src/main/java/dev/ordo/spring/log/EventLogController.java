package dev.ordo.spring.log;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventStream;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The log as it is stored: the global log in pages, and one stream (API.md "Consistency and operations"). */
@RestController
@RequestMapping("/api/v1")
public class EventLogController {

  static final int MAX_LIMIT = 1_000;

  /** How many events one filtered read looks at at most before it answers with what it found. */
  static final int MAX_SCAN = 20_000;

  /** @param head the log's highest position now: how far there is to go */
  record LogPageView(List<EventView> events, long next, long head) {}

  record ActorView(String actor, List<EventView> events, long next) {}

  record StreamView(String streamId, long version, List<EventView> events) {}

  private final EventStore store;

  public EventLogController(EventStore store) {
    this.store = store;
  }

  /**
   * Events after a position, in log order. A page may end early while an older transaction is
   * still open; continuing from {@code next} never skips an event. With {@code type},
   * {@code streamType} or {@code correlationId} only matching events are returned: the log is
   * scanned for them (no index serves these filters, so appends pay nothing for them), at most
   * {@link #MAX_SCAN} events per request; {@code next} says where the scan stopped, so a page may
   * hold fewer than {@code limit} events, or none, before the head is reached.
   */
  @GetMapping("/events")
  public LogPageView events(@RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "100") int limit, @RequestParam(required = false) String type,
      @RequestParam(required = false) String streamType, @RequestParam(required = false) String correlationId) {
    LogPosition from = from(after, limit);
    Predicate<RecordedEvent> wanted = filter("type", type, RecordedEvent::type)
        .and(filter("streamType", streamType, RecordedEvent::streamType))
        .and(filter("correlationId", correlationId, e -> e.metadata().correlationId()));
    long head = store.head();
    if (type == null && streamType == null && correlationId == null) {
      LogPage page = store.readLog(from, limit);
      return new LogPageView(page.events().stream().map(EventView::of).toList(), page.next(from).position(), head);
    }
    List<EventView> found = new ArrayList<>();
    LogPosition next = from;
    for (int scanned = 0; found.size() < limit && scanned < MAX_SCAN; ) {
      LogPage page = store.readLog(next, MAX_LIMIT);
      for (RecordedEvent e : page.events()) {
        next = e.logPosition();
        if (wanted.test(e) && found.add(EventView.of(e)) && found.size() == limit) {
          break;
        }
      }
      scanned += page.events().size();
      if (page.events().size() < MAX_LIMIT) {
        break;
      }
    }
    return new LogPageView(found, next.position(), head);
  }

  private static Predicate<RecordedEvent> filter(String name, String value, Function<RecordedEvent, String> field) {
    if (value == null) {
      return e -> true;
    }
    if (value.isBlank()) {
      throw new InvalidInputException(name, "must not be empty");
    }
    return e -> value.equals(field.apply(e));
  }

  /**
   * Who did what: the events an actor's commands wrote (their metadata's {@code actor}), in log
   * order, paged as {@link #events}. Admins only (the security rules).
   */
  @GetMapping("/actors/{actor}/history")
  public ActorView actor(@PathVariable String actor, @RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "100") int limit) {
    LogPosition from = from(after, limit);
    LogPage page = store.readActor(actor, from, limit);
    return new ActorView(actor, page.events().stream().map(EventView::of).toList(), page.next(from).position());
  }

  private LogPosition from(long after, int limit) {
    if (after < 0) {
      throw new InvalidInputException("after", "must not be negative");
    }
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new InvalidInputException("limit", "must be between 1 and " + MAX_LIMIT);
    }
    return after == 0
        ? LogPosition.START
        : store.locate(after).orElseThrow(() -> new InvalidInputException("after", "is not the position of an event"));
  }

  @GetMapping("/streams/{streamId}")
  public StreamView stream(@PathVariable String streamId, @RequestParam(defaultValue = "1") long fromVersion) {
    if (fromVersion < 1) {
      throw new InvalidInputException("fromVersion", "must be at least 1");
    }
    EventStream stream = store.readStream(streamId, fromVersion);
    if (!stream.exists()) {
      throw new NotFoundException("no stream " + streamId);
    }
    return new StreamView(streamId, stream.version(), stream.events().stream().map(EventView::of).toList());
  }
}
