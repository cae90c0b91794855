package dev.ordo.spring.query;

import dev.ordo.consumer.Projection;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.readmodel.ProjectionHost;
import dev.ordo.spring.readmodel.TableProjection;
import dev.ordo.spring.tracing.TracedProjection;
import io.opentelemetry.api.trace.Tracer;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * The read database's projections, each hosted by a {@link ProjectionHost}, and the wait behind
 * read-your-writes (API.md "Consistency and operations": {@code Ordo-Min-Position}). Every second
 * the hosts follow the registry, so a rebuild started or finished by another instance is seen here.
 */
public final class ReadModels implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ReadModels.class);

  /**
   * Batch size and attempts before an event is parked as a dead letter; {@code run}: false for an
   * instance that only answers from read models others build (a read-model service's {@code api}).
   */
  public record Settings(int batchSize, int maxAttempts, boolean run) {
    public static final Settings DEFAULTS = new Settings(500, 5, true);
  }

  private final EventStore store;
  private final boolean run;
  private final Map<String, ProjectionHost> hosts = new LinkedHashMap<>();
  private final ScheduledExecutorService refresher;

  public ReadModels(EventStore store, DataSource readDatabase, List<TableProjection> projections, Settings settings) {
    this(store, readDatabase, projections, settings, null);
  }

  /** @param tracer applies each event with a sampled trace in a span of it; null: no spans */
  public ReadModels(EventStore store, DataSource readDatabase, List<TableProjection> projections, Settings settings,
      Tracer tracer) {
    this.store = store;
    this.run = settings.run();
    OrdoMigrations.migrateReadModel(readDatabase);
    for (TableProjection projection : projections) {
      Projection<Connection> applied = tracer == null ? projection : new TracedProjection<>(projection, tracer);
      var host = new ProjectionHost(store, readDatabase, applied, projection.tables(), settings.batchSize(),
          settings.maxAttempts());
      hosts.put(projection.name(), settings.run() ? host.start() : host.serveOnly());
    }
    refresher = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("ordo-projection-refresh").daemon().factory());
    refresher.scheduleWithFixedDelay(this::refresh, 1, 1, TimeUnit.SECONDS);
  }

  private void refresh() {
    for (ProjectionHost host : hosts.values()) {
      try {
        host.refresh();
      } catch (RuntimeException e) {
        log.warn("projection {} not refreshed: {}", host.projection().name(), e.getMessage());
      }
    }
  }

  public List<ProjectionHost> hosts() {
    return List.copyOf(hosts.values());
  }

  public Optional<ProjectionHost> host(String name) {
    return Optional.ofNullable(hosts.get(name));
  }

  /**
   * Waits until every projection's active generation has applied what {@code min} names: a
   * position of the log, or a stream's version once it is in the log (from Kafka, in a read-model
   * service); false if the wait timed out.
   */
  public boolean awaitApplied(MinPosition min, Duration timeout) throws InterruptedException {
    if (min.streamId() == null) {
      return awaitApplied(min.position(), timeout);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      var events = store.readStream(min.streamId(), min.version()).events();
      if (!events.isEmpty()) {
        return awaitApplied(events.getFirst().position(), Duration.ofNanos(Math.max(0, deadline - System.nanoTime())));
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(2);
    }
  }

  /**
   * Waits until every projection's active generation has applied the event at {@code position};
   * false if the wait timed out. A position no event has (yet) is waited for like any other.
   */
  public boolean awaitApplied(long position, Duration timeout) throws InterruptedException {
    if (position <= 0) {
      return true;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<LogPosition> target = store.locate(position);
    while (true) {
      if (target.isPresent() && applied(target.get())) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(run ? 1 : 10); // served only: each look is a query
      if (target.isEmpty()) {
        target = store.locate(position);
      }
    }
  }

  /**
   * Waits until one projection's active generation has applied the event at {@code target}; false
   * if the wait timed out (or the projection is not run here).
   */
  public boolean awaitApplied(String projection, LogPosition target, Duration timeout) throws InterruptedException {
    Optional<ProjectionHost> host = host(projection);
    long deadline = System.nanoTime() + timeout.toNanos();
    while (host.flatMap(ProjectionHost::activePosition).map(p -> p.compareTo(target) < 0).orElse(true)) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(1);
    }
    return true;
  }

  private boolean applied(LogPosition target) {
    return hosts.values().stream()
        .allMatch(h -> h.activePosition().map(p -> p.compareTo(target) >= 0).orElse(false));
  }

  /**
   * The generation of a projection that answers queries, when this process runs it, leads it and
   * its last batch did not fail: what an in-memory cache of its answers may be kept for.
   */
  public Optional<Integer> servingGeneration(String projection) {
    return host(projection).flatMap(ProjectionHost::servingGeneration);
  }

  /** A query's database failure as the caller should see it: unavailable (503) or a defect (500). */
  public static RuntimeException failure(SQLException e) {
    return DatabaseErrors.isUnavailable(e)
        ? new DataAccessResourceFailureException("read database: " + e.getMessage(), e)
        : new IllegalStateException("read database query failed: " + e.getMessage(), e);
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    hosts.values().forEach(ProjectionHost::close);
  }
}
