package dev.ordo.spring.verify;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.spring.query.ReadModels;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciliation job: every stream of each checked aggregate type folded and held against its
 * read model's row, rows no stream explains found, and with {@code repair} each read model that
 * differs rebuilt (blue/green, queries keep answering) and checked again. One job at a time, in the
 * background; jobs are kept in memory until the app stops.
 */
public final class Verifications implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Verifications.class);
  private static final int BATCH = 500;
  private static final Duration CATCH_UP = Duration.ofMinutes(5);

  private final EventStore store;
  private final ReadModels readModels;
  private final Map<String, ReadModelCheck> checks;
  private final Map<UUID, Verification> jobs = new ConcurrentHashMap<>();
  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> {
    Thread thread = new Thread(r, "ordo-verify");
    thread.setDaemon(true);
    return thread;
  });

  public Verifications(EventStore store, ReadModels readModels, List<ReadModelCheck> checks) {
    this.store = store;
    this.readModels = readModels;
    this.checks = checks.stream().collect(Collectors.toMap(ReadModelCheck::readModel, Function.identity(),
        (a, b) -> a, LinkedHashMap::new));
  }

  public Set<String> readModels() {
    return checks.keySet();
  }

  /** Starts a run over one read model (null: every one that has a check). */
  public Verification start(String readModel, boolean repair) {
    if (readModel != null && !checks.containsKey(readModel)) {
      throw new IllegalArgumentException(readModel);
    }
    var job = new Verification(readModel, repair);
    jobs.put(job.getId(), job);
    runner.execute(() -> run(job));
    return job;
  }

  public Optional<Verification> job(UUID id) {
    return Optional.ofNullable(jobs.get(id));
  }

  public List<Verification> jobs() {
    return List.copyOf(jobs.values());
  }

  private void run(Verification job) {
    try {
      List<ReadModelCheck> chosen = job.getReadModel() == null ? List.copyOf(checks.values())
          : List.of(checks.get(job.getReadModel()));
      long head = store.head();
      if (!readModels.awaitApplied(head, CATCH_UP)) {
        throw new IllegalStateException("the read models did not reach position " + head + " within " + CATCH_UP);
      }
      Map<String, Set<String>> streams = streams(job, head, chosen);
      for (ReadModelCheck check : chosen) {
        Set<String> ids = streams.get(check.streamType());
        List<String> differing = compare(job, check, ids);
        if (job.isRepair() && !differing.isEmpty()) {
          repair(job, check, differing);
        }
      }
      job.finish(null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      job.finish("interrupted");
    } catch (RuntimeException e) {
      log.warn("verification {} failed", job.getId(), e);
      job.finish(e.getMessage());
    }
  }

  /** The ids of every stream of the checked types, read from the log up to {@code head}. */
  private Map<String, Set<String>> streams(Verification job, long head, List<ReadModelCheck> chosen) {
    Map<String, Set<String>> streams = new LinkedHashMap<>();
    chosen.forEach(c -> streams.put(c.streamType(), new LinkedHashSet<>()));
    job.phase("reading the log", head);
    LogPosition at = LogPosition.START;
    while (true) {
      LogPage page = store.readLog(at, 1_000);
      for (RecordedEvent e : page.events()) {
        Set<String> ids = streams.get(e.streamType());
        if (ids != null && e.position() <= head) {
          ids.add(e.streamId());
        }
      }
      at = page.next(at);
      job.step(page.events().size());
      if (page.events().isEmpty() || at.position() >= head) {
        return streams;
      }
    }
  }

  /** Every stream against its row, then every row against the streams; the ids that differ. */
  private List<String> compare(Verification job, ReadModelCheck check, Set<String> ids) throws InterruptedException {
    job.phase("comparing " + check.readModel(), ids.size());
    List<String> differing = new ArrayList<>();
    List<String> batch = new ArrayList<>(BATCH);
    for (String id : ids) {
      batch.add(id);
      if (batch.size() == BATCH) {
        differing.addAll(compareBatch(job, check, batch));
        batch.clear();
      }
    }
    differing.addAll(compareBatch(job, check, batch));
    job.phase("looking for rows without a stream in " + check.readModel(), 0);
    String after = null;
    while (true) {
      List<String> rows = check.ids(after, BATCH);
      for (String id : rows) {
        if (!ids.contains(id) && !store.readStream(id, 1).exists()) {
          job.found(new Verification.Difference(check.readModel(), id, "row", null, "present"));
          differing.add(id);
        }
      }
      job.step(rows.size());
      if (rows.size() < BATCH) {
        return differing;
      }
      after = rows.getLast();
    }
  }

  /**
   * A batch of streams against their rows. A row may lag a write made while the job runs: a
   * difference is looked at again a few times before it counts.
   */
  private List<String> compareBatch(Verification job, ReadModelCheck check, List<String> ids)
      throws InterruptedException {
    if (ids.isEmpty()) {
      return List.of();
    }
    List<String> suspects = List.copyOf(ids);
    List<Verification.Difference> found = List.of();
    for (int attempt = 0; attempt < 4 && !suspects.isEmpty(); attempt++) {
      if (attempt > 0) {
        Thread.sleep(100L << attempt);
      }
      Map<String, Map<String, Object>> stored = check.stored(suspects);
      found = new ArrayList<>();
      for (String id : suspects) {
        found.addAll(differences(check, id, check.expected(id), stored.get(id)));
      }
      suspects = found.stream().map(Verification.Difference::id).distinct().toList();
    }
    found.forEach(job::found);
    job.step(ids.size());
    job.checked(ids.size());
    return suspects;
  }

  private static List<Verification.Difference> differences(ReadModelCheck check, String id,
      Map<String, Object> expected, Map<String, Object> stored) {
    if (expected == null && stored == null) {
      return List.of();
    }
    if (expected == null || stored == null) {
      return List.of(new Verification.Difference(check.readModel(), id, "row", expected == null ? null : "present",
          stored == null ? null : "present"));
    }
    List<Verification.Difference> found = new ArrayList<>();
    expected.forEach((field, value) -> {
      if (!Objects.equals(value, stored.get(field))) {
        found.add(new Verification.Difference(check.readModel(), id, field, value, stored.get(field)));
      }
    });
    return found;
  }

  /** Rebuilds the read model beside the one answering, waits for it to take over, checks the ids again. */
  private void repair(Verification job, ReadModelCheck check, List<String> differing) throws InterruptedException {
    job.phase("rebuilding " + check.readModel(), differing.size());
    var host = readModels.host(check.readModel())
        .orElseThrow(() -> new IllegalStateException(check.readModel() + " is not run here: it cannot be rebuilt"));
    int generation = host.rebuild().generation();
    long deadline = System.nanoTime() + CATCH_UP.toNanos();
    while (host.status().rebuild() != null || host.status().active().generation() != generation) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(check.readModel() + " generation " + generation + " did not take over in time");
      }
      Thread.sleep(50);
    }
    Map<String, Map<String, Object>> stored = new LinkedHashMap<>();
    for (int i = 0; i < differing.size(); i += BATCH) {
      stored.putAll(check.stored(differing.subList(i, Math.min(differing.size(), i + BATCH))));
    }
    for (String id : differing) {
      if (differences(check, id, check.expected(id), stored.get(id)).isEmpty()) {
        job.repaired(1);
      }
      job.step(1);
    }
  }

  @Override
  public void close() {
    runner.shutdownNow();
  }
}
