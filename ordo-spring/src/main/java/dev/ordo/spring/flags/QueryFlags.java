package dev.ordo.spring.flags;

import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Feature flags (seed 000 §10.3): per query family, whether it answers from its read model (the
 * default) or from the write side. Each change is an event ({@value #CHANGED}) on the family's own
 * stream, with who changed it; every instance reads the streams again every {@link #REFRESH_SECONDS}
 * seconds, so a change made on one instance reaches the others within that.
 */
public final class QueryFlags implements AutoCloseable {

  public enum Source {
    READ_MODEL("read-model"), WRITE_SIDE("write-side");

    private final String label;

    Source(String label) {
      this.label = label;
    }

    public String label() {
      return label;
    }

    public static Optional<Source> of(String label) {
      for (Source source : values()) {
        if (source.label.equals(label)) {
          return Optional.of(source);
        }
      }
      return Optional.empty();
    }
  }

  /** A family's flag: where it answers from, and the change that set it (null times: never changed). */
  public record Flag(String family, String description, String source, Instant changedAt, String changedBy,
      long version) {}

  static final String STREAM_TYPE = "query-flag";
  static final String CHANGED = "QuerySourceChanged";
  static final int REFRESH_SECONDS = 2;

  /** The event type the flags' streams hold; the store must know it to accept a change. */
  public static final EventTypes TYPES = EventTypes.builder().type(CHANGED, 1).build();

  private static final Logger log = LoggerFactory.getLogger(QueryFlags.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final EventStore store;
  private final Map<String, QueryFamily> families = new LinkedHashMap<>();
  private volatile Map<String, Flag> flags = Map.of();
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread thread = new Thread(r, "ordo-query-flags");
    thread.setDaemon(true);
    return thread;
  });

  public QueryFlags(EventStore store, List<QueryFamily> families) {
    this.store = store;
    families.forEach(f -> this.families.put(f.name(), f));
    refresh();
    refresher.scheduleWithFixedDelay(this::refreshQuietly, REFRESH_SECONDS, REFRESH_SECONDS, TimeUnit.SECONDS);
  }

  /** Whether the family's queries should answer from the write side now. */
  public boolean writeSide(String family) {
    Flag flag = flags.get(family);
    return flag != null && flag.source().equals(Source.WRITE_SIDE.label());
  }

  public List<Flag> flags() {
    return List.copyOf(flags.values());
  }

  public boolean knows(String family) {
    return families.containsKey(family);
  }

  /** Records the change as an event and applies it here at once; other instances follow within seconds. */
  public Flag set(String family, Source source, String actor, String correlationId) {
    if (!knows(family)) {
      throw new IllegalArgumentException("no query family " + family);
    }
    String data = JSON.createObjectNode().put("family", family).put("source", source.label()).toString();
    store.append(stream(family), STREAM_TYPE, ExpectedVersion.any(),
        List.of(NewEvent.of(CHANGED, 1, data).withMetadata(new EventMetadata(correlationId, null, actor, null))));
    refresh();
    return flags.get(family);
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      log.warn("query flags not refreshed (kept as they were): {}", e.getMessage());
    }
  }

  private synchronized void refresh() {
    Map<String, Flag> read = new LinkedHashMap<>();
    for (QueryFamily family : families.values()) {
      List<RecordedEvent> events = store.readStream(stream(family.name()), 1).events();
      Flag flag = new Flag(family.name(), family.description(), Source.READ_MODEL.label(), null, null, 0);
      if (!events.isEmpty()) {
        RecordedEvent last = events.getLast();
        JsonNode data = JSON.readTree(last.data());
        flag = new Flag(family.name(), family.description(), data.path("source").asString(), last.occurredAt(),
            last.metadata().actor(), last.version());
      }
      read.put(family.name(), flag);
    }
    flags = read;
  }

  private static String stream(String family) {
    return "query-flag-" + family;
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
