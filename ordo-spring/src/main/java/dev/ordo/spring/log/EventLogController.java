package dev.ordo.spring.log;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventStream;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.NotFoundException;
import java.util.List;
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

  record LogPageView(List<EventView> events, long next) {}

  record ActorView(String actor, List<EventView> events, long next) {}

  record StreamView(String streamId, long version, List<EventView> events) {}

  private final EventStore store;

  public EventLogController(EventStore store) {
    this.store = store;
  }

  /**
   * Events after a position, in log order. A page may end early while an older transaction is
   * still open; continuing from {@code next} never skips an event.
   */
  @GetMapping("/events")
  public LogPageView events(@RequestParam(defaultValue = "0") long after,
      @RequestParam(defaultValue = "100") int limit) {
    LogPosition from = from(after, limit);
    LogPage page = store.readLog(from, limit);
    return new LogPageView(page.events().stream().map(EventView::of).toList(), page.next(from).position());
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
