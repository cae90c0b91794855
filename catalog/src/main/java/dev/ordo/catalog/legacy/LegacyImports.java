package dev.ordo.catalog.legacy;

import dev.ordo.catalog.category.Category;
import dev.ordo.catalog.category.CategoryCommand;
import dev.ordo.catalog.category.CategoryEvent;
import dev.ordo.catalog.legacy.ImportEvent.ImportStarted;
import dev.ordo.catalog.legacy.ImportEvent.Progress;
import dev.ordo.catalog.store.Store;
import dev.ordo.catalog.store.StoreCommand;
import dev.ordo.catalog.store.StoreEvent;
import dev.ordo.command.Aggregates;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.TimeOrderedUuid;
import dev.ordo.spring.problem.ConflictException;
import dev.ordo.spring.problem.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The imports of legacy catalogs: starts a run (resuming the last one of the same source if it did
 * not complete), one at a time per source, and tells each run's status from the run itself while
 * it runs here, else from its events.
 *
 * <p>One process runs a source's import: a run the log shows as running that this process does not
 * run is taken as interrupted (its process stopped), and a new run of its source resumes it.
 */
public final class LegacyImports implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LegacyImports.class);

  /** How long the source may take to answer a connection. */
  private static final int CONNECT_TIMEOUT_SECONDS = 10;

  private final EventStore store;
  private final Aggregates<StoreCommand, Store, StoreEvent> stores;
  private final Aggregates<CategoryCommand, Category, CategoryEvent> categories;
  private final Consumer<Object> shapes;
  private final ReadModelFigures readModel;
  private final LegacyImport.Settings settings;
  /** The run of each source running here, by source key. */
  private final Map<String, String> running = new ConcurrentHashMap<>();
  /** Runs started by this process, by id. */
  private final Map<String, LegacyImport> runs = new ConcurrentHashMap<>();

  LegacyImports(EventStore store, Aggregates<StoreCommand, Store, StoreEvent> stores,
      Aggregates<CategoryCommand, Category, CategoryEvent> categories, Consumer<Object> shapes,
      ReadModelFigures readModel, LegacyImport.Settings settings) {
    this.store = store;
    this.stores = stores;
    this.categories = categories;
    this.shapes = shapes;
    this.readModel = readModel;
    this.settings = settings;
  }

  /**
   * Connects to the source and starts a run; returns its status.
   *
   * @throws InvalidInputException             a missing or malformed field
   * @throws ConflictException                 a run of the same source is running
   * @throws LegacyCatalog.SourceRefused       the source cannot be reached, refuses the login or lacks the tables
   */
  public Map<String, Object> start(String url, String user, String password, String actor)
      throws LegacyCatalog.SourceRefused {
    SourceUrl source = SourceUrl.parse(url);
    if (user == null || user.isBlank()) {
      throw new InvalidInputException("user", "is required");
    }
    String id = TimeOrderedUuid.next().toString();
    String other = running.putIfAbsent(source.key(), id);
    if (other != null) {
      throw new ConflictException("import-running", "an import of " + source + " is running: /api/v1/imports/" + other);
    }
    LegacyCatalog catalog = null;
    try {
      catalog = LegacyCatalog.open(source, user, password, CONNECT_TIMEOUT_SECONDS);
      Optional<ImportRun> last = latest(source.key());
      // the last run of the source, if it did not complete: resumed from its checkpoint
      Optional<ImportRun> resumed = last.filter(r -> r.state() != ImportRun.State.COMPLETED);
      var started = new ImportStarted(id, source.display(), source.key(), actor,
          resumed.map(ImportRun::id).orElse(null),
          resumed.map(ImportRun::progress).orElse(Progress.start(0)),
          resumed.map(ImportRun::rejected).orElse(List.of()),
          last.map(ImportRun::logFrom).orElseGet(store::head));
      var appended = store.append(ImportEvent.INDEX, ImportEvent.STREAM_TYPE, ExpectedVersion.any(),
          List.of(ImportEvent.CODEC.encode(started, new EventMetadata(id, null, actor, null))));
      var run = new LegacyImport(ImportRun.started(started, store.readStream(ImportEvent.INDEX, appended.version())
          .events().getFirst().occurredAt()), store, catalog, new ImportedStreams(shapes, id), stores, categories,
          readModel, settings, () -> running.remove(source.key(), id));
      runs.put(id, run);
      run.start();
      log.info("import {} of {} started by {}{}", id, source, actor,
          resumed.map(r -> ", resuming " + r.id() + " from " + r.progress().phase().label
              + (r.progress().after() == null ? "" : " after " + r.progress().after())).orElse(""));
      return run.status().view();
    } catch (RuntimeException | LegacyCatalog.SourceRefused e) {
      running.remove(source.key(), id);
      if (catalog != null && !runs.containsKey(id)) {
        catalog.close();
      }
      throw e;
    }
  }

  /** A run's status, or empty if there is no such run. */
  public Optional<Map<String, Object>> status(String id) {
    return find(id).map(ImportRun::view);
  }

  /** Every run, the latest first. */
  public List<Map<String, Object>> list() {
    List<Map<String, Object>> all = new ArrayList<>();
    List<RecordedEvent> index = store.readStream(ImportEvent.INDEX, 1).events();
    for (RecordedEvent event : index.reversed()) {
      ImportStarted started = (ImportStarted) ImportEvent.CODEC.decode(event);
      all.add(current(started, event).view());
    }
    return all;
  }

  /**
   * Asks a running run to stop after the pages it is appending (it then stands FAILED, "cancelled");
   * a later run of its source resumes it.
   *
   * @throws ConflictException when the run is not running
   */
  public Optional<Map<String, Object>> cancel(String id, String actor) {
    LegacyImport run = runs.get(id);
    if (run != null && run.running()) {
      run.stop("cancelled by " + actor);
      return Optional.of(run.status().view());
    }
    if (find(id).isEmpty()) {
      return Optional.empty();
    }
    throw new ConflictException("import-not-running", "import " + id + " is not running");
  }

  private Optional<ImportRun> find(String id) {
    if (!isUuid(id)) {
      return Optional.empty();
    }
    LegacyImport run = runs.get(id);
    if (run != null) {
      return Optional.of(run.status());
    }
    for (RecordedEvent event : store.readStream(ImportEvent.INDEX, 1).events()) {
      if (event.metadata() != null && id.equals(event.metadata().correlationId())) {
        return Optional.of(current((ImportStarted) ImportEvent.CODEC.decode(event), event));
      }
    }
    return Optional.empty();
  }

  /** The last run of a source, as it stands. */
  private Optional<ImportRun> latest(String sourceKey) {
    List<RecordedEvent> index = store.readStream(ImportEvent.INDEX, 1).events();
    for (RecordedEvent event : index.reversed()) {
      ImportStarted started = (ImportStarted) ImportEvent.CODEC.decode(event);
      if (started.sourceKey().equals(sourceKey)) {
        return Optional.of(current(started, event));
      }
    }
    return Optional.empty();
  }

  /** A run folded from its events; if it runs here, as it stands now; if it ran elsewhere and never ended, interrupted. */
  private ImportRun current(ImportStarted started, RecordedEvent startedEvent) {
    LegacyImport live = runs.get(started.importId());
    if (live != null) {
      return live.status();
    }
    ImportRun run = ImportRun.started(started, startedEvent.occurredAt());
    for (RecordedEvent event : store.readStream(ImportEvent.streamOf(started.importId()), 1).events()) {
      run = run.evolve(ImportEvent.CODEC.decode(event), event.occurredAt());
    }
    return run.interrupted();
  }

  private static boolean isUuid(String id) {
    try {
      return id != null && id.length() == 36 && UUID.fromString(id).toString().equals(id);
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /** Stops the runs of this process (each records itself interrupted) and waits a little for them. */
  @Override
  public void close() {
    runs.values().forEach(run -> run.stop("interrupted: the application stopped; POST the same source again to "
        + "resume from the last checkpoint"));
    for (LegacyImport run : runs.values()) {
      try {
        run.join(Duration.ofSeconds(30));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
