package dev.ordo.postgres;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.Subscription;
import dev.ordo.projection.Projection;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one projection into a PostgreSQL read database: tails the log from the projection's
 * checkpoint and, per batch, applies the events and moves the checkpoint in one transaction.
 *
 * <p>Exactly once: the batch transaction first locks and reads the checkpoint and skips events at
 * or before it, so a batch whose commit succeeded but whose acknowledgement was lost is not
 * applied twice when the tail delivers it again. One runner per projection across processes: a
 * runner holds a session advisory lock on the read database while it runs; the others wait for it.
 */
public final class ProjectionRunner implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ProjectionRunner.class);

  private static final String TRY_LOCK = "SELECT pg_try_advisory_lock(hashtextextended(?, 0))";
  private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtextextended(?, 0))";

  private static final String LOCK_CHECKPOINT = """
      INSERT INTO projection_checkpoints (name, version, tx_id, position) VALUES (?, ?, 0, 0)
      ON CONFLICT (name, version) DO UPDATE SET name = excluded.name
      RETURNING tx_id, position
      """;

  private static final String READ_CHECKPOINT = """
      SELECT tx_id, position FROM projection_checkpoints WHERE name = ? AND version = ?
      """;

  private static final String MOVE_CHECKPOINT = """
      UPDATE projection_checkpoints SET tx_id = ?, position = ?, updated_at = now()
       WHERE name = ? AND version = ?
      """;

  private final EventStore store;
  private final DataSource readDatabase;
  private final Projection<Connection> projection;
  private final int batchSize;
  private final Thread leader;
  private volatile boolean closed;
  private volatile Subscription subscription;
  private volatile LogPosition applied = LogPosition.START;

  public ProjectionRunner(EventStore store, DataSource readDatabase, Projection<Connection> projection, int batchSize) {
    this.store = store;
    this.readDatabase = readDatabase;
    this.projection = projection;
    this.batchSize = batchSize;
    this.leader = Thread.ofPlatform().name("ordo-projection-" + projection.name()).daemon().unstarted(this::lead);
  }

  public ProjectionRunner start() {
    leader.start();
    return this;
  }

  private String lockName() {
    return "ordo-projection:" + projection.name() + ":" + projection.version();
  }

  /** Waits to be the one runner of this projection, then tails until closed; the lock lives with its session. */
  private void lead() {
    while (!closed) {
      try (Connection session = readDatabase.getConnection()) {
        if (!tryLock(session)) {
          pause(Duration.ofMillis(500));
          continue;
        }
        try {
          applied = checkpoint().orElse(LogPosition.START);
          log.info("projection {} v{} runs from {}", projection.name(), projection.version(), applied);
          subscription = store.subscribe(projection.name(), applied, batchSize, this::applyBatch);
          while (!closed && session.isValid(2)) {
            pause(Duration.ofMillis(500));
          }
        } finally {
          stop();
          unlock(session); // the pooled connection outlives this use; its session lock must not
        }
      } catch (SQLException | RuntimeException e) {
        log.warn("projection {} lost its lock session: {}", projection.name(), e.getMessage());
      }
      pause(Duration.ofMillis(200));
    }
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

  /** Where the projection stands, as committed in the read database. */
  public Optional<LogPosition> checkpoint() {
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = Statements.prepare(connection, READ_CHECKPOINT)) {
      select.setString(1, projection.name());
      select.setInt(2, projection.version());
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(new LogPosition(rs.getLong(1), rs.getLong(2))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the checkpoint of " + projection.name(), e);
    }
  }

  /** The position of the last event this runner applied and committed. */
  public LogPosition position() {
    return applied;
  }

  private void applyBatch(List<RecordedEvent> batch) throws Exception {
    try (Connection connection = readDatabase.getConnection()) {
      connection.setAutoCommit(false);
      try {
        // A read model is rebuilt from the log, and its checkpoint commits with it: a crash that
        // loses the last commits loses both, and the events are applied again. No need to wait for
        // the disk on every batch.
        try (var statement = connection.createStatement()) {
          statement.execute("SET LOCAL synchronous_commit = off");
        }
        LogPosition checkpoint = lockCheckpoint(connection);
        RecordedEvent last = null;
        for (RecordedEvent event : batch) {
          if (!event.logPosition().isAfter(checkpoint)) {
            continue; // applied by a commit whose answer was lost
          }
          if (projection.eventTypes().contains(event.type())) {
            projection.apply(event, connection);
          }
          last = event;
        }
        if (last != null) {
          try (PreparedStatement move = connection.prepareStatement(MOVE_CHECKPOINT)) {
            move.setLong(1, last.logPosition().tx());
            move.setLong(2, last.position());
            move.setString(3, projection.name());
            move.setInt(4, projection.version());
            move.executeUpdate();
          }
        }
        connection.commit();
        if (last != null) {
          applied = last.logPosition();
        }
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

  private LogPosition lockCheckpoint(Connection connection) throws SQLException {
    try (PreparedStatement upsert = connection.prepareStatement(LOCK_CHECKPOINT)) {
      upsert.setString(1, projection.name());
      upsert.setInt(2, projection.version());
      try (ResultSet rs = upsert.executeQuery()) {
        rs.next();
        return new LogPosition(rs.getLong(1), rs.getLong(2));
      }
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
