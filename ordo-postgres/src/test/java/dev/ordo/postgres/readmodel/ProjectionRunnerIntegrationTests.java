package dev.ordo.postgres.readmodel;

import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.consumer.Projection;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.log.PostgresEventStore;
import dev.ordo.postgres.log.PostgresEventStoreContractTests;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
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
  private final List<ProjectionHost> hosts = new ArrayList<>();

  /** Records every event it is given, in order, with no key: a double apply would show as a duplicate. */
  static class Recording implements Projection<Connection> {
    final AtomicInteger applied = new AtomicInteger();

    public String tables() {
      return "CREATE TABLE applied (seq bigserial PRIMARY KEY, event_id uuid NOT NULL, position bigint NOT NULL)";
    }

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
    store = new PostgresEventStore(writeDatabase, TYPES);
  }

  @AfterEach
  void close() {
    hosts.forEach(ProjectionHost::close);
    store.close();
    writeDatabase.close();
    readDatabase.close();
  }

  private ConsumerRunner<Connection, LogPosition> run(Recording projection) {
    var host = new ProjectionHost(store, readDatabase, projection, projection.tables(), 50, 3).start();
    hosts.add(host);
    return host.activeRunner().orElseThrow();
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

  private void awaitCaughtUp(ConsumerRunner<Connection, LogPosition> runner) throws Exception {
    LogPosition end = lastPosition();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (runner.target().checkpoint().map(c -> c.compareTo(end) < 0).orElse(true)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("projection did not reach " + end + ", at " + runner.target().checkpoint());
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
    ConsumerRunner<Connection, LogPosition> runner = run(new Recording());
    append(300);
    awaitCaughtUp(runner);
    assertThat(applied()).containsExactlyElementsOf(expected()).hasSize(480);
    assertThat(runner.position()).isEqualTo(lastPosition());
  }

  @Test
  void aConnectionCutInTheMiddleOfABatchLosesAndRepeatsNothing() throws Exception {
    append(400);
    var cut = new AtomicBoolean();
    ConsumerRunner<Connection, LogPosition> runner = run(new Recording() {
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

  /** Stops in its first apply, before writing anything, until released. */
  static class Pausing extends Recording {
    final java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
    final java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);

    @Override
    public void apply(RecordedEvent event, Connection target) throws Exception {
      if (entered.getCount() > 0) {
        entered.countDown();
        release.await();
      }
      super.apply(event, target);
    }
  }

  private void appendNoted(int count) {
    for (int i = 0; i < count; i++) {
      store.append("n-" + i, "note", ExpectedVersion.any(), List.of(NewEvent.of("Noted", 1, "{\"i\":" + i + "}")));
    }
  }

  /**
   * Both databases share one server, so a batch transaction holding a transaction id would hold
   * back from every tail each event committed after it, until the batch ends.
   */
  @Test
  void aBatchInProgressDoesNotHideEventsAppendedMeanwhile() throws Exception {
    appendNoted(3);
    LogPosition before = lastPosition();
    var pausing = new Pausing();
    run(pausing);
    try {
      assertThat(pausing.entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      appendNoted(1);
      LogPage page = store.readLog(before, 10);
      assertThat(page.events()).as("appended while a batch runs, pending: " + page.pending()).hasSize(1);
    } finally {
      pausing.release.countDown();
    }
  }

  /** Another runner moved the checkpoint during the batch (this one had lost its lock session): nothing commits twice. */
  @Test
  void aBatchWhoseCheckpointMovedMeanwhileRollsBackAndSkipsWhatTheOtherApplied() throws Exception {
    appendNoted(10);
    List<RecordedEvent> events = store.readLog(LogPosition.START, 100).events();
    var pausing = new Pausing();
    ConsumerRunner<Connection, LogPosition> runner = run(pausing);
    assertThat(pausing.entered.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    LogPosition fifth = events.get(4).logPosition();
    try (Connection c = readDatabase.getConnection(); Statement wait = c.createStatement();
        PreparedStatement move = c.prepareStatement(
            "UPDATE projection_generations SET tx_id = ?, position = ? WHERE name = 'recording'")) {
      wait.execute("SET lock_timeout = '5s'"); // a batch must not hold the row while it applies
      move.setLong(1, fifth.tx());
      move.setLong(2, fifth.position());
      assertThat(move.executeUpdate()).isEqualTo(1);
    }
    pausing.release.countDown();
    awaitCaughtUp(runner);
    assertThat(applied()).containsExactlyElementsOf(events.subList(5, 10).stream().map(RecordedEvent::eventId).toList());
  }

  @Test
  void aRestartedRunnerResumesFromItsCheckpoint() throws Exception {
    append(200);
    ConsumerRunner<Connection, LogPosition> first = run(new Recording());
    awaitCaughtUp(first);
    first.close();
    append(200);
    ConsumerRunner<Connection, LogPosition> second = run(new Recording());
    awaitCaughtUp(second);
    assertThat(applied()).containsExactlyElementsOf(expected()).hasSize(320);
  }

  @Test
  void oneRunnerAtATimeAndAnotherTakesOverWhenItStops() throws Exception {
    var a = new Recording();
    var b = new Recording();
    ConsumerRunner<Connection, LogPosition> first = run(a);
    Thread.sleep(300);
    ConsumerRunner<Connection, LogPosition> second = run(b);
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

  /** Fails on the event with {@code "i": 50} while broken. */
  static class Breaking extends Recording {
    final AtomicBoolean broken = new AtomicBoolean(true);
    final AtomicInteger failures = new AtomicInteger();

    @Override
    public void apply(RecordedEvent event, Connection target) throws Exception {
      if (broken.get() && event.data().equals("{\"i\": 50}")) {
        failures.incrementAndGet();
        throw new IllegalStateException("cannot apply event 50");
      }
      super.apply(event, target);
    }
  }

  private ProjectionHost host(Recording projection) {
    var host = new ProjectionHost(store, readDatabase, projection, projection.tables(), 50, 3).start();
    hosts.add(host);
    return host;
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(20);
    }
  }

  @Test
  void anEventThatKeepsFailingIsParkedAndStopsTheProjectionUntilRetried() throws Exception {
    append(100);
    var breaking = new Breaking();
    ProjectionHost host = host(breaking);
    await("a dead letter", () -> host.status().deadLetters() == 1);
    await("the halt", () -> host.status().active().state().equals("HALTED"));
    List<UUID> all = expected();
    int at = all.indexOf(eventWith(50));
    assertThat(applied()).containsExactlyElementsOf(all.subList(0, at));
    assertThat(breaking.failures.get()).as("tried, with retries, then parked").isEqualTo(3);
    DeadLetter letter = host.deadLetters().getFirst();
    assertThat(letter.state()).isEqualTo("PARKED");
    assertThat(letter.blocking()).isTrue();
    assertThat(letter.error()).contains("cannot apply event 50");

    org.assertj.core.api.Assertions.assertThatThrownBy(() -> host.retry(letter.id()))
        .isInstanceOf(DeadLetterException.class).hasMessageContaining("still fails");
    append(20);
    breaking.broken.set(false);
    host.retry(letter.id());
    awaitCaughtUp(host.activeRunner().orElseThrow());
    assertThat(applied()).containsExactlyElementsOf(expected());
    assertThat(host.deadLetters().getFirst().state()).isEqualTo("RETRIED");
    assertThat(host.status().deadLetters()).isZero();
  }

  @Test
  void withTheSkipPolicyAFailingEventIsParkedAndTheRestApplied() throws Exception {
    append(100);
    var breaking = new Breaking() {
      @Override
      public OnFailure onFailure() {
        return OnFailure.SKIP;
      }
    };
    ProjectionHost host = host(breaking);
    awaitCaughtUp(host.activeRunner().orElseThrow());
    List<UUID> all = new ArrayList<>(expected());
    all.remove(eventWith(50));
    assertThat(applied()).containsExactlyElementsOf(all);
    DeadLetter letter = host.deadLetters().getFirst();
    assertThat(letter.blocking()).isFalse();
    host.skip(letter.id());
    assertThat(host.deadLetters().getFirst().state()).isEqualTo("SKIPPED");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> host.skip(letter.id()))
        .isInstanceOf(DeadLetterException.class);
  }

  @Test
  void aRebuildUnderWritesBuildsBesideTheActiveGenerationAndTakesOverOnceCaughtUp() throws Exception {
    append(300);
    // a millisecond for each of the first 300 events: the rebuild is still running when a second one is asked for
    ProjectionHost host = host(new Recording() {
      @Override
      public void apply(RecordedEvent event, Connection target) throws Exception {
        if (event.position() <= 300) {
          Thread.sleep(1);
        }
        super.apply(event, target);
      }
    });
    awaitCaughtUp(host.activeRunner().orElseThrow());
    var writing = new AtomicBoolean(true);
    Thread writer = Thread.ofPlatform().start(() -> {
      while (writing.get()) {
        append(5);
      }
    });
    Generation building = host.rebuild();
    assertThat(building.generation()).isEqualTo(2);
    org.assertj.core.api.Assertions.assertThatThrownBy(host::rebuild).hasMessageContaining("already running");
    await("the switch", () -> host.status().active().generation() == 2 && host.status().rebuild() == null);
    writing.set(false);
    writer.join();
    awaitCaughtUp(host.activeRunner().orElseThrow());
    assertThat(applied()).containsExactlyElementsOf(expected());
    host.refresh();
    try (Connection c = readDatabase.getConnection(); Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_namespace WHERE nspname = 'recording_g1'")) {
      rs.next();
      assertThat(rs.getInt(1)).as("the retired generation's schema is dropped").isZero();
    }
  }

  @Test
  void raisingTheVersionRebuildsAtStartUpWhileTheOldTablesAnswer() throws Exception {
    append(200);
    ProjectionHost first = host(new Recording());
    awaitCaughtUp(first.activeRunner().orElseThrow());
    first.close();
    append(300);
    var second = host(new Recording() {
      @Override
      public int version() {
        return 2;
      }
    });
    await("the new version to take over", () -> second.status().active().version() == 2);
    awaitCaughtUp(second.activeRunner().orElseThrow());
    assertThat(applied()).containsExactlyElementsOf(expected()).hasSize(400);
  }

  private UUID eventWith(int i) {
    LogPosition after = LogPosition.START;
    for (LogPage page; !(page = store.readLog(after, 500)).events().isEmpty() || page.pending(); ) {
      for (RecordedEvent e : page.events()) {
        if (e.data().equals("{\"i\": " + i + "}")) {
          return e.eventId();
        }
      }
      after = page.next(after);
    }
    throw new AssertionError("no event " + i);
  }
}
