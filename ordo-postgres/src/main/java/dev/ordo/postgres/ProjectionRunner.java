package dev.ordo.postgres;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.Subscription;
import dev.ordo.projection.Projection.OnFailure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one generation of a projection into its schema of the read database: tails the log from
 * the generation's checkpoint and, per batch, applies the events and moves the checkpoint in one
 * transaction.
 *
 * <p>Exactly once: the batch transaction first locks and reads the checkpoint and skips events at
 * or before it, so a batch whose commit succeeded but whose acknowledgement was lost is not
 * applied twice when the tail delivers it again. One runner per generation across processes: a
 * runner holds a session advisory lock on the read database while it runs; the others wait.
 *
 * <p>Failures: a failing batch is rolled back and delivered again with a growing pause. An event
 * that still fails after {@code maxAttempts} is parked as a dead letter; the events before it
 * commit, and then the projection's {@link OnFailure policy} decides: stop at it, or skip it.
 * A connection lost is not the event's fault: it is retried for as long as it takes.
 *
 * <p>Blue/green: a BUILDING generation, once it has drained the log and stands at or past the
 * ACTIVE one, takes over in the transaction of its batch: the views in {@code public} are pointed
 * at its tables and the old generation is marked RETIRED, which stops its runner.
 */
public final class ProjectionRunner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);

  private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtextextended(?, 0))";
  private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtextextended(?, 0))";

  private static final String LOCK_GENERATION = """
      SELECT tx_id, position, state FROM projection_generations WHERE name = ? AND generation = ? FOR UPDATE
      """;

  /**
   * Not locked: a lock would give the transaction an id from its first statement, and the log
   * holds back every event committed after a transaction id still running (the horizon), so each
   * batch would hide the events appended while it runs. The move below checks the checkpoint instead.
   */
  private static final String BEGIN_BATCH = """
      SELECT tx_id, position, state, set_config('search_path', ?, true), set_config('synchronous_commit', 'off', true)
        FROM projection_generations WHERE name = ? AND generation = ?
      """;

  private static final String READ_CHECKPOINT = """
      SELECT tx_id, position FROM projection_generations WHERE name = ? AND generation = ?
      """;

  /** Only from the checkpoint the batch began at, and not once retired (waits for a take-over in flight). */
  private static final String MOVE_CHECKPOINT = """
      UPDATE projection_generations SET tx_id = ?, position = ?, applied = applied + ?, updated_at = now()
       WHERE name = ? AND generation = ? AND tx_id = ? AND position = ? AND state <> 'RETIRED'
      """;

  private static final String LOCK_ACTIVE = """
      SELECT generation, tx_id, position FROM projection_generations WHERE name = ? AND state = 'ACTIVE' FOR UPDATE
      """;

  private static final String RETIRE = """
      UPDATE projection_generations SET state = 'RETIRED', updated_at = now() WHERE name = ? AND generation = ?
      """;

  private static final String ACTIVATE = """
      UPDATE projection_generations SET state = 'ACTIVE', switched_at = now(), updated_at = now()
       WHERE name = ? AND generation = ?
      """;

  private static final String TABLES = """
      SELECT table_name FROM information_schema.tables WHERE table_schema = ? AND table_type = 'BASE TABLE'
      """;

  private static final String PARK = """
      INSERT INTO projection_dead_letters (name, generation, tx_id, position, event_id, stream_id, event_type, error,
                                           attempts, blocking, state)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PARKED')
      ON CONFLICT (name, generation, position) DO UPDATE
        SET error = excluded.error, attempts = projection_dead_letters.attempts + excluded.attempts,
            blocking = excluded.blocking, state = 'PARKED', resolved_at = NULL
      """;

  private static final String BLOCKED = """
      SELECT 1 FROM projection_dead_letters WHERE name = ? AND generation = ? AND state = 'PARKED' AND blocking
      """;

  private final EventStore store;
  private final DataSource readDatabase;
  private final TableProjection projection;
  private final int generation;
  private final String schema;
  private final int batchSize;
  private final int maxAttempts;
  private final Thread leader;
  private final Map<Long, Integer> failures = new ConcurrentHashMap<>();
  private volatile boolean building;
  private boolean isolating;
  private volatile boolean leading;
  private volatile boolean stalled;
  private volatile boolean halted;
  private volatile boolean retired;
  private volatile boolean closed;
  private volatile Subscription subscription;
  private volatile LogPosition applied = LogPosition.START;
  private volatile long startedNanos = System.nanoTime();
  private volatile long appliedSinceStart;
  private final LagRecorder lag = new LagRecorder();

  public ProjectionRunner(EventStore store, DataSource readDatabase, TableProjection projection, Generation generation,
      int batchSize, int maxAttempts) {
    this.store = store;
    this.readDatabase = readDatabase;
    this.projection = projection;
    this.generation = generation.generation();
    this.schema = generation.schema();
    this.building = generation.state() == Generation.State.BUILDING;
    this.applied = generation.checkpoint();
    this.batchSize = batchSize;
    this.maxAttempts = maxAttempts;
    this.leader = Thread.ofPlatform().name("ordo-projection-" + schema).daemon().unstarted(this::lead);
  }

  public ProjectionRunner start() {
    leader.start();
    return this;
  }

  public int generation() {
    return generation;
  }

  public boolean building() {
    return building;
  }

  /** Whether this process runs the generation now (the others stand by). */
  public boolean leading() {
    return leading;
  }

  /** Whether the last batch failed and none has committed since (the read database may be down). */
  public boolean stalled() {
    return stalled;
  }

  /** Stopped at a dead letter until it is retried or skipped. */
  public boolean halted() {
    return halted;
  }

  /** Superseded by a newer generation; the runner has stopped or is stopping. */
  public boolean retired() {
    return retired;
  }

  /** Events applied per second since this runner started leading. */
  public double rate() {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    return seconds <= 0 ? 0 : appliedSinceStart / seconds;
  }

  /** Command-to-visible lag of the events this runner applied: commit of the batch minus the event's time. */
  public LagRecorder lag() {
    return lag;
  }

  private String lockName() {
    return "ordo-projection:" + projection.name() + ":" + generation;
  }

  /** Waits to be the one runner of this generation, then tails until closed; the lock lives with its session. */
  private void lead() {
    while (!closed && !retired) {
      try (Connection session = readDatabase.getConnection()) {
        if (!tryLock(session)) {
          pause(Duration.ofMillis(500));
          continue;
        }
        try {
          leading = true;
          halted = blocked();
          if (!halted) {
            applied = checkpoint().orElse(LogPosition.START);
            startedNanos = System.nanoTime();
            appliedSinceStart = 0;
            log.info("projection {} generation {} runs from {}", projection.name(), generation, applied);
            subscription = store.subscribe(schema, applied, batchSize, this::applyBatch);
          }
          while (!closed && !retired && !halted && session.isValid(2)) {
            pause(Duration.ofMillis(200));
            if (building && subscription != null) {
              takeOverWhenIdle();
            }
          }
          if (halted) {
            stop();
            while (!closed && !retired && halted && session.isValid(2)) {
              pause(Duration.ofMillis(500));
              halted = blocked();
            }
          }
        } finally {
          leading = false;
          stop();
          unlock(session); // the pooled connection outlives this use; its session lock must not
        }
      } catch (SQLException | RuntimeException e) {
        log.warn("projection {} generation {} lost its lock session: {}", projection.name(), generation,
            e.getMessage());
      }
      pause(Duration.ofMillis(200));
    }
  }

  /** After a blocking dead letter was retried or skipped: go on from the checkpoint. */
  public void resume() {
    halted = false;
  }

  private void stop() {
    Subscription running = subscription;
    subscription = null;
    if (running != null) {
      running.close();
    }
  }

  private void unlock(Connection session) {
    try (PreparedStatement unlock = session.prepareStatement(UNLOCK)) {
      unlock.setString(1, lockName());
      unlock.executeQuery().close();
    } catch (SQLException e) {
      // the session is gone, and its lock with it
    }
  }

  private boolean tryLock(Connection session) throws SQLException {
    try (PreparedStatement lock = session.prepareStatement(TRY_LOCK)) {
      lock.setString(1, lockName());
      try (ResultSet rs = lock.executeQuery()) {
        rs.next();
        return rs.getBoolean(1);
      }
    }
  }

  private boolean blocked() throws SQLException {
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(BLOCKED)) {
      select.setString(1, projection.name());
      select.setInt(2, generation);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  /** Where the generation stands, as committed in the read database. */
  public Optional<LogPosition> checkpoint() {
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = Statements.prepare(connection, READ_CHECKPOINT)) {
      select.setString(1, projection.name());
      select.setInt(2, generation);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(new LogPosition(rs.getLong(1), rs.getLong(2)))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the checkpoint of " + projection.name(), e);
    }
  }

  /**
   * The position of the last event applied: this runner's own while it leads, else the committed
   * checkpoint (another process runs the generation).
   */
  public LogPosition position() {
    return leading ? applied : checkpoint().orElse(LogPosition.START);
  }

  private void applyBatch(List<RecordedEvent> batch) throws Exception {
    if (halted || retired) {
      throw new IllegalStateException("projection " + projection.name() + " generation " + generation
          + (halted ? " is halted at a dead letter" : " is retired"));
    }
    List<RecordedEvent> rest = batch;
    try {
      while (!rest.isEmpty()) {
        rest = applyUntilParked(rest);
        if (halted) {
          throw new IllegalStateException("projection " + projection.name() + " halted at a dead letter");
        }
      }
    } catch (Exception e) {
      stalled = true;
      throw e;
    }
  }

  /**
   * Applies the batch in one transaction. If an event has failed {@code maxAttempts} times, commits
   * the events before it with the event parked, and returns what follows it (to go on with when the
   * policy is to skip); otherwise returns nothing left or throws for the tail to deliver again.
   */
  private List<RecordedEvent> applyUntilParked(List<RecordedEvent> batch) throws Exception {
    try (Connection connection = readDatabase.getConnection()) {
      connection.setAutoCommit(false);
      try {
        LogPosition checkpoint = begin(connection);
        RecordedEvent last = null;
        int count = 0;
        for (int i = 0; i < batch.size(); i++) {
          RecordedEvent event = batch.get(i);
          if (!event.logPosition().isAfter(checkpoint)) {
            continue; // applied by a commit whose answer was lost
          }
          if (projection.eventTypes().contains(event.type())) {
            try {
              projection.apply(event, connection);
              if (isolating) {
                projection.flush(connection);
              }
            } catch (Exception e) {
              if (DatabaseErrors.isTransient(e)) {
                throw e;
              }
              int attempts = failures.merge(event.position(), 1, Integer::sum);
              if (attempts < maxAttempts) {
                throw e;
              }
              connection.rollback();
              park(batch.subList(0, i), event, e, attempts);
              failures.remove(event.position());
              return projection.onFailure() == OnFailure.SKIP ? batch.subList(i + 1, batch.size()) : List.of();
            }
            count++;
          }
          last = event;
        }
        try {
          projection.flush(connection);
        } catch (Exception e) {
          if (!DatabaseErrors.isTransient(e)) {
            isolating = true; // which event failed is unknown: again, sending after every event
          }
          throw e;
        }
        if (last != null) {
          move(connection, checkpoint, last.logPosition(), count);
          if (building) {
            takeOverIfCaughtUp(connection, last.logPosition(), batch.size() < batchSize);
          }
        }
        connection.commit();
        isolating = false;
        if (last != null) {
          committed(batch, last, count);
        }
        return List.of();
      } catch (Exception e) {
        try {
          connection.rollback();
        } catch (SQLException ignored) {
          // the connection is gone; so is the transaction
        }
        throw e;
      }
    }
  }

  private void committed(List<RecordedEvent> events, RecordedEvent last, int count) {
    stalled = false;
    projection.committed();
    applied = last.logPosition();
    appliedSinceStart += count;
    long now = System.currentTimeMillis();
    for (RecordedEvent event : events) {
      lag.record(now - event.occurredAt().toEpochMilli());
    }
  }

  /** Commits the events before the failing one, parks it, and moves past it when the policy skips. */
  private void park(List<RecordedEvent> before, RecordedEvent failing, Exception error, int attempts)
      throws Exception {
    boolean skip = projection.onFailure() == OnFailure.SKIP;
    try (Connection connection = readDatabase.getConnection()) {
      connection.setAutoCommit(false);
      try {
        LogPosition checkpoint = begin(connection);
        RecordedEvent last = null;
        int count = 0;
        for (RecordedEvent event : before) {
          if (event.logPosition().isAfter(checkpoint)) {
            if (projection.eventTypes().contains(event.type())) {
              projection.apply(event, connection);
              count++;
            }
            last = event;
          }
        }
        projection.flush(connection);
        try (PreparedStatement park = connection.prepareStatement(PARK)) {
          park.setString(1, projection.name());
          park.setInt(2, generation);
          park.setLong(3, failing.logPosition().tx());
          park.setLong(4, failing.position());
          park.setObject(5, failing.eventId());
          park.setString(6, failing.streamId());
          park.setString(7, failing.type());
          park.setString(8, String.valueOf(error));
          park.setInt(9, attempts);
          park.setBoolean(10, !skip);
          park.executeUpdate();
        }
        RecordedEvent moveTo = skip ? failing : last;
        if (moveTo != null) {
          move(connection, checkpoint, moveTo.logPosition(), count);
        }
        connection.commit();
        if (moveTo != null) {
          committed(before, moveTo, count);
        }
        log.error("projection {} generation {}: event {} ({}) parked as a dead letter after {} attempts; {}",
            projection.name(), generation, failing.position(), failing.type(), attempts,
            skip ? "skipped" : "the projection stops until it is retried or skipped", error);
        if (!skip) {
          halted = true;
        }
      } catch (Exception e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /**
   * Starts a batch transaction in one round trip: the generation's schema first on the search path;
   * no waiting for the disk on commit (read models are rebuilt from the log, and the checkpoint
   * commits with them); the checkpoint locked and read.
   */
  private LogPosition begin(Connection connection) throws SQLException {
    try (PreparedStatement begin = connection.prepareStatement(BEGIN_BATCH)) {
      begin.setString(1, schema + ", public");
      begin.setString(2, projection.name());
      begin.setInt(3, generation);
      try (ResultSet rs = begin.executeQuery()) {
        return checkpoint(rs);
      }
    }
  }

  private LogPosition lockCheckpoint(Connection connection) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(LOCK_GENERATION)) {
      lock.setString(1, projection.name());
      lock.setInt(2, generation);
      try (ResultSet rs = lock.executeQuery()) {
        return checkpoint(rs);
      }
    }
  }

  /** The locked row's checkpoint; a missing or retired row stops this runner. */
  private LogPosition checkpoint(ResultSet rs) throws SQLException {
    if (!rs.next() || "RETIRED".equals(rs.getString(3))) {
      retired = true;
      throw new IllegalStateException("projection " + projection.name() + " generation " + generation
          + " has been retired");
    }
    if ("ACTIVE".equals(rs.getString(3))) {
      building = false;
    }
    return new LogPosition(rs.getLong(1), rs.getLong(2));
  }

  /**
   * Moves the checkpoint from where the batch began. When it has moved meanwhile (a runner of
   * another process that took over while this one lost its lock session) or the generation was
   * retired, nothing of the batch may commit: it rolls back, and the next try starts from the row.
   */
  private void move(Connection connection, LogPosition from, LogPosition to, int count) throws SQLException {
    try (PreparedStatement move = connection.prepareStatement(MOVE_CHECKPOINT)) {
      move.setLong(1, to.tx());
      move.setLong(2, to.position());
      move.setLong(3, count);
      move.setString(4, projection.name());
      move.setInt(5, generation);
      move.setLong(6, from.tx());
      move.setLong(7, from.position());
      if (move.executeUpdate() != 1) {
        throw new IllegalStateException("projection " + projection.name() + " generation " + generation
            + ": the checkpoint moved or the generation retired during the batch; trying again from the row");
      }
    }
  }

  /** A rebuild whose last batch was full learns it has drained the log here, between batches. */
  private void takeOverWhenIdle() {
    try (Connection connection = readDatabase.getConnection()) {
      connection.setAutoCommit(false);
      try {
        LogPosition checkpoint = lockCheckpoint(connection);
        if (building && checkpoint.position() >= store.head()) {
          takeOverIfCaughtUp(connection, checkpoint, true);
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException | RuntimeException e) {
      log.warn("projection {} generation {}: take-over check failed: {}", projection.name(), generation,
          e.getMessage());
    }
  }

  /**
   * Takes over from the ACTIVE generation once this one has drained the log (a batch shorter than
   * the batch size) and stands at or past it. The active row is locked, so it cannot move meanwhile.
   */
  private void takeOverIfCaughtUp(Connection connection, LogPosition at, boolean drained) throws SQLException {
    if (!drained) {
      return;
    }
    Integer active = null;
    try (PreparedStatement lock = connection.prepareStatement(LOCK_ACTIVE)) {
      lock.setString(1, projection.name());
      try (ResultSet rs = lock.executeQuery()) {
        if (rs.next()) {
          if (new LogPosition(rs.getLong(2), rs.getLong(3)).isAfter(at)) {
            return;
          }
          active = rs.getInt(1);
        }
      }
    }
    if (active != null) {
      update(connection, RETIRE, projection.name(), active);
    }
    update(connection, ACTIVATE, projection.name(), generation);
    pointViewsAt(connection, schema);
    building = false;
    log.info("projection {}: generation {} took over from generation {} at {}", projection.name(), generation,
        active, at);
  }

  /** Makes {@code public.<table>} a view of each table of the schema, in the caller's transaction. */
  static void pointViewsAt(Connection connection, String schema) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(TABLES)) {
      select.setString(1, schema);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          tables.add(rs.getString(1));
        }
      }
    }
    try (Statement statement = connection.createStatement()) {
      for (String table : tables) {
        statement.execute("DROP VIEW IF EXISTS public." + table);
        statement.execute("CREATE VIEW public." + table + " AS SELECT * FROM " + schema + "." + table);
      }
    }
  }

  private static void update(Connection connection, String sql, String name, int generation) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      update.setString(1, name);
      update.setInt(2, generation);
      update.executeUpdate();
    }
  }

  private void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    leader.interrupt();
    try {
      leader.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
