package dev.ordo.postgres.log;

import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.Statements;

import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.LogTailer;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventStream;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.LogSubscriber;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.LogTailer;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.Subscription;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The event store on PostgreSQL: the {@code events} table of {@code V1__event_log.sql},
 * write-combined appends ({@link AppendCombiner}) and gap-free log reads.
 */
public final class PostgresEventStore implements EventStore, AutoCloseable {

  /**
   * @param writers        transactions appending at once; more than one lets a batch form while
   *                       another commits
   * @param maxBatchEvents events one append transaction takes at most
   * @param pollInterval   how often a tail looks for commits of other processes
   * @param tailLinger     how long a woken tail lets commits gather before it reads: fewer, larger
   *                       batches for projections under load, for at most this much added lag
   */
  public record Settings(int writers, int maxBatchEvents, Duration pollInterval, Duration tailLinger) {

    public static final Settings DEFAULTS = new Settings(2, 4_000, Duration.ofMillis(500), Duration.ofMillis(3));
  }

  /** Named apart from the table's columns: ORDER BY tx_id must mean the xid8, not its text. */
  private static final String COLUMNS = """
      global_position, tx_id::text AS tx_text, event_id, stream_id, stream_type, stream_version, event_type,
      schema_version, data::text AS data_text, metadata->>'correlationId', metadata->>'causationId',
      metadata->>'actor', metadata->>'commandId', (extract(epoch FROM occurred_at) * 1000000)::bigint,
      metadata->>'traceparent', metadata->>'importedFrom'""";

  private static final String READ_STREAM = """
      SELECT %s
        FROM events
       WHERE stream_id = ? AND stream_version >= ?
       ORDER BY stream_version
      """.formatted(COLUMNS);

  private static final String STREAM_VERSION = """
      SELECT coalesce(max(stream_version), 0) FROM events WHERE stream_id = ?
      """;

  /**
   * Every committed row after the checkpoint in log order, each with the horizon: rows whose
   * transaction is not older than every transaction still open are held back in Java, so the
   * read and the horizon come from one snapshot.
   */
  private static final String READ_LOG = """
      SELECT %s, (SELECT pg_snapshot_xmin(pg_current_snapshot()))::text -- once per query, not per row
        FROM events
       WHERE (tx_id, global_position) > (?::xid8, ?)
       ORDER BY tx_id, global_position
       LIMIT ?
      """.formatted(COLUMNS);

  /** As {@link #READ_LOG}, one actor's events (index {@code events_actor_idx}). */
  private static final String READ_ACTOR = """
      SELECT %s, (SELECT pg_snapshot_xmin(pg_current_snapshot()))::text
        FROM events
       WHERE metadata ->> 'actor' = ? AND (tx_id, global_position) > (?::xid8, ?)
       ORDER BY tx_id, global_position
       LIMIT ?
      """.formatted(COLUMNS);

  private static final String LOCATE = """
      SELECT tx_id::text FROM events WHERE global_position = ?
      """;

  private static final String HEAD = "SELECT coalesce(max(global_position), 0) FROM events";

  private final DataSource dataSource;
  private final EventTypes types;
  private final Settings settings;
  private final LogTailer.Signal signal = new LogTailer.Signal();
  private final AppendCombiner appends;

  public PostgresEventStore(DataSource dataSource, EventTypes types) {
    this(dataSource, types, Settings.DEFAULTS);
  }

  public PostgresEventStore(DataSource dataSource, EventTypes types, Settings settings) {
    this.dataSource = Objects.requireNonNull(dataSource);
    this.types = Objects.requireNonNull(types);
    this.settings = settings;
    this.appends = new AppendCombiner(dataSource, settings.writers(), settings.maxBatchEvents(), signal::fire);
  }

  @Override
  public AppendResult append(AppendRequest request) {
    request.validate(types);
    return appends.append(request);
  }

  @Override
  public EventStream readStream(String streamId, long fromVersion) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = Statements.prepare(connection, READ_STREAM)) {
      select.setString(1, streamId);
      select.setLong(2, fromVersion);
      List<RecordedEvent> events = new ArrayList<>();
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          events.add(types.upcast(recordedEvent(rs)));
        }
      }
      long version = events.isEmpty() ? streamVersion(connection, streamId) : events.getLast().version();
      return new EventStream(streamId, version, events);
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading stream " + streamId, e);
    }
  }

  private static long streamVersion(Connection connection, String streamId) throws SQLException {
    try (PreparedStatement select = Statements.prepare(connection, STREAM_VERSION)) {
      select.setString(1, streamId);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  @Override
  public LogPage readLog(LogPosition after, int limit) {
    return read(READ_LOG, null, after, limit);
  }

  @Override
  public LogPage readActor(String actor, LogPosition after, int limit) {
    return read(READ_ACTOR, actor, after, limit);
  }

  private LogPage read(String sql, String actor, LogPosition after, int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be at least 1");
    }
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = Statements.prepare(connection, sql)) {
      int i = 1;
      if (actor != null) {
        select.setString(i++, actor);
      }
      select.setString(i++, Long.toUnsignedString(after.tx()));
      select.setLong(i++, after.position());
      select.setInt(i, limit);
      List<RecordedEvent> events = new ArrayList<>();
      boolean pending = false;
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          long horizon = Long.parseUnsignedLong(rs.getString(17));
          if (Long.parseUnsignedLong(rs.getString(2)) >= horizon) {
            pending = true;
            break;
          }
          events.add(recordedEvent(rs));
        }
      }
      // Upcast outside the loop over the cursor; an unknown type fails the whole read.
      return new LogPage(events.stream().map(types::upcast).toList(), pending);
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the log", e);
    }
  }

  @Override
  public Optional<LogPosition> locate(long position) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = Statements.prepare(connection, LOCATE)) {
      select.setLong(1, position);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next()
            ? Optional.of(new LogPosition(Long.parseUnsignedLong(rs.getString(1)), position))
            : Optional.empty();
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("locating position " + position, e);
    }
  }

  @Override
  public long head() {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = Statements.prepare(connection, HEAD);
        ResultSet rs = select.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the head of the log", e);
    }
  }

  @Override
  public Subscription subscribe(String name, LogPosition after, int batchSize, LogSubscriber.Consumer consumer) {
    return new LogTailer(name, this, signal, after, batchSize, consumer, settings.pollInterval(), settings.tailLinger()).start();
  }

  /** Finishes the appends already queued and stops the writers. */
  /** Wakes this process's tails after events were written beside the append path ({@link LogReplica}). */
  void appendedElsewhere() {
    signal.fire();
  }

  DataSource dataSource() {
    return dataSource;
  }

  @Override
  public void close() {
    appends.close();
  }

  private static RecordedEvent recordedEvent(ResultSet rs) throws SQLException {
    return new RecordedEvent(
        new LogPosition(Long.parseUnsignedLong(rs.getString(2)), rs.getLong(1)),
        rs.getObject(3, UUID.class),
        rs.getString(4),
        rs.getString(5),
        rs.getLong(6),
        rs.getString(7),
        rs.getInt(8),
        rs.getString(9),
        // the metadata's fields and the time come out of PostgreSQL ready to use: no JSON or date parsing per event
        new EventMetadata(rs.getString(10), rs.getString(11), rs.getString(12), rs.getString(13), rs.getString(15),
            rs.getString(16)),
        Instant.EPOCH.plus(rs.getLong(14), ChronoUnit.MICROS));
  }
}
