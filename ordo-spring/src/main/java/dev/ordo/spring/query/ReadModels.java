package dev.ordo.spring.query;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.ProjectionRunner;
import dev.ordo.projection.Projection;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The read database's projections, each run by a {@link ProjectionRunner}, and the wait behind
 * read-your-writes (API.md "Consistency and operations": {@code Ordo-Min-Position}).
 */
public final class ReadModels implements AutoCloseable {

  private final EventStore store;
  private final List<ProjectionRunner> runners;

  public ReadModels(EventStore store, DataSource readDatabase, List<Projection<Connection>> projections) {
    this.store = store;
    OrdoMigrations.migrateReadModel(readDatabase);
    this.runners = projections.stream().map(p -> new ProjectionRunner(store, readDatabase, p, 500).start()).toList();
  }

  /**
   * Waits until every projection has applied the event at {@code position}; false if the wait timed
   * out. A position no event has (yet) is waited for like any other.
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
      Thread.sleep(1);
      if (target.isEmpty()) {
        target = store.locate(position);
      }
    }
  }

  private boolean applied(LogPosition target) {
    return runners.stream().allMatch(r -> r.position().compareTo(target) >= 0);
  }

  @Override
  public void close() {
    runners.forEach(ProjectionRunner::close);
  }
}
