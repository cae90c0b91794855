package dev.ordo.catalog.legacy;

import dev.ordo.catalog.category.Category;
import dev.ordo.catalog.category.CategoryCommand;
import dev.ordo.catalog.category.CategoryEvent;
import dev.ordo.catalog.legacy.ImportEvent.ImportCompleted;
import dev.ordo.catalog.legacy.ImportEvent.ImportFailed;
import dev.ordo.catalog.legacy.ImportEvent.ImportProgressed;
import dev.ordo.catalog.legacy.ImportEvent.Phase;
import dev.ordo.catalog.legacy.ImportEvent.Progress;
import dev.ordo.catalog.legacy.ImportEvent.Rejection;
import dev.ordo.catalog.legacy.ImportedStreams.Imported;
import dev.ordo.catalog.legacy.ImportedStreams.Rejected;
import dev.ordo.catalog.legacy.Reconciliation.Figures;
import dev.ordo.catalog.store.Store;
import dev.ordo.catalog.store.StoreCommand;
import dev.ordo.catalog.store.StoreEvent;
import dev.ordo.command.Aggregates;
import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.UniqueKey;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of an import: stores, then categories (parents first), then products, a page at a time
 * in legacy id order; then the reconciliation. Each page's streams are appended concurrently (the
 * store combines them into few transactions) while the next page is read; a page done in order is
 * a checkpoint, recorded as an event of the run, which a later run of the same source resumes
 * from. Appending a stream already in the log changes nothing (its event ids are the row's), so a
 * page replayed after a crash, or a whole re-run, appends nothing new.
 */
final class LegacyImport implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(LegacyImport.class);

  /**
   * @param pageSize       legacy rows per page (and per checkpoint)
   * @param pagesInFlight  pages appending at once while the next is read
   * @param catchUpTimeout how long the reconciliation waits for product_read
   */
  record Settings(int pageSize, int pagesInFlight, Duration catchUpTimeout) {}

  /** What one stream's append came to. */
  private sealed interface Outcome {}

  /** {@code partly}: parts of the row refused while the rest imports (a review out of range). */
  private record Appended(int events, List<Rejection> partly) implements Outcome {}

  private record AlreadyThere(int events, List<Rejection> partly) implements Outcome {}

  private record Refused(Rejection rejection) implements Outcome {}

  /** A run asked to stop (cancelled, or the application stopping). */
  private static final class Stopped extends RuntimeException {
    Stopped(String reason) {
      super(reason, null, false, false);
    }
  }

  /** A legacy row to the stream it becomes, or the rule it breaks. */
  @FunctionalInterface
  private interface Translation {
    Imported<?> imported() throws Rejected;
  }

  /**
   * The appends of one page and what to do with each outcome once the page is done, in order.
   * {@code checkpoint}: once done, the run may resume after {@code last} (a page of a keyset);
   * false for a level of the category tree, which a resumed run does again.
   */
  private final class Page {
    final Phase phase;
    final String last;
    final int records;
    final boolean checkpoint;
    final List<String> names = new ArrayList<>();
    final List<Translation> translations = new ArrayList<>();
    final List<CompletableFuture<Outcome>> appends = new ArrayList<>();
    final List<Consumer<Outcome>> then = new ArrayList<>();
    final List<Rejection> rejected = new ArrayList<>();

    Page(Phase phase, String last, int records, boolean checkpoint) {
      this.phase = phase;
      this.last = last;
      this.records = records;
      this.checkpoint = checkpoint;
    }

    void append(String record, Translation translation, Consumer<Outcome> then) {
      names.add(record);
      translations.add(translation);
      this.then.add(then);
    }

    /**
     * The page's rows through the catalog's rules on the appenders' threads, then all its streams
     * appended at once: the store takes them in few large transactions, not as they trickle in.
     */
    void start() {
      List<CompletableFuture<Object>> translated = new ArrayList<>(translations.size());
      for (Translation translation : translations) {
        translated.add(CompletableFuture.supplyAsync(() -> {
          try {
            return translation.imported();
          } catch (Rejected e) {
            return new Refused(e.rejection);
          }
        }, appenders));
      }
      CompletableFuture<Void> all = CompletableFuture.allOf(translated.toArray(CompletableFuture[]::new));
      for (int i = 0; i < translated.size(); i++) {
        CompletableFuture<Object> one = translated.get(i);
        String record = names.get(i);
        appends.add(all.thenApplyAsync(v -> one.join() instanceof Imported<?> imported
            ? LegacyImport.this.append(imported, record) : (Outcome) one.join(), appenders));
      }
    }

    void reject(Rejection rejection) {
      rejected.add(rejection);
    }
  }

  private final String id;
  private final EventStore store;
  private final LegacyCatalog catalog;
  private final ImportedStreams streams;
  private final Aggregates<StoreCommand, Store, StoreEvent> stores;
  private final Aggregates<CategoryCommand, Category, CategoryEvent> categories;
  private final ReadModelFigures readModel;
  private final Settings settings;
  private final Runnable finished;
  private final ExecutorService appenders = Executors.newVirtualThreadPerTaskExecutor();
  /**
   * Pages whose appends are under way, finished in order by {@link #recorder}, which records each
   * page's checkpoint once its appends are done: the import thread goes on reading meanwhile, and
   * waits only while {@link Settings#pagesInFlight()} pages are.
   */
  private final LinkedBlockingQueue<Page> inFlight = new LinkedBlockingQueue<>();
  private final Semaphore window;
  private final Thread recorder;
  /** What failed a page: the run fails with it; the pages after it are not recorded. */
  private volatile RuntimeException pageFailed;
  /** Whether each store and category a product names exists: imported by this run, or looked up. */
  private final Map<String, Boolean> knownStores = new ConcurrentHashMap<>();
  private final Map<String, Boolean> knownCategories = new ConcurrentHashMap<>();
  /** The product names this run has claimed: a second product of a store with the same name is refused. */
  private final Set<UniqueKey> claimedNames = ConcurrentHashMap.newKeySet();
  private final Thread thread;

  /** Rejections of pages that are no checkpoint, recorded with the next one. */
  private final List<Rejection> unrecorded = new ArrayList<>();

  private volatile ImportRun run;
  private volatile String stopReason;
  private Progress progress;
  private long headAtStart;
  private volatile long appendedThisRun;
  private volatile long appendingNanos;
  private volatile long appendingSince;
  private long phaseStarted = System.nanoTime();

  LegacyImport(ImportRun run, EventStore store, LegacyCatalog catalog, ImportedStreams streams,
      Aggregates<StoreCommand, Store, StoreEvent> stores,
      Aggregates<CategoryCommand, Category, CategoryEvent> categories, ReadModelFigures readModel, Settings settings,
      Runnable finished) {
    this.id = run.id();
    this.run = run;
    this.progress = run.progress();
    this.store = store;
    this.catalog = catalog;
    this.streams = streams;
    this.stores = stores;
    this.categories = categories;
    this.readModel = readModel;
    this.settings = settings;
    this.finished = finished;
    this.thread = Thread.ofPlatform().name("ordo-import-" + id.substring(Math.max(0, id.length() - 8))).daemon()
        .unstarted(this);
    this.window = new Semaphore(settings.pagesInFlight());
    this.recorder = Thread.ofVirtual().name("ordo-import-recorder").unstarted(this::recordPages);
  }

  String id() {
    return id;
  }

  /** The run as it stands: what its events say, with the live rate; interrupted if it ended without saying how. */
  ImportRun status() {
    ImportRun now = run;
    if (now.state() != ImportRun.State.RUNNING) {
      return now;
    }
    return running() ? now.withEventsPerSecond(eventsPerSecond()) : now.interrupted();
  }

  boolean running() {
    return thread.isAlive();
  }

  void start() {
    recorder.start();
    thread.start();
  }

  /** Asks the run to stop after the pages it is appending; it then records itself failed with {@code reason}. */
  void stop(String reason) {
    if (stopReason == null) {
      stopReason = reason;
    }
  }

  void join(Duration timeout) throws InterruptedException {
    thread.join(timeout);
  }

  @Override
  public void run() {
    try (catalog; appenders) {
      Figures source = catalog.figures();
      progress = new Progress(progress.phase(), progress.after(), progress.done(),
          source.stores() + source.categories() + source.products(), progress.appended(), progress.alreadyThere(),
          progress.rejected());
      run = run.evolve(new ImportProgressed(id, progress, List.of()), Instant.now());
      headAtStart = store.head();
      appendingSince = System.nanoTime();
      if (progress.phase() == Phase.STORES) {
        stores();
      }
      if (progress.phase() == Phase.CATEGORIES) {
        categories();
      }
      if (progress.phase() == Phase.PRODUCTS) {
        products();
      }
      appendingNanos += System.nanoTime() - appendingSince;
      appendingSince = 0;
      // appended once every import append had committed: what they wrote is before it in the log, so
      // the log is read up to it, and product_read past it has applied them all (waited for meanwhile)
      LogPosition appended = store.locate(checkpoint(Phase.VERIFYING, List.of()).position()).orElseThrow();
      CompletableFuture<String> caughtUp = CompletableFuture.supplyAsync(() -> {
        try {
          return readModel.await(Optional.of(appended), settings.catchUpTimeout(), () -> stopReason != null);
        } catch (InterruptedException e) {
          throw new CompletionException(e);
        }
      }, appenders);
      ImportedLog.Written written = verify(appended);
      checkpoint(Phase.CATCHING_UP, List.of());
      String notAsked = caughtUp.join();
      checkStop();
      ReadModelFigures.Outcome read = readModel.figures(notAsked, written.streams().get(ImportedLog.Kind.STORE),
          written.streams().get(ImportedLog.Kind.CATEGORY), written.streams().get(ImportedLog.Kind.PRODUCT));
      Reconciliation reconciliation = Reconciliation.of(source, written.figures(), read.figures(), read.note());
      progress = withPhase(Phase.DONE, null);
      record(new ImportCompleted(id, progress, eventsPerSecond(), reconciliation));
      log.info("import {} done: {} events appended ({} already there) at {} events/s, {} rejected; reconciliation {}",
          id, progress.appended(), progress.alreadyThere(), Math.round(eventsPerSecond()), progress.rejected(),
          reconciliation.matches() ? "matches" : "does not match: " + reconciliation);
    } catch (Stopped e) {
      fail(e.getMessage());
    } catch (InterruptedException e) {
      fail("interrupted");
    } catch (SQLException e) {
      fail("reading the source failed: " + e.getMessage());
    } catch (RuntimeException e) {
      log.warn("import {} failed", id, e);
      fail(describe(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
    } finally {
      inFlight.add(new Page(null, null, 0, false)); // ends the recorder
      finished.run();
    }
  }

  private static String describe(Throwable e) {
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  /** Records the pages that made it (the appenders are closed: every append has ended), then the failure. */
  private void fail(String error) {
    awaitPages();
    if (appendingSince != 0) {
      appendingNanos += System.nanoTime() - appendingSince;
      appendingSince = 0;
    }
    try {
      record(new ImportFailed(id, progress, eventsPerSecond(), error));
      log.warn("import {} stopped: {}", id, error);
    } catch (RuntimeException e) {
      log.warn("import {} stopped ({}) and could not record it: {}", id, error, e.getMessage());
    }
  }

  private void checkStop() {
    if (stopReason != null) {
      throw new Stopped(stopReason);
    }
  }

  private void stores() throws SQLException {
    for (String after = progress.after(); ; ) {
      checkStop();
      List<LegacyCatalog.Store> rows = catalog.stores(after, settings.pageSize());
      if (rows.isEmpty()) {
        break;
      }
      after = rows.getLast().id();
      Page page = new Page(Phase.STORES, after, rows.size(), true);
      for (LegacyCatalog.Store row : rows) {
        String streamId = ImportedStreams.streamId("p_store", row.id());
        page.append("p_store/" + row.id(), () -> streams.store(row),
            outcome -> knownStores.put(streamId, !(outcome instanceof Refused)));
      }
      send(page);
    }
    drain();
    checkpoint(Phase.CATEGORIES, List.of());
  }

  /**
   * The whole tree at once (categories are few), level by level: product_read finds a category's
   * path in its parent's row, so a parent is in the log before its children. A resumed run does
   * the phase again (appending nothing it wrote before).
   */
  private void categories() throws SQLException {
    List<LegacyCatalog.Category> rows = catalog.categories();
    Set<String> legacyIds = new HashSet<>();
    rows.forEach(row -> legacyIds.add(row.id()));
    Map<String, List<LegacyCatalog.Category>> children = new HashMap<>();
    List<LegacyCatalog.Category> level = new ArrayList<>();
    List<Rejection> orphans = new ArrayList<>();
    for (LegacyCatalog.Category row : rows) {
      if (row.parentId() == null) {
        level.add(row);
      } else if (legacyIds.contains(row.parentId())) {
        children.computeIfAbsent(row.parentId(), k -> new ArrayList<>()).add(row);
      } else if (exists(knownCategories, categories, ImportedStreams.streamId("p_category", row.parentId()))) {
        level.add(row); // its parent is in the catalog already, not in the source
      } else {
        orphans.add(new Rejection("p_category/" + row.id(), "unknown-category: no parent category p_category/"
            + row.parentId()));
      }
    }
    while (!level.isEmpty()) {
      checkStop();
      Page page = new Page(Phase.CATEGORIES, null, level.size(), false);
      for (LegacyCatalog.Category row : level) {
        String streamId = ImportedStreams.streamId("p_category", row.id());
        page.append("p_category/" + row.id(), () -> streams.category(row),
            outcome -> knownCategories.put(streamId, !(outcome instanceof Refused)));
      }
      send(page);
      drain(); // this level in the log before the next
      List<LegacyCatalog.Category> next = new ArrayList<>();
      for (LegacyCatalog.Category row : level) {
        if (knownCategories.get(ImportedStreams.streamId("p_category", row.id()))) {
          next.addAll(children.getOrDefault(row.id(), List.of()));
        } else {
          rejectSubtree(row.id(), children, orphans);
        }
      }
      level = next;
    }
    Set<String> rejected = new HashSet<>();
    orphans.forEach(r -> rejected.add(r.record()));
    for (LegacyCatalog.Category row : rows) {
      if (!knownCategories.containsKey(ImportedStreams.streamId("p_category", row.id()))
          && !rejected.contains("p_category/" + row.id())) {
        orphans.add(new Rejection("p_category/" + row.id(), "unknown-category: its parents form a cycle"));
      }
    }
    progress = new Progress(progress.phase(), null, progress.done() + orphans.size(), progress.total(),
        progress.appended(), progress.alreadyThere(), progress.rejected() + orphans.size());
    checkpoint(Phase.PRODUCTS, orphans);
  }

  private static void rejectSubtree(String legacyId, Map<String, List<LegacyCatalog.Category>> children,
      List<Rejection> rejected) {
    for (LegacyCatalog.Category child : children.getOrDefault(legacyId, List.of())) {
      rejected.add(new Rejection("p_category/" + child.id(), "unknown-category: its parent p_category/" + legacyId
          + " was not imported"));
      rejectSubtree(child.id(), children, rejected);
    }
  }

  /** Each page read while the one before it is sent: the source's round trips off the import's way. */
  private void products() throws SQLException {
    CompletableFuture<List<LegacyCatalog.Product>> next = productsAfter(progress.after());
    try {
      while (true) {
        checkStop();
        List<LegacyCatalog.Product> rows = joinRead(next);
        if (rows.isEmpty()) {
          break;
        }
        String after = rows.getLast().id();
        next = productsAfter(after);
        Page page = new Page(Phase.PRODUCTS, after, rows.size(), true);
        for (LegacyCatalog.Product row : rows) {
          String record = "p_product/" + row.id();
          try {
            if (!exists(knownStores, stores, ImportedStreams.streamId("p_store", row.storeId()))) {
              throw new Rejected(record, "unknown-store: no store p_store/" + row.storeId());
            }
            if (!exists(knownCategories, categories, ImportedStreams.streamId("p_category", row.categoryId()))) {
              throw new Rejected(record, "unknown-category: no category p_category/" + row.categoryId());
            }
            // in page order, so which of two products of a store with the same name is refused is the same every run
            UniqueKey name = ImportedStreams.nameKey(row);
            if (name != null && !claimedNames.add(name)) {
              throw new Rejected(record, "product-name-taken: another product of store p_store/" + row.storeId()
                  + " has the name " + row.name().strip());
            }
            page.append(record, () -> streams.product(row), outcome -> { });
          } catch (Rejected e) {
            page.reject(e.rejection);
          }
        }
        send(page);
      }
    } finally {
      next.exceptionally(e -> null).join(); // the source's connection is free again
    }
    drain();
  }

  private CompletableFuture<List<LegacyCatalog.Product>> productsAfter(String after) {
    return CompletableFuture.supplyAsync(() -> {
      try {
        return catalog.products(after, settings.pageSize());
      } catch (SQLException e) {
        throw new CompletionException(e);
      }
    }, appenders);
  }

  private static <T> T joinRead(CompletableFuture<T> read) throws SQLException {
    try {
      return read.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof SQLException sql) {
        throw sql;
      }
      throw e;
    }
  }

  private static <C, S, E> boolean exists(Map<String, Boolean> known, Aggregates<C, S, E> aggregates, String id) {
    return known.computeIfAbsent(id, key -> aggregates.load(key).exists());
  }

  /** One stream appended; what the log made of it. */
  private Outcome append(Imported<?> imported, String record) {
    int events = imported.request().events().size();
    try {
      AppendResult result = store.append(imported.request());
      // an append answered with the result of the same events stored before (a re-run, a replayed page)
      return result.position() > headAtStart ? new Appended(events, imported.rejected())
          : new AlreadyThere(events, imported.rejected());
    } catch (EventStoreException.UniqueKeyTaken e) {
      String scope = e.key().scope();
      return new Refused(new Rejection(record, scope.substring(0, scope.indexOf(':') < 0 ? scope.length()
          : scope.indexOf(':')) + "-taken: " + e.getMessage()));
    } catch (EventStoreException.WrongExpectedVersion e) {
      return new Refused(new Rejection(record, "stream-exists: stream " + imported.streamId()
          + " holds events this import did not write"));
    } catch (IllegalArgumentException e) {
      return new Refused(new Rejection(record, "changed-in-source: imported before with other events; "
          + e.getMessage()));
    }
  }

  /** A page on its way: waits while the window is full, then leaves the page to the recorder. */
  private void send(Page page) {
    window.acquireUninterruptibly();
    page.start();
    inFlight.add(page);
    if (pageFailed != null) {
      throw pageFailed;
    }
  }

  /** Waits until every page sent is recorded; throws what failed one. */
  private void drain() {
    awaitPages();
    if (pageFailed != null) {
      throw pageFailed;
    }
  }

  private void awaitPages() {
    window.acquireUninterruptibly(settings.pagesInFlight());
    window.release(settings.pagesInFlight());
  }

  /** The recorder: finishes the pages in the order they were sent, each freeing its place in the window. */
  private void recordPages() {
    while (true) {
      Page page;
      try {
        page = inFlight.take();
      } catch (InterruptedException e) {
        return;
      }
      if (page.phase == null) {
        return; // the end
      }
      try {
        if (pageFailed == null) {
          finish(page);
        } else {
          CompletableFuture.allOf(page.appends.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
        }
      } catch (RuntimeException e) {
        pageFailed = e;
      } finally {
        window.release();
      }
    }
  }

  /**
   * Waits for a page's appends and counts them; a checkpoint is recorded in the log, another page's
   * progress only kept here. Throws the page's first failure: the run fails.
   */
  private void finish(Page page) {
    CompletableFuture.allOf(page.appends.toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    long appended = 0;
    long already = 0;
    List<Rejection> rejected = new ArrayList<>(page.rejected);
    for (int i = 0; i < page.appends.size(); i++) {
      Outcome outcome = page.appends.get(i).join();
      page.then.get(i).accept(outcome);
      switch (outcome) {
        case Appended a -> {
          appended += a.events();
          rejected.addAll(a.partly());
        }
        case AlreadyThere a -> {
          already += a.events();
          rejected.addAll(a.partly());
        }
        case Refused r -> rejected.add(r.rejection());
      }
    }
    appendedThisRun += appended;
    progress = new Progress(page.phase, page.checkpoint ? page.last : progress.after(), progress.done() + page.records,
        progress.total(), progress.appended() + appended, progress.alreadyThere() + already,
        progress.rejected() + rejected.size());
    if (page.checkpoint) {
      unrecorded.addAll(rejected);
      record(new ImportProgressed(id, progress, List.copyOf(unrecorded)));
      unrecorded.clear();
    } else {
      unrecorded.addAll(rejected);
      run = run.evolve(new ImportProgressed(id, progress, rejected), Instant.now());
    }
  }

  /** Moves the run to the start of {@code phase}, recorded in the log with what was rejected on the way. */
  private AppendResult checkpoint(Phase phase, List<Rejection> rejected) {
    long now = System.nanoTime();
    log.info("import {}: {} after {} ms, {} of {} records done, {} events appended", id, phase.label,
        (now - phaseStarted) / 1_000_000, progress.done(), progress.total(), appendedThisRun);
    phaseStarted = now;
    progress = withPhase(phase, null);
    unrecorded.addAll(rejected);
    AppendResult result = record(new ImportProgressed(id, progress, List.copyOf(unrecorded)));
    unrecorded.clear();
    return result;
  }

  private Progress withPhase(Phase phase, String after) {
    return new Progress(phase, after, progress.done(), progress.total(), progress.appended(), progress.alreadyThere(),
        progress.rejected());
  }

  private AppendResult record(ImportEvent event) {
    AppendResult result = store.append(ImportEvent.streamOf(id), ImportEvent.STREAM_TYPE, ExpectedVersion.any(),
        List.of(ImportEvent.CODEC.encode(event, new EventMetadata(id, null, ImportedStreams.ACTOR, null))));
    run = run.evolve(event, Instant.now());
    return result;
  }

  private double eventsPerSecond() {
    long nanos = appendingNanos + (appendingSince == 0 ? 0 : System.nanoTime() - appendingSince);
    return nanos <= 0 ? 0 : appendedThisRun / (nanos / 1e9);
  }

  /**
   * Every source record's stream as the import wrote it, read back from the log (one pass after the
   * position the source's first run began at) and folded through the catalog's deciders.
   */
  private ImportedLog.Written verify(LogPosition until) throws SQLException, InterruptedException {
    Map<String, ImportedLog.Kind> expected = new HashMap<>();
    expect("p_store", ImportedLog.Kind.STORE, expected);
    expect("p_category", ImportedLog.Kind.CATEGORY, expected);
    expect("p_product", ImportedLog.Kind.PRODUCT, expected);
    LogPosition from = run.logFrom() == 0 ? LogPosition.START : store.locate(run.logFrom()).orElse(LogPosition.START);
    return new ImportedLog(store).read(from, until, expected, this::checkStop);
  }

  private void expect(String table, ImportedLog.Kind kind, Map<String, ImportedLog.Kind> expected)
      throws SQLException {
    for (String after = null; ; ) {
      checkStop();
      List<String> ids = catalog.ids(table, after, 10_000);
      if (ids.isEmpty()) {
        return;
      }
      ids.forEach(id -> expected.put(ImportedStreams.streamId(table, id), kind));
      after = ids.getLast();
    }
  }
}
