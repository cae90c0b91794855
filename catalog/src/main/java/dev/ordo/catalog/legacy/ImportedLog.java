package dev.ordo.catalog.legacy;

import dev.ordo.catalog.CatalogTypes;
import dev.ordo.catalog.category.Category;
import dev.ordo.catalog.legacy.Reconciliation.Figures;
import dev.ordo.catalog.product.Product;
import dev.ordo.catalog.store.Store;
import dev.ordo.command.AggregateType;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What an import wrote, read back from the log: every imported event ({@code importedFrom} set) of
 * the expected streams, folded per stream through the catalog's deciders, as counts and sums.
 *
 * <p>One pass over the log from where the source's first run began, not a read per stream (100,000
 * queries): an import appends each stream's events in one append, so they lie together in the log
 * and a stream is folded as its run of events passes, holding one state at a time. A stream whose
 * imported events lie apart (written by two appends) is read whole afterwards. Events the catalog's
 * commands appended later are not the import's: a price changed since does not count.
 */
final class ImportedLog {

  /** The kinds of streams an import writes, with the figures one stream of each adds. */
  enum Kind {
    STORE(CatalogTypes.STORE, (Store s) -> new Figures(1, 0, 0, 0, 0, 0, 0, 0)),
    CATEGORY(CatalogTypes.CATEGORY, (Category c) -> new Figures(0, 1, 0, 0, 0, 0, 0, 0)),
    PRODUCT(CatalogTypes.PRODUCT, (Product p) -> new Figures(0, 0, 1, p.images().size(), p.reviewCount(), p.price(),
        p.stock(), p.ratingSum()));

    final Folding<?, ?, ?> folding;

    <C, S, E> Kind(AggregateType<C, S, E> type, Function<S, Figures> figures) {
      this.folding = new Folding<>(type, figures);
    }
  }

  /** An aggregate type's fold of imported events, and the figures its state adds. */
  record Folding<C, S, E>(AggregateType<C, S, E> type, Function<S, Figures> figures) {

    /** The figures of these events folded from the initial state; null when they make no aggregate. */
    Figures of(List<RecordedEvent> events) {
      S state = type.decider().initialState();
      for (RecordedEvent event : events) {
        state = type.decider().evolve(state, type.codec().decode(event));
      }
      return events.isEmpty() ? null : figures.apply(state);
    }
  }

  /** The figures, and the streams found in the log by kind (their rows are what the read model is asked for). */
  record Written(Figures figures, Map<Kind, List<String>> streams) {}

  private static final int PAGE = 10_000;

  private final EventStore store;

  ImportedLog(EventStore store) {
    this.store = store;
  }

  /**
   * Reads the log after {@code from} up to {@code until} (an event appended once every import append
   * had committed), folding the imported events of {@code expected}'s streams.
   *
   * @param stop checked between pages; throws to stop
   */
  Written read(LogPosition from, LogPosition until, Map<String, Kind> expected, Runnable stop)
      throws InterruptedException {
    Map<String, Figures> byStream = new HashMap<>();
    List<String> scattered = new ArrayList<>();
    List<RecordedEvent> run = new ArrayList<>();
    LogPosition after = from;
    while (after.compareTo(until) < 0) {
      stop.run();
      LogPage page = store.readLog(after, PAGE);
      if (page.events().isEmpty()) {
        Thread.sleep(5); // an older transaction still open: what it writes comes before what follows
        continue;
      }
      for (RecordedEvent event : page.events()) {
        if (event.logPosition().compareTo(until) >= 0) {
          after = until;
          break;
        }
        after = event.logPosition();
        if (event.metadata().importedFrom() == null || !expected.containsKey(event.streamId())) {
          continue;
        }
        if (!run.isEmpty() && !run.getFirst().streamId().equals(event.streamId())) {
          fold(run, expected, byStream, scattered);
        }
        run.add(event);
      }
    }
    fold(run, expected, byStream, scattered);
    for (String streamId : scattered) {
      List<RecordedEvent> imported = store.readStream(streamId, 1).events().stream()
          .filter(e -> e.metadata().importedFrom() != null).toList();
      Figures figures = expected.get(streamId).folding.of(imported);
      if (figures != null) {
        byStream.put(streamId, figures);
      }
    }
    Figures figures = Figures.NONE;
    Map<Kind, List<String>> streams = new HashMap<>();
    for (Kind kind : Kind.values()) {
      streams.put(kind, new ArrayList<>());
    }
    for (Map.Entry<String, Figures> stream : byStream.entrySet()) {
      figures = figures.plus(stream.getValue());
      streams.get(expected.get(stream.getKey())).add(stream.getKey());
    }
    return new Written(figures, streams);
  }

  private static void fold(List<RecordedEvent> run, Map<String, Kind> expected, Map<String, Figures> byStream,
      List<String> scattered) {
    if (run.isEmpty()) {
      return;
    }
    String streamId = run.getFirst().streamId();
    if (byStream.containsKey(streamId)) {
      scattered.add(streamId); // its imported events lie apart: read whole afterwards
    } else {
      byStream.put(streamId, expected.get(streamId).folding.of(run));
    }
    run.clear();
  }
}
