package dev.ordo.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.projection.Projection;
import dev.ordo.test.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A projection into a separate read database: exactly once, one runner at a time, resumable. */
class ProjectionRunnerIntegrationTests {

  private static final EventTypes TYPES = EventTypes.builder().type("Noted", 1).type("Ignored", 1).build();

  private HikariDataSource writeDatabase;
  private HikariDataSource readDatabase;
  private PostgresEventStore store;
  private final List<ProjectionRunner> runners = new ArrayList<>();

  /** Records every event it is given, in order, with no key: a double apply would show as a duplicate. */
  static class Recording implements Projection<Connection> {
    final AtomicInteger applied = new AtomicInteger();

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public int version() {
      return 1;
    }

    @Override
    public Set<String> eventTypes() {
      return Set.of("Noted");
    }

    @Override
    public void apply(RecordedEvent event, Connection target) throws Exception {
      try (PreparedStatement insert = target.prepareStatement(
          "INSERT INTO applied (event_id, position) VALUES (?, ?)")) {
        insert.setObject(1, event.eventId());
        insert.setLong(2, event.position());
        insert.executeUpdate();
      }
      applied.incrementAndGet();
    }
  }

  @BeforeEach
  void databases() throws Exception {
    writeDatabase = PostgresEventStoreContractTests.pool(TestPostgres.createDatabase(), 20);
    OrdoMigrations.migrateLog(writeDatabase);
    readDatabase = PostgresEventStoreContractTests.pool(TestPostgres.createDatabase(), 10);
    OrdoMigrations.migrateReadModel(readDatabase);
    try (Connection c = readDatabase.getConnection(); Statement s = c.createStatement()) {
      s.execute("CREATE TABLE applied (seq bigserial PRIMARY KEY, event_id uuid NOT NULL, position bigint NOT NULL)");
    }
    store = new PostgresEventStore(writeDatabase, TYPES);
  }

  @AfterEach
  void close() {
    runners.forEach(ProjectionRunner::close);
    store.close();
    writeDatabase.close();
    readDatabase.close();
  }

  private ProjectionRunner run(Projection<Connection> projection) {
    var runner = new ProjectionRunner(store, readDatabase, projection, 50).start();
    runners.add(runner);
    return runner;
  }

  private void append(int count) {
    for (int i = 0; i < count; i++) {
      String type = i % 5 == 4 ? "Ignored" : "Noted";
      store.append("s-" + (i % 17), "note", ExpectedVersion.any(), List.of(NewEvent.of(type, 1, "{\"i\":" + i + "}")));
    }
  }

  /** Every Noted event of the log, in log order. */
  private List<UUID> expected() {
    List<UUID> ids = new ArrayList<>();
    LogPosition after = LogPosition.START;
    for (LogPage page; !(page = store.readLog(after, 500)).events().isEmpty() || page.pending(); ) {
      page.events().stream().filter(e -> e.type().equals("Noted")).forEach(e -> ids.add(e.eventId()));
      after = page.next(after);
    }
    return ids;
  }

  private List<UUID> applied() throws Exception {
    List<UUID> ids = new ArrayList<>();
    try (Connection c = readDatabase.getConnection(); Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT event_id FROM applied ORDER BY seq")) {
      while (rs.next()) {
        ids.add(rs.getObject(1, UUID.class));
      }
    }
    return ids;
  }

  private void awaitCaughtUp(ProjectionRunner runner) throws Exception {
    LogPosition end = lastPosition();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (runner.checkpoint().map(c -> c.compareTo(end) < 0).orElse(true)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("projection did not reach " + end + ", at " + runner.checkpoint());
      }
      Thread.sleep(10);
    }
  }

  private LogPosition lastPosition() {
    LogPosition after = LogPosition.START;
    for (LogPage page; !(page = store.readLog(after, 1000)).events().isEmpty() || page.pending(); ) {
      after = page.next(after);
    }
    return after;
  }

  @Test
  void catchesUpThenFollowsTheLogApplyingEachHandledEventOnceInOrder() throws Exception {
    append(300);
    ProjectionRunner runner = run(new Recording());
    append(300);
    awaitCaughtUp(runner);
    assertThat(applied()).containsExactlyElementsOf(expected()).hasSize(480);
    assertThat(runner.position()).isEqualTo(lastPosition());
  }

  @Test
  void aConnectionCutInTheMiddleOfABatchLosesAndRepeatsNothing() throws Exception {
    append(400);
    var cut = new AtomicBoolean();
    ProjectionRunner runner = run(new Recording() {
      @Override
      public void apply(RecordedEvent event, Connection target) throws Exception {
        super.apply(event, target);
        if (applied.get() == 130 && cut.compareAndSet(false, true)) {
          // the database drops this connection after part of the batch is written
          int pid;
          try (Statement s = target.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            pid = rs.getInt(1);
          }
          try (Connection other = readDatabase.getConnection(); Statement kill = other.createStatement()) {
            kill.execute("SELECT pg_terminate_backend(" + pid + ")");
          }
        }
      }
    });
    awaitCaughtUp(runner);
    assertThat(cut).isTrue();
    assertThat(applied()).containsExactlyElementsOf(expected());
  }

  @Test
  void aRestartedRunnerResumesFromItsCheckpoint() throws Exception {
    append(200);
    ProjectionRunner first = run(new Recording());
    awaitCaughtUp(first);
    first.close();
    append(200);
    ProjectionRunner second = run(new Recording());
    awaitCaughtUp(second);
    assertThat(applied()).containsExactlyElementsOf(expected()).hasSize(320);
  }

  @Test
  void oneRunnerAtATimeAndAnotherTakesOverWhenItStops() throws Exception {
    var a = new Recording();
    var b = new Recording();
    ProjectionRunner first = run(a);
    Thread.sleep(300);
    ProjectionRunner second = run(b);
    append(200);
    awaitCaughtUp(first);
    Thread.sleep(300);
    assertThat(a.applied.get()).isEqualTo(160);
    assertThat(b.applied.get()).as("the standby applies nothing").isZero();

    first.close();
    append(100);
    awaitCaughtUp(second);
    assertThat(b.applied.get()).isEqualTo(80);
    assertThat(applied()).containsExactlyElementsOf(expected()).hasSize(240);
  }
}
