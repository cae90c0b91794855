package dev.ordo.postgres.readmodel;

import dev.ordo.consumer.Target;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.postgres.AdvisoryLease;
import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.Statements;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One generation of a projection into tables of the read database: its tables live in a schema of
 * their own ({@code product_read_g3}), its checkpoint in its row of {@code projection_generations},
 * and a batch is one transaction with the schema first on its {@code search_path}, so a projection
 * names its tables without a schema. The ACTIVE generation is read through views of the same names
 * in {@code public}; a BUILDING one takes over by re-pointing them in its batch's transaction.
 */
final class TableTarget implements Target<Connection, LogPosition> {

  private static final Logger log = LoggerFactory.getLogger(TableTarget.class);

  private static final String LOCK_GENERATION = """
      SELECT tx_id, position, state FROM projection_generations WHERE name = ? AND generation = ? FOR UPDATE
      """;

  /**
   * Not locked: a lock would give the transaction an id from its first statement, and the log
   * holds back every event committed after a transaction id still running (the horizon), so each
   * batch would hide the events appended while it runs. The move below checks the checkpoint instead.
   * No waiting for the disk on commit: read models are rebuilt from the log, and the checkpoint
   * commits with them.
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

  private final DataSource readDatabase;
  private final String projection;
  private final int generation;
  private final String schema;
  private volatile boolean building;
  private volatile boolean retired;

  TableTarget(DataSource readDatabase, Generation generation) {
    this.readDatabase = readDatabase;
    this.projection = generation.name();
    this.generation = generation.generation();
    this.schema = generation.schema();
    this.building = generation.state() == Generation.State.BUILDING;
  }

  @Override
  public String name() {
    return schema;
  }

  int generation() {
    return generation;
  }

  @Override
  public boolean building() {
    return building;
  }

  @Override
  public boolean retired() {
    return retired;
  }

  @Override
  public boolean isTransient(Throwable failure) {
    return DatabaseErrors.isTransient(failure);
  }

  @Override
  public Optional<LogPosition> checkpoint() {
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = Statements.prepare(connection, READ_CHECKPOINT)) {
      select.setString(1, projection);
      select.setInt(2, generation);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(new LogPosition(rs.getLong(1), rs.getLong(2))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the checkpoint of " + projection, e);
    }
  }

  @Override
  public Optional<Lease> lead() throws SQLException {
    return AdvisoryLease.tryAcquire(readDatabase, "ordo-projection:" + projection + ":" + generation);
  }

  @Override
  public boolean blocked() throws SQLException {
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(BLOCKED)) {
      select.setString(1, projection);
      select.setInt(2, generation);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    }
  }

  @Override
  public Transaction<Connection, LogPosition> begin() throws SQLException {
    Connection connection = readDatabase.getConnection();
    try {
      connection.setAutoCommit(false);
      try (PreparedStatement begin = connection.prepareStatement(BEGIN_BATCH)) {
        begin.setString(1, schema + ", public");
        begin.setString(2, projection);
        begin.setInt(3, generation);
        try (ResultSet rs = begin.executeQuery()) {
          return new Batch(connection, checkpoint(rs));
        }
      }
    } catch (SQLException | RuntimeException e) {
      new Batch(connection, null).close();
      throw e;
    }
  }

  /** The row's checkpoint; a missing or retired row stops the runner. */
  private LogPosition checkpoint(ResultSet rs) throws SQLException {
    if (!rs.next() || "RETIRED".equals(rs.getString(3))) {
      retired = true;
      throw new IllegalStateException("projection " + projection + " generation " + generation + " has been retired");
    }
    building = "BUILDING".equals(rs.getString(3)); // a take-over whose commit failed is tried again
    return new LogPosition(rs.getLong(1), rs.getLong(2));
  }

  @Override
  public void takeOverIfDrained(Predicate<LogPosition> drained) throws SQLException {
    try (Connection connection = readDatabase.getConnection()) {
      connection.setAutoCommit(false);
      try {
        LogPosition checkpoint;
        try (PreparedStatement lock = connection.prepareStatement(LOCK_GENERATION)) {
          lock.setString(1, projection);
          lock.setInt(2, generation);
          try (ResultSet rs = lock.executeQuery()) {
            checkpoint = checkpoint(rs);
          }
        }
        if (building && drained.test(checkpoint)) {
          takeOverIfCaughtUp(connection, checkpoint);
        }
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    }
  }

  /**
   * Takes over from the ACTIVE generation if this one stands at or past it. The active row is
   * locked, so it cannot move meanwhile.
   */
  private void takeOverIfCaughtUp(Connection connection, LogPosition at) throws SQLException {
    Integer active = null;
    try (PreparedStatement lock = connection.prepareStatement(LOCK_ACTIVE)) {
      lock.setString(1, projection);
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
      update(connection, RETIRE, active);
    }
    update(connection, ACTIVATE, generation);
    pointViewsAt(connection, schema);
    building = false;
    log.info("projection {}: generation {} took over from generation {} at {}", projection, generation, active, at);
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

  private void update(Connection connection, String sql, int generation) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      update.setString(1, projection);
      update.setInt(2, generation);
      update.executeUpdate();
    }
  }

  /** A batch's transaction on a connection of its own. */
  private final class Batch implements Transaction<Connection, LogPosition> {

    private final Connection connection;
    private final LogPosition checkpoint;
    private boolean done;

    Batch(Connection connection, LogPosition checkpoint) {
      this.connection = connection;
      this.checkpoint = checkpoint;
    }

    @Override
    public LogPosition checkpoint() {
      return checkpoint;
    }

    @Override
    public Connection work() {
      return connection;
    }

    /**
     * When the checkpoint moved meanwhile (a runner of another process that took over while this one
     * lost its lease) or the generation was retired, nothing of the batch may commit.
     */
    @Override
    public void move(LogPosition to, long applied) throws SQLException {
      try (PreparedStatement move = connection.prepareStatement(MOVE_CHECKPOINT)) {
        move.setLong(1, to.tx());
        move.setLong(2, to.position());
        move.setLong(3, applied);
        move.setString(4, projection);
        move.setInt(5, generation);
        move.setLong(6, checkpoint.tx());
        move.setLong(7, checkpoint.position());
        if (move.executeUpdate() != 1) {
          throw new IllegalStateException("projection " + projection + " generation " + generation
              + ": the checkpoint moved or the generation retired during the batch; trying again from the row");
        }
      }
    }

    @Override
    public void park(RecordedEvent event, LogPosition position, String error, int attempts, boolean blocking)
        throws SQLException {
      try (PreparedStatement park = connection.prepareStatement(PARK)) {
        park.setString(1, projection);
        park.setInt(2, generation);
        park.setLong(3, position.tx());
        park.setLong(4, position.position());
        park.setObject(5, event.eventId());
        park.setString(6, event.streamId());
        park.setString(7, event.type());
        park.setString(8, error);
        park.setInt(9, attempts);
        park.setBoolean(10, blocking);
        park.executeUpdate();
      }
    }

    @Override
    public void takeOverIfCaughtUp(LogPosition at) throws SQLException {
      TableTarget.this.takeOverIfCaughtUp(connection, at);
    }

    @Override
    public void commit() throws SQLException {
      connection.commit();
      done = true;
    }

    /** Rolls back what was not committed and gives the connection back; twice is once. */
    @Override
    public void close() {
      if (connection == null) {
        return;
      }
      try (connection) {
        if (!done) {
          done = true;
          connection.rollback();
        }
      } catch (SQLException ignored) {
        // the connection is gone; so is the transaction
      }
    }
  }
}
