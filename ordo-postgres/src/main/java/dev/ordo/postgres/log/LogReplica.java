package dev.ordo.postgres.log;

import dev.ordo.consumer.Projection;
import dev.ordo.consumer.Target;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.postgres.AdvisoryLease;
import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.checkpoints.PostgresCheckpoints.DeadLetter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * This database's log as a replica of other services' logs (distributed mode): a target whose
 * effect is their events appended here as they were (same event ids, streams, versions, data,
 * metadata and times; new log positions), with the source's position in the same transaction. The
 * consumers of this process (read models, processes, search) then follow this log as they follow
 * a log of their own, and an event received twice is appended once (its id is unique). A stream's
 * version must follow the one before it: a gap is an error, never skipped.
 *
 * @param <P> the source's position, stored as text
 */
public final class LogReplica<P> implements Target<LogReplica.Appends, P> {

  private static final String LOAD = "SELECT position FROM replica_checkpoints WHERE name = ?";

  private static final String INSERT_CHECKPOINT = """
      INSERT INTO replica_checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO NOTHING
      """;

  private static final String MOVE = """
      UPDATE replica_checkpoints SET position = ?, updated_at = now() WHERE name = ? AND position = ?
      """;

  /** Events already here (by id) pass; a version that does not follow its stream's head fails the insert. */
  private static final String APPEND = """
      INSERT INTO events (stream_id, stream_version, stream_type, event_id, event_type, schema_version, data,
                          metadata, occurred_at)
      SELECT ?, ?, ?, ?, ?, ?, ?::jsonb, ?::jsonb, ?
       WHERE NOT EXISTS (SELECT 1 FROM events WHERE event_id = ?)
      """;

  private static final String GAPS = """
      SELECT s.stream_id, s.version
        FROM unnest(?::text[], ?::bigint[]) AS s(stream_id, version)
       WHERE s.version > 1
         AND NOT EXISTS (SELECT 1 FROM events e WHERE e.stream_id = s.stream_id AND e.stream_version = s.version - 1)
       LIMIT 1
      """;

  private final PostgresEventStore store;
  private final String name;
  private final P start;
  private final Function<P, String> encode;
  private final Function<String, P> decode;
  private final ReplicaDeadLetters deadLetters;

  /**
   * @param store  the log the events are appended to; its tails are woken after each batch
   * @param encode a position as text; {@code decode} reads it back
   */
  public LogReplica(PostgresEventStore store, String name, P start, Function<P, String> encode,
      Function<String, P> decode) {
    this.store = store;
    this.name = name;
    this.start = start;
    this.encode = encode;
    this.decode = decode;
    this.deadLetters = new ReplicaDeadLetters(store.dataSource(), name);
  }

  @Override
  public String name() {
    return name;
  }

  /** What the replica does with each event: appends it, every type alike. */
  public Projection<Appends> projection() {
    return new Projection<>() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public int version() {
        return 1;
      }

      @Override
      public Set<String> eventTypes() {
        return Set.of();
      }

      @Override
      public boolean handles(String type) {
        return true;
      }

      @Override
      public void apply(RecordedEvent event, Appends appends) {
        appends.add(event);
      }

      @Override
      public void flush(Appends appends) throws SQLException {
        appends.flush();
      }
    };
  }

  @Override
  public Optional<P> checkpoint() {
    try (Connection connection = store.dataSource().getConnection()) {
      return load(connection);
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the checkpoint of " + name, e);
    }
  }

  private Optional<P> load(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(LOAD)) {
      select.setString(1, name);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next() ? Optional.of(decode.apply(rs.getString(1))) : Optional.empty();
      }
    }
  }

  @Override
  public Optional<Lease> lead() throws SQLException {
    return AdvisoryLease.tryAcquire(store.dataSource(), "ordo-replica:" + name);
  }

  @Override
  public boolean isTransient(Throwable failure) {
    return DatabaseErrors.isTransient(failure);
  }

  @Override
  public boolean blocked() {
    return deadLetters.blocked();
  }

  /** Events parked and neither retried nor skipped yet. */
  public long parked() {
    return deadLetters.parked();
  }

  /** The events it parked, oldest first; a letter's position is the event's in the log of the service that wrote it. */
  public List<DeadLetter> deadLetters() {
    return deadLetters.list();
  }

  /** See {@link ReplicaDeadLetters#resolve}. */
  public boolean resolve(long id, boolean retry) {
    return deadLetters.resolve(id, retry);
  }

  @Override
  public Transaction<Appends, P> begin() throws SQLException {
    Connection connection = store.dataSource().getConnection();
    try {
      connection.setAutoCommit(false);
      Optional<P> saved = load(connection); // a read: the append stays the first write of the transaction
      return new ReplicaTransaction(connection, saved);
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** The events of a batch, appended when the projection flushes them. */
  public static final class Appends {

    private final Connection connection;
    private final List<RecordedEvent> pending = new ArrayList<>();
    private int appended;

    Appends(Connection connection) {
      this.connection = connection;
    }

    public void add(RecordedEvent event) {
      pending.add(event);
    }

    /** Appends what was added since the last call. */
    public void flush() throws SQLException {
      if (pending.isEmpty()) {
        return;
      }
      try (PreparedStatement append = connection.prepareStatement(APPEND)) {
        for (RecordedEvent e : pending) {
          append.setString(1, e.streamId());
          append.setLong(2, e.version());
          append.setString(3, e.streamType());
          append.setObject(4, e.eventId());
          append.setString(5, e.type());
          append.setInt(6, e.schemaVersion());
          append.setString(7, e.data());
          append.setString(8, EventRows.metadataJson(e.metadata()));
          append.setTimestamp(9, Timestamp.from(e.occurredAt()));
          append.setObject(10, e.eventId());
          append.addBatch();
        }
        for (int rows : append.executeBatch()) {
          appended += rows;
        }
        requireNoGap();
      } finally {
        pending.clear();
      }
    }

    private void requireNoGap() throws SQLException {
      try (PreparedStatement gaps = connection.prepareStatement(GAPS)) {
        gaps.setArray(1, connection.createArrayOf("text", pending.stream().map(RecordedEvent::streamId).toArray()));
        gaps.setArray(2, connection.createArrayOf("int8", pending.stream().map(RecordedEvent::version).toArray()));
        try (ResultSet rs = gaps.executeQuery()) {
          if (rs.next()) {
            throw new IllegalStateException("stream " + rs.getString(1) + " would skip to version " + rs.getLong(2)
                + ": an event before it never arrived");
          }
        }
      }
    }
  }

  private final class ReplicaTransaction implements Transaction<Appends, P> {

    private final Connection connection;
    private final Optional<P> saved;
    private final Appends appends;

    ReplicaTransaction(Connection connection, Optional<P> saved) {
      this.connection = connection;
      this.saved = saved;
      this.appends = new Appends(connection);
    }

    @Override
    public P checkpoint() {
      return saved.orElse(start);
    }

    @Override
    public Appends work() {
      return appends;
    }

    @Override
    public void move(P to, long applied) throws SQLException {
      appends.flush();
      try (PreparedStatement save = connection.prepareStatement(saved.isEmpty() ? INSERT_CHECKPOINT : MOVE)) {
        if (saved.isEmpty()) {
          save.setString(1, name);
          save.setString(2, encode.apply(to));
        } else {
          save.setString(1, encode.apply(to));
          save.setString(2, name);
          save.setString(3, encode.apply(saved.get()));
        }
        if (save.executeUpdate() != 1) {
          throw new IllegalStateException("the checkpoint of " + name + " moved meanwhile");
        }
      }
    }

    @Override
    public void park(RecordedEvent event, P position, String error, int attempts, boolean blocking)
        throws SQLException {
      deadLetters.park(connection, event, encode.apply(position), error, attempts, blocking);
    }

    @Override
    public void commit() throws SQLException {
      connection.commit();
      if (appends.appended > 0) {
        store.appendedElsewhere();
      }
    }

    @Override
    public void close() {
      try {
        if (!connection.getAutoCommit()) {
          connection.rollback();
        }
      } catch (SQLException ignored) {
        // the connection goes back to the pool, which resets it
      } finally {
        try {
          connection.close();
        } catch (SQLException ignored) {
          // nothing left to undo
        }
      }
    }
  }
}
