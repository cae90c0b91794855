package dev.ordo.postgres.readmodel;

import dev.ordo.consumer.Projection;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The dead letters of one table projection ({@code projection_dead_letters}): listing them, and
 * resolving one by applying it again or skipping it, in the caller's transaction.
 */
final class DeadLetters {

  private static final String DELETE_DEAD_LETTERS = """
      DELETE FROM projection_dead_letters WHERE name = ? AND generation = ?
      """;

  private static final String DEAD_LETTERS = """
      SELECT id, generation, position, event_id, stream_id, event_type, error, attempts, blocking, state,
             created_at, resolved_at
        FROM projection_dead_letters WHERE name = ? ORDER BY id
      """;

  private static final String PARKED = """
      SELECT count(*) FROM projection_dead_letters WHERE name = ? AND state = 'PARKED'
      """;

  /** The generation's row, locked as a runner's take-over locks it. */
  private static final String LOCK_GENERATION = """
      SELECT 1 FROM projection_generations g
       WHERE (name, generation) = (SELECT name, generation FROM projection_dead_letters WHERE name = ? AND id = ?)
         FOR UPDATE
      """;

  private static final String LOCK_DEAD_LETTER = """
      SELECT d.generation, d.tx_id, d.position, d.blocking, g.tx_id, g.position
        FROM projection_dead_letters d JOIN projection_generations g USING (name, generation)
       WHERE d.name = ? AND d.id = ? AND d.state = 'PARKED'
         FOR UPDATE OF d
      """;

  private static final String RESOLVE = """
      UPDATE projection_dead_letters SET state = ?, resolved_at = now() WHERE id = ?
      """;

  private static final String RECORD_FAILURE = """
      UPDATE projection_dead_letters SET attempts = attempts + 1, error = ? WHERE id = ?
      """;

  private static final String MOVE_CHECKPOINT = """
      UPDATE projection_generations SET tx_id = ?, position = ?, updated_at = now() WHERE name = ? AND generation = ?
      """;

  private final EventStore store;
  private final Projection<Connection> projection;

  DeadLetters(EventStore store, Projection<Connection> projection) {
    this.store = store;
    this.projection = projection;
  }

  long parked(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(PARKED)) {
      select.setString(1, projection.name());
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  List<DeadLetter> list(Connection connection) throws SQLException {
    List<DeadLetter> letters = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(DEAD_LETTERS)) {
      select.setString(1, projection.name());
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          OffsetDateTime resolved = rs.getObject(12, OffsetDateTime.class);
          letters.add(new DeadLetter(rs.getLong(1), rs.getInt(2), rs.getLong(3), rs.getObject(4).toString(),
              rs.getString(5), rs.getString(6), rs.getString(7), rs.getInt(8), rs.getBoolean(9),
              rs.getString(10), rs.getObject(11, OffsetDateTime.class).toInstant(),
              resolved == null ? null : resolved.toInstant()));
        }
      }
    }
    return letters;
  }

  /**
   * Applies the parked event again ({@code retry}) or gives up on it, moving a checkpoint stopped
   * at it past it; null when done, else why not ("missing": not parked).
   */
  String resolve(Connection connection, long id, boolean retry) throws SQLException {
    int generation;
    LogPosition event;
    boolean blocking;
    LogPosition checkpoint;
    // the generation's row first, as a take-over locks it; a batch that commits meanwhile finds its checkpoint moved
    try (PreparedStatement lock = connection.prepareStatement(LOCK_GENERATION)) {
      lock.setString(1, projection.name());
      lock.setLong(2, id);
      lock.executeQuery().close();
    }
    try (PreparedStatement lock = connection.prepareStatement(LOCK_DEAD_LETTER)) {
      lock.setString(1, projection.name());
      lock.setLong(2, id);
      try (ResultSet rs = lock.executeQuery()) {
        if (!rs.next()) {
          return "missing";
        }
        generation = rs.getInt(1);
        event = new LogPosition(rs.getLong(2), rs.getLong(3));
        blocking = rs.getBoolean(4);
        checkpoint = new LogPosition(rs.getLong(5), rs.getLong(6));
      }
    }
    if (retry) {
      Optional<RecordedEvent> recorded = eventAt(event);
      if (recorded.isEmpty()) {
        return "the event at position " + event.position() + " is no longer in the log";
      }
      try (Statement statement = connection.createStatement()) {
        statement.execute("SET LOCAL search_path = " + Generation.schema(projection.name(), generation) + ", public");
        statement.execute("SAVEPOINT retry");
      }
      try {
        projection.apply(recorded.get(), connection);
        projection.flush(connection);
      } catch (Exception e) {
        try (Statement statement = connection.createStatement()) {
          statement.execute("ROLLBACK TO SAVEPOINT retry");
        }
        try (PreparedStatement update = connection.prepareStatement(RECORD_FAILURE)) {
          update.setString(1, String.valueOf(e));
          update.setLong(2, id);
          update.executeUpdate();
        }
        return "still fails: " + e;
      }
    }
    if (blocking && event.isAfter(checkpoint)) {
      try (PreparedStatement move = connection.prepareStatement(MOVE_CHECKPOINT)) {
        move.setLong(1, event.tx());
        move.setLong(2, event.position());
        move.setString(3, projection.name());
        move.setInt(4, generation);
        move.executeUpdate();
      }
    }
    try (PreparedStatement resolve = connection.prepareStatement(RESOLVE)) {
      resolve.setString(1, retry ? "RETRIED" : "SKIPPED");
      resolve.setLong(2, id);
      resolve.executeUpdate();
    }
    return null;
  }

  void drop(Connection connection, int generation) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(DELETE_DEAD_LETTERS)) {
      delete.setString(1, projection.name());
      delete.setInt(2, generation);
      delete.executeUpdate();
    }
  }

  private Optional<RecordedEvent> eventAt(LogPosition position) {
    LogPage page = store.readLog(new LogPosition(position.tx(), position.position() - 1), 1);
    return page.events().stream().filter(e -> e.position() == position.position()).findFirst();
  }
}
