package dev.ordo.spring.log;

import dev.ordo.command.Aggregates;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventStream;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.NotFoundException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Time travel for any aggregate (the admin console's): the state its decider folds from its stream
 * as of a version or a time, beside its current state. Only the aggregates this instance decides
 * are known; another service's streams are 404 here.
 */
@RestController
public class StreamStateController {

  /** A folded state and the version it stands at (0: the aggregate did not exist yet). */
  record Folded(long version, Object state) {

    static Folded of(Aggregates.Loaded<?> loaded) {
      return new Folded(loaded.version(), loaded.exists() ? loaded.state() : null);
    }
  }

  record StateView(String streamId, String streamType, Instant at, Folded then, Folded current) {}

  private final EventStore store;
  private final Map<String, Aggregates<?, ?, ?>> aggregates;

  public StreamStateController(EventStore store, ObjectProvider<Aggregates<?, ?, ?>> aggregates) {
    this.store = store;
    this.aggregates = aggregates.orderedStream()
        .collect(Collectors.toMap(a -> a.type().streamType(), Function.identity(), (a, b) -> a));
  }

  @GetMapping("/api/v1/streams/{streamId}/state")
  public StateView state(@PathVariable String streamId, @RequestParam(required = false) Long version,
      @RequestParam(required = false) String at) {
    if (version != null && at != null) {
      throw new InvalidInputException("at", "cannot be combined with version");
    }
    if (version != null && version < 1) {
      throw new InvalidInputException("version", "must be at least 1");
    }
    Instant when = at == null ? null : instant(at);
    EventStream stream = store.readStream(streamId, 1);
    if (!stream.exists()) {
      throw new NotFoundException("no stream " + streamId);
    }
    String type = stream.events().getFirst().streamType();
    Aggregates<?, ?, ?> aggregate = aggregates.get(type);
    if (aggregate == null) {
      throw new NotFoundException("streams of type " + type + " are not decided here");
    }
    Folded current = Folded.of(aggregate.load(streamId));
    Folded then = version != null ? Folded.of(aggregate.loadAtVersion(streamId, version))
        : when != null ? Folded.of(aggregate.loadAt(streamId, when)) : current;
    if (version != null && version > current.version()) {
      throw new NotFoundException("stream " + streamId + " has no version " + version + " (latest " + current.version() + ")");
    }
    return new StateView(streamId, type, when, then, current);
  }

  private static Instant instant(String at) {
    try {
      return OffsetDateTime.parse(at.strip()).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("at", "must be an ISO-8601 time with offset, like 2026-11-21T08:00:00Z");
    }
  }
}
