package dev.ordo.postgres.log;

import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.checkpoints.PostgresCheckpoints.DeadLetter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The events a {@link LogReplica} could not take, parked in {@code replica_dead_letters}, and their resolution. */
final class ReplicaDeadLetters {

  private static final String PARK = """
      INSERT INTO replica_dead_letters (name, position, source_position, event_id, stream_id, event_type, error,
                                        attempts, blocking)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (name, event_id) DO UPDATE
        SET error = excluded.error, attempts = replica_dead_letters.attempts + excluded.attempts,
            blocking = excluded.blocking, state = 'PARKED', resolved_at = NULL
      """;

  private static final String PARKED = "SELECT count(*) FROM replica_dead_letters WHERE name = ? AND state = 'PARKED'";

  private static final String LIST = """
      SELECT id, source_position, event_id, stream_id, event_type, error, attempts, blocking, state, created_at,
             resolved_at
        FROM replica_dead_letters WHERE name = ? ORDER BY id
      """;

  private static final String LOCK_PARKED = """
      SELECT position, blocking FROM replica_dead_letters WHERE name = ? AND id = ? AND state = 'PARKED' FOR UPDATE
      """;

  private static final String SKIP_TO = """
      INSERT INTO replica_checkpoints (name, position) VALUES (?, ?)
      ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = now()
      """;

  private static final String RESOLVE = "UPDATE replica_dead_letters SET state = ?, resolved_at = now() WHERE id = ?";

  private static final String BLOCKED = """
      SELECT 1 FROM replica_dead_letters WHERE name = ? AND state = 'PARKED' AND blocking
      """;

  private final DataSource database;
  private final String name;

  ReplicaDeadLetters(DataSource database, String name) {
    this.database = database;
    this.name = name;
  }

  void park(Connection connection, RecordedEvent event, String position, String error, int attempts,
      boolean blocking) throws SQLException {
    try (PreparedStatement park = connection.prepareStatement(PARK)) {
      park.setString(1, name);
      park.setString(2, position);
      park.setLong(3, event.position());
      park.setObject(4, event.eventId());
      park.setString(5, event.streamId());
      park.setString(6, event.type());
      park.setString(7, error);
      park.setInt(8, attempts);
      park.setBoolean(9, blocking);
      park.executeUpdate();
    }
  }

  /** Events parked and neither retried nor skipped yet. */
  long parked() {
    try (Connection connection = database.getConnection();
        PreparedStatement select = connection.prepareStatement(PARKED)) {
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("counting the dead letters of " + name, e);
    }
  }

  List<DeadLetter> list() {
    try (Connection connection = database.getConnection();
        PreparedStatement select = connection.prepareStatement(LIST)) {
      select.setString(1, name);
      List<DeadLetter> letters = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          Timestamp resolved = rs.getTimestamp(11);
          letters.add(new DeadLetter(rs.getLong(1), rs.getLong(2), rs.getString(3), rs.getString(4), rs.getString(5),
              rs.getString(6), rs.getInt(7), rs.getBoolean(8), rs.getString(9), rs.getTimestamp(10).toInstant(),
              resolved == null ? null : resolved.toInstant()));
        }
      }
      return letters;
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the dead letters of " + name, e);
    }
  }

  /**
   * Resolves a parked event as the log's consumers do: retried, the replica stopped at it takes it
   * again when it goes on; skipped, its checkpoint moves past it in the same transaction. False
   * when the letter is not parked.
   *
   * @throws IllegalArgumentException for a retry of a letter the replica went past
   */
  boolean resolve(long id, boolean retry) {
    try (Connection connection = database.getConnection()) {
      connection.setAutoCommit(false);
      try {
        String position;
        boolean blocking;
        try (PreparedStatement lock = connection.prepareStatement(LOCK_PARKED)) {
          lock.setString(1, name);
          lock.setLong(2, id);
          try (ResultSet rs = lock.executeQuery()) {
            if (!rs.next()) {
              connection.rollback();
              return false;
            }
            position = rs.getString(1);
            blocking = rs.getBoolean(2);
          }
        }
        if (retry && !blocking) {
          throw new IllegalArgumentException("the replica went on past dead letter " + id
              + "; it can be skipped, not retried");
        }
        if (!retry && blocking) { // it stopped right before the event: past it is the letter's position
          try (PreparedStatement skip = connection.prepareStatement(SKIP_TO)) {
            skip.setString(1, name);
            skip.setString(2, position);
            skip.executeUpdate();
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
      throw DatabaseErrors.translate("resolving a dead letter of " + name, e);
    }
  }

  boolean blocked() {
    try (Connection connection = database.getConnection();
        PreparedStatement select = connection.prepareStatement(BLOCKED)) {
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the dead letters of " + name, e);
    }
  }
}
