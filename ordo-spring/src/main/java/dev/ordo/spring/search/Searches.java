package dev.ordo.spring.search;

import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.consumer.Source;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.postgres.checkpoints.PostgresCheckpoints;
import dev.ordo.search.IndexBatch;
import dev.ordo.search.SearchEngine;
import dev.ordo.search.SearchGeneration;
import dev.ordo.search.SearchIndexes;
import dev.ordo.search.korean.KoreanAnalysis;
import dev.ordo.search.lucene.LuceneIndexes;
import dev.ordo.search.opensearch.OpenSearchIndexes;
import dev.ordo.spring.process.ProcessStatus;
import dev.ordo.spring.process.Processes;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The application's search indexes, embedded (Lucene under {@code ordo.search.dir}) or in OpenSearch
 * when {@code ordo.search.url} names one (index {@code <name>_<log identity>}, behind a circuit
 * breaker): each followed
 * from the local log by the consumer mechanism, one runner per live generation, listed with the
 * processes ({@code kind: search}), its failures parked beside theirs, rebuilt beside the serving
 * generation on request or when its projection's version changes. A search answered from PostgreSQL
 * because the index could not answer is counted in {@code ordo.search.fallback} by index; the
 * OpenSearch circuit breakers are {@code resilience4j.circuitbreaker.*} (name {@code search-<index>}).
 *
 * <p>An index belongs to one log: its directory is named after the log's identity (a UUID its
 * database holds), so an application pointed at another database, or at one created again, never
 * answers from an index of the first.
 */
public final class Searches implements SmartLifecycle, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Searches.class);

  private static final String LOG_IDENTITY = """
      SELECT id::text FROM log_identity
      """;

  /**
   * @param directory where the indexes live, and the analysis files that replace the built-in ones
   *                  when present: {@code synonyms.txt}, {@code userdict.txt}, {@code accessories.txt}
   *                  (read at start; a changed user dictionary needs a rebuild, the others do not; in
   *                  OpenSearch, where the synonyms are index settings, a changed synonym file too)
   * @param url       the OpenSearch that holds the indexes; null: embedded Lucene under {@code directory}
   * @param timeout   how long a search may take before it counts as unavailable
   */
  public record Settings(Path directory, int batchSize, int maxAttempts, URI url, Duration timeout) {

    public Settings(Path directory, int batchSize, int maxAttempts) {
      this(directory, batchSize, maxAttempts, null, Duration.ofSeconds(2));
    }
  }

  private static final List<String> ANALYSIS_FILES = List.of("synonyms.txt", "userdict.txt", "accessories.txt");

  private final EventStore store;
  private final DataSource writeDatabase;
  private final PostgresCheckpoints parking;
  private final List<SearchIndexDefinition> definitions;
  private final Settings settings;
  private final MeterRegistry meters;
  private final Map<String, Counter> fallbacks = new LinkedHashMap<>();
  private final Map<String, Hosted> hosted = new ConcurrentHashMap<>();
  private final Set<String> unopened = ConcurrentHashMap.newKeySet();
  private volatile ScheduledExecutorService dropper;
  private KoreanAnalysis analysis;
  private Path root;

  /** One index: its generations, the engine that answers for it, the runner of each live one. */
  private record Hosted(SearchIndexDefinition definition, SearchIndexes indexes, SearchEngine engine,
      Map<SearchGeneration, ConsumerRunner<IndexBatch, LogPosition>> runners) {}

  /** Positions in the log: the global position is the external version OpenSearch orders writes by. */
  private static final SearchIndexes.Positions<LogPosition> POSITIONS = new SearchIndexes.Positions<>(
      LogPosition.START, p -> p.tx() + ":" + p.position(), Searches::decode, LogPosition::position);

  public Searches(EventStore store, DataSource writeDatabase, List<SearchIndexDefinition> definitions,
      Settings settings, Processes processes, MeterRegistry meters) {
    this.store = store;
    this.writeDatabase = writeDatabase;
    this.parking = new PostgresCheckpoints(writeDatabase);
    this.definitions = List.copyOf(definitions);
    this.settings = settings;
    this.meters = meters;
    for (SearchIndexDefinition definition : definitions) {
      processes.watch(definition.name(), watched(definition.name()));
      fallbacks.put(definition.name(), Counter.builder("ordo.search.fallback").tag("index", definition.name())
          .description("searches answered from PostgreSQL because the index could not answer").register(meters));
    }
  }

  /** Counts a search of the index that its engine could not answer, answered from PostgreSQL instead. */
  public void fellBack(String index) {
    Counter counter = fallbacks.get(index);
    if (counter != null) {
      counter.increment();
    }
  }

  /** The engine that answers for the index; it says it is unavailable until the index has caught up once. */
  public SearchEngine engine(String index) {
    Hosted running = hosted.get(index);
    return running == null ? Unstarted.ENGINE : running.engine();
  }

  public List<String> names() {
    return definitions.stream().map(SearchIndexDefinition::name).toList();
  }

  /** Starts the next generation of the index beside the serving one; its number. */
  public int rebuild(String index) {
    Hosted running = hosted.get(index);
    if (running == null) {
      throw new IllegalStateException("the search index " + index + " is not running");
    }
    SearchGeneration building = running.indexes().rebuild();
    run(running, building);
    return building.generation();
  }

  @Override
  public synchronized void start() {
    if (dropper != null) {
      return;
    }
    for (String file : ANALYSIS_FILES) {
      Path edited = settings.directory().resolve(file);
      log.info("search analysis: {} {}", file, Files.exists(edited) ? "from " + edited : "built in (" + edited
          + " replaces it)");
    }
    analysis = KoreanAnalysis.of(settings.directory().resolve("userdict.txt"),
        settings.directory().resolve("synonyms.txt"), settings.directory().resolve("accessories.txt"));
    root = settings.directory().resolve(logIdentity());
    dropper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ordo-search-drop").daemon()
        .factory());
    openMissing();
    dropper.scheduleWithFixedDelay(() -> {
      openMissing();
      dropRetired();
    }, 1, 1, TimeUnit.SECONDS);
  }

  /**
   * Opens the indexes not open yet. One that cannot be opened (its OpenSearch unreachable) is tried
   * again every second; meanwhile its engine says it is unavailable, so search answers another way
   * and the application starts all the same.
   */
  private synchronized void openMissing() {
    if (dropper == null) {
      return;
    }
    for (SearchIndexDefinition definition : definitions) {
      if (hosted.containsKey(definition.name())) {
        continue;
      }
      try {
        open(definition);
      } catch (UncheckedIOException e) {
        if (unopened.add(definition.name())) {
          log.warn("search index {} cannot be opened yet, tried again every second: {}", definition.name(),
              e.getMessage());
        }
      }
    }
  }

  private void open(SearchIndexDefinition definition) {
    Path directory = root.resolve(definition.name());
    Path version = directory.resolve("version");
    String wanted = Integer.toString(definition.projection().version());
    SearchIndexes indexes;
    SearchEngine engine;
    if (settings.url() == null) {
      indexes = LuceneIndexes.open(directory, definition.schemas(), analysis);
      engine = indexes.engine();
    } else {
      // one index per log, as the embedded directories are
      indexes = OpenSearchIndexes.open(settings.url(), definition.name() + "_" + root.getFileName().toString()
          .replace("-", ""), definition.schemas(), analysis, settings.timeout());
      engine = new SearchCircuitBreaker(definition.name(), indexes.engine(), Duration.ofSeconds(5), meters);
    }
    unopened.remove(definition.name());
    Hosted running = new Hosted(definition, indexes, engine, new ConcurrentHashMap<>());
    hosted.put(definition.name(), running);
    if (indexes.building().isEmpty() && !wanted.equals(read(version))) {
      log.info("search index {} is at projection version {}, wants {}: rebuilding it", definition.name(),
          read(version), wanted);
      indexes.rebuild();
    }
    write(version, wanted);
    for (SearchGeneration generation : indexes.live()) {
      run(running, generation);
    }
  }

  private void run(Hosted running, SearchGeneration generation) {
    var target = running.indexes().target(generation, running.definition().name(), POSITIONS, parking);
    running.runners().put(generation, new ConsumerRunner<>(Source.log(store), target,
        running.definition().projection(), settings.batchSize(), settings.maxAttempts()).start());
  }

  /** A generation a rebuild replaced: its runner stopped, its files deleted. */
  private void dropRetired() {
    for (Hosted running : hosted.values()) {
      for (var entry : running.runners().entrySet()) {
        if (entry.getValue().target().retired()) {
          entry.getValue().close();
          running.runners().remove(entry.getKey());
          running.indexes().drop(entry.getKey());
          log.info("search index {}: generation {} replaced and dropped", running.definition().name(),
              entry.getKey().generation());
        }
      }
    }
  }

  private String logIdentity() {
    try (Connection connection = writeDatabase.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(LOG_IDENTITY)) {
      rs.next();
      return rs.getString(1);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot name the log the search indexes follow", e);
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8).strip() : null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path file, String text) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where the serving generation stands, or the one being built while none serves. */
  private ProcessStatus status(String name) {
    Hosted running = hosted.get(name);
    if (running == null) {
      return new ProcessStatus(name, "SKIP", "STOPPED", 0, 0, 0, parking.parked(name));
    }
    SearchGeneration answering = running.indexes().serving().isPresent() ? running.indexes().serving().get()
        : running.indexes().building().orElse(null);
    var runner = answering == null ? null : running.runners().get(answering);
    if (runner == null) {
      return new ProcessStatus(name, "SKIP", "STOPPED", 0, 0, 0, parking.parked(name));
    }
    LogPosition at = runner.position();
    var lag = Source.log(store).lag(at);
    String state = runner.halted() ? "HALTED" : runner.stalled() ? "STALLED"
        : running.indexes().serving().isEmpty() ? "BUILDING" : "RUNNING";
    return new ProcessStatus(name, "SKIP", state, at.position(), lag.events(), lag.millis(), parking.parked(name),
        building(running, answering));
  }

  /** The generation being built beside the one that answers, if any. */
  private ProcessStatus.Building building(Hosted running, SearchGeneration answering) {
    SearchGeneration next = running.indexes().building().orElse(null);
    var runner = next == null || next.equals(answering) ? null : running.runners().get(next);
    if (runner == null) {
      return null;
    }
    LogPosition at = runner.position();
    String state = runner.halted() ? "HALTED" : runner.stalled() ? "STALLED" : "BUILDING";
    return new ProcessStatus.Building(next.generation(), state, at.position(), Source.log(store).lag(at).events());
  }

  /** Where the runner of the serving generation stands: a query asking for a position waits on it. */
  public Optional<LogPosition> position(String name) {
    Hosted running = hosted.get(name);
    return running == null ? Optional.empty()
        : running.indexes().serving().map(running.runners()::get).map(ConsumerRunner::position);
  }

  /**
   * Waits until the serving generation of the index has applied what {@code min} names (a log
   * position, or a stream's version once it is in the log); false if the wait timed out or nothing
   * serves.
   */
  public boolean awaitApplied(String index, dev.ordo.spring.query.MinPosition min, java.time.Duration timeout)
      throws InterruptedException {
    if (min.none()) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<LogPosition> target = Optional.empty();
    while (true) {
      if (target.isEmpty()) {
        target = min.streamId() == null ? store.locate(min.position())
            : store.readStream(min.streamId(), min.version()).events().stream().findFirst()
                .flatMap(e -> store.locate(e.position()));
      }
      LogPosition wanted = target.orElse(null);
      if (wanted != null && position(index).map(at -> at.compareTo(wanted) >= 0).orElse(false)) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(2);
    }
  }

  /** The generations of each index, for health: serving, building. */
  public Map<String, Map<String, Object>> generations() {
    Map<String, Map<String, Object>> all = new LinkedHashMap<>();
    for (SearchIndexDefinition definition : definitions) {
      Hosted running = hosted.get(definition.name());
      Map<String, Object> details = new LinkedHashMap<>();
      details.put("engine", settings.url() == null ? "lucene" : "opensearch");
      details.put("available", running != null && running.engine().available());
      if (running != null && settings.url() != null) {
        details.put("url", settings.url().toString());
        details.put("answers", running.indexes().reachable());
        if (running.engine() instanceof SearchCircuitBreaker breaker) {
          details.put("circuit", breaker.state().name());
        }
      }
      if (running != null) {
        running.indexes().serving().ifPresent(g -> details.put("serving", g.generation()));
        running.indexes().building().ifPresent(g -> details.put("building", g.generation()));
      }
      all.put(definition.name(), details);
    }
    return all;
  }

  private Processes.Watched watched(String name) {
    return new Processes.Watched() {
      @Override
      public String kind() {
        return "search";
      }

      @Override
      public ProcessStatus status() {
        return Searches.this.status(name);
      }

      @Override
      public List<PostgresCheckpoints.DeadLetter> deadLetters() {
        return parking.deadLetters(name);
      }

      @Override
      public boolean resolve(long deadLetterId, boolean retry) {
        return parking.resolve(name, deadLetterId, retry);
      }

      @Override
      public Optional<Integer> rebuild() {
        return Optional.of(Searches.this.rebuild(name));
      }
    };
  }

  @Override
  public synchronized void stop() {
    if (dropper == null) {
      return;
    }
    dropper.shutdownNow();
    dropper = null;
    unopened.clear();
    for (Hosted running : hosted.values()) {
      running.runners().values().forEach(ConsumerRunner::close);
      running.indexes().close();
    }
    hosted.clear();
  }

  @Override
  public boolean isRunning() {
    return dropper != null;
  }

  @Override
  public void close() {
    stop();
  }

  /** Before any index is open: nothing answers. */
  private static final class Unstarted {
    static final SearchEngine ENGINE = new SearchEngine() {
      @Override
      public String name() {
        return "lucene";
      }

      @Override
      public dev.ordo.search.SearchResult search(dev.ordo.search.SearchQuery query) {
        throw unavailable();
      }

      @Override
      public List<dev.ordo.search.SearchResult.Hit> suggest(String type, String prefix,
          Map<String, List<String>> filters, String popularity, int size) {
        throw unavailable();
      }

      @Override
      public List<dev.ordo.search.SearchResult.Hit> related(String type, String id, Map<String, List<String>> filters,
          int size) {
        throw unavailable();
      }

      @Override
      public boolean available() {
        return false;
      }

      private static dev.ordo.search.SearchUnavailableException unavailable() {
        return new dev.ordo.search.SearchUnavailableException("the search indexes are not open", null);
      }
    };
  }

  private static LogPosition decode(String text) {
    int colon = text.indexOf(':');
    return new LogPosition(Long.parseLong(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
  }
}
