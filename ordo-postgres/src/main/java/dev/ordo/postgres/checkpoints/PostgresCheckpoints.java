package dev.ordo.postgres.checkpoints;

import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.Target;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.postgres.AdvisoryLease;
import dev.ordo.postgres.DatabaseErrors;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/** {@link Checkpoints} of log consumers in the write database; a lease is a session advisory lock. */
public final class PostgresCheckpoints implements Checkpoints<LogPosition> {

  private static final String LOAD = "SELECT tx_id, position FROM consumer_checkpoints WHERE name = ?";

  private static final String INSERT = """
      INSERT INTO consumer_checkpoints (name, tx_id, position) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING
      """;

  private static final String MOVE = """
      UPDATE consumer_checkpoints SET tx_id = ?, position = ?, updated_at = now()
       WHERE name = ? AND tx_id = ? AND position = ?
      """;

  private static final String PARK = """
      INSERT INTO consumer_dead_letters (name, tx_id, position, event_id, stream_id, event_type, error, attempts,
                                         blocking)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (name, position) DO UPDATE
        SET error = excluded.error, attempts = consumer_dead_letters.attempts + excluded.attempts,
            blocking = excluded.blocking, state = 'PARKED', resolved_at = NULL
      """;

  private static final String BLOCKED = """
      SELECT 1 FROM consumer_dead_letters WHERE name = ? AND state = 'PARKED' AND blocking
      """;

  private static final String PARKED = """
      SELECT count(*) FROM consumer_dead_letters WHERE name = ? AND state = 'PARKED'
      """;

  private static final String LIST = """
      SELECT id, position, event_id, stream_id, event_type, error, attempts, blocking, state, created_at, resolved_at
        FROM consumer_dead_letters WHERE name = ? ORDER BY id
      """;

  private static final String LOCK_PARKED = """
      SELECT tx_id, position, blocking FROM consumer_dead_letters WHERE name = ? AND id = ? AND state = 'PARKED'
         FOR UPDATE
      """;

  private static final String LOCK_CHECKPOINT = "SELECT tx_id, position FROM consumer_checkpoints WHERE name = ? FOR UPDATE";

  private static final String RESOLVE = """
      UPDATE consumer_dead_letters SET state = ?, resolved_at = now() WHERE id = ?
      """;

  private static final String MOVE_PAST = """
      UPDATE consumer_checkpoints SET tx_id = ?, position = ?, updated_at = now() WHERE name = ?
      """;

  /** An event a consumer parked: what it was, why it failed, and whether it was retried or skipped since. */
  public record DeadLetter(long id, long position, String eventId, String streamId, String eventType, String error,
      int attempts, boolean blocking, String state, java.time.Instant createdAt, java.time.Instant resolvedAt) {}

  private final DataSource database;

  public PostgresCheckpoints(DataSource database) {
    this.database = database;
  }

  @Override
  public Optional<LogPosition> load(String consumer) {
    try (Connection connection = database.getConnection();
        PreparedStatement select = connection.prepareStatement(LOAD)) {
      select.setString(1, consumer);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(new LogPosition(rs.getLong(1), rs.getLong(2))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the checkpoint of " + consumer, e);
    }
  }

  @Override
  public void save(String consumer, Optional<LogPosition> from, LogPosition to) {
    try (Connection connection = database.getConnection();
        PreparedStatement save = connection.prepareStatement(from.isEmpty() ? INSERT : MOVE)) {
      if (from.isEmpty()) {
        save.setString(1, consumer);
        save.setLong(2, to.tx());
        save.setLong(3, to.position());
      } else {
        save.setLong(1, to.tx());
        save.setLong(2, to.position());
        save.setString(3, consumer);
        save.setLong(4, from.get().tx());
        save.setLong(5, from.get().position());
      }
      if (save.executeUpdate() != 1) {
        throw new IllegalStateException("the checkpoint of " + consumer + " moved meanwhile");
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("moving the checkpoint of " + consumer, e);
    }
  }

  @Override
  public Optional<Target.Lease> lead(String consumer) {
    try {
      return AdvisoryLease.tryAcquire(database, "ordo-consumer:" + consumer);
    } catch (SQLException e) {
      throw DatabaseErrors.translate("leading " + consumer, e);
    }
  }

  @Override
  public void park(String consumer, RecordedEvent event, LogPosition position, String error, int attempts,
      boolean blocking) {
    try (Connection connection = database.getConnection();
        PreparedStatement park = connection.prepareStatement(PARK)) {
      park.setString(1, consumer);
      park.setLong(2, position.tx());
      park.setLong(3, position.position());
      park.setObject(4, event.eventId());
      park.setString(5, event.streamId());
      park.setString(6, event.type());
      park.setString(7, error);
      park.setInt(8, attempts);
      park.setBoolean(9, blocking);
      park.executeUpdate();
    } catch (SQLException e) {
      throw DatabaseErrors.translate("parking an event of " + consumer, e);
    }
  }

  @Override
  public boolean blocked(String consumer) {
    try (Connection connection = database.getConnection();
        PreparedStatement select = connection.prepareStatement(BLOCKED)) {
      select.setString(1, consumer);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the dead letters of " + consumer, e);
    }
  }

  /** How many events of the consumer are parked, neither retried nor skipped yet. */
  public long parked(String consumer) {
    try (Connection connection = database.getConnection();
        PreparedStatement select = connection.prepareStatement(PARKED)) {
      select.setString(1, consumer);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("counting the dead letters of " + consumer, e);
    }
  }

  public List<DeadLetter> deadLetters(String consumer) {
    try (Connection connection = database.getConnection();
        PreparedStatement select = connection.prepareStatement(LIST)) {
      select.setString(1, consumer);
      List<DeadLetter> letters = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          var resolved = rs.getTimestamp(11);
          letters.add(new DeadLetter(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getInt(7), rs.getBoolean(8), rs.getString(9), rs.getTimestamp(10).toInstant(),
              resolved == null ? null : resolved.toInstant()));
        }
      }
      return letters;
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the dead letters of " + consumer, e);
    }
  }

  /**
   * Resolves a parked event. Retried, the consumer stopped at it goes on from its checkpoint, so the
   * event is applied again by the runner (and parked again if it still fails); skipped, the
   * checkpoint moves past it in the same transaction. A consumer that skips by itself has gone on
   * already: its dead letter can only be skipped (marked so). False when the letter is not parked.
   *
   * @throws IllegalArgumentException for a retry of a letter the consumer went past
   */
  public boolean resolve(String consumer, long id, boolean retry) {
    try (Connection connection = database.getConnection()) {
      connection.setAutoCommit(false);
      try {
        LogPosition event;
        boolean blocking;
        try (PreparedStatement lock = connection.prepareStatement(LOCK_PARKED)) {
          lock.setString(1, consumer);
          lock.setLong(2, id);
          try (ResultSet rs = lock.executeQuery()) {
            if (!rs.next()) {
              connection.rollback();
              return false;
            }
            event = new LogPosition(rs.getLong(1), rs.getLong(2));
            blocking = rs.getBoolean(3);
          }
        }
        if (retry && !blocking) {
          throw new IllegalArgumentException("the consumer went on past event " + event.position()
              + "; its dead letter can be skipped, not retried");
        }
        if (!retry && blocking) {
          try (PreparedStatement lock = connection.prepareStatement(LOCK_CHECKPOINT)) {
            lock.setString(1, consumer);
            try (ResultSet rs = lock.executeQuery()) {
              LogPosition checkpoint = rs.next() ? new LogPosition(rs.getLong(1), rs.getLong(2)) : null;
              if (checkpoint == null || event.isAfter(checkpoint)) {
                try (PreparedStatement move = connection.prepareStatement(checkpoint == null ? INSERT : MOVE_PAST)) {
                  int at = checkpoint == null ? 2 : 1;
                  move.setString(checkpoint == null ? 1 : 3, consumer);
                  move.setLong(at, event.tx());
                  move.setLong(at + 1, event.position());
                  move.executeUpdate();
                }
              }
            }
          }
        }
        try (PreparedStatement resolve = connection.prepareStatement(RESOLVE)) {
          resolve.setString(1, retry ? "RETRIED" : "SKIPPED");
          resolve.setLong(2, id);
          resolve.executeUpdate();
        }
        connection.commit();
        return true;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("resolving a dead letter of " + consumer, e);
    }
  }
}
