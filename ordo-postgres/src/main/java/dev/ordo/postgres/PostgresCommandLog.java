package dev.ordo.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The command log (table {@code commands}): commands accepted and not yet done, and the answers of
 * those that are, kept for Idempotency-Key replays and {@code GET /commands/{id}}. A successful
 * command's record is written by its append, in the same transaction ({@code CommandCompletion});
 * everything else is written here.
 */
public final class PostgresCommandLog {

  /** A command as the log holds it. {@code payload} is set for commands accepted to run later. */
  public record Entry(UUID commandId, String idempotencyKey, String fingerprint, String commandType, String status,
      String aggregateId, String payload, String metadata, Long expectedVersion, Integer statusCode, String result,
      String location, String problem) {

    public boolean pending() {
      return "PENDING".equals(status);
    }
  }

  private static final String COLUMNS = """
      command_id, idempotency_key, fingerprint, command_type, status, aggregate_id, payload::text, metadata::text,
      expected_version, status_code, result, location, problem""";

  private static final String FIND = "SELECT " + COLUMNS + " FROM commands WHERE command_id = ?";

  private static final String FIND_BY_KEY = "SELECT " + COLUMNS + " FROM commands WHERE idempotency_key = ?";

  private static final String ACCEPT = """
      INSERT INTO commands (command_id, idempotency_key, fingerprint, command_type, status, aggregate_id, payload,
                            metadata, expected_version)
      VALUES (?, ?, ?, ?, 'PENDING', ?, ?::jsonb, ?::jsonb, ?)
      ON CONFLICT (idempotency_key) DO NOTHING
      """;

  private static final String COMPLETE = """
      INSERT INTO commands (command_id, idempotency_key, fingerprint, command_type, status, aggregate_id,
                            status_code, result, location, completed_at)
      VALUES (?, ?, ?, ?, 'SUCCEEDED', ?, ?, ?, ?, now())
      ON CONFLICT (command_id) DO UPDATE
         SET status = 'SUCCEEDED', aggregate_id = excluded.aggregate_id, status_code = excluded.status_code,
             result = excluded.result, location = excluded.location, completed_at = now()
      """;

  private static final String FAIL = """
      UPDATE commands SET status = 'FAILED', status_code = ?, problem = ?, completed_at = now()
       WHERE command_id = ? AND status = 'PENDING'
      """;

  private static final String RELEASE = "DELETE FROM commands WHERE command_id = ? AND status = 'PENDING'";

  private static final String PENDING_ASYNC = """
      SELECT %s FROM commands WHERE status = 'PENDING' AND payload IS NOT NULL ORDER BY created_at
      """.formatted(COLUMNS);

  /** Keys claimed by a synchronous command whose process died before answering. */
  private static final String ABANDONED_CLAIMS = """
      DELETE FROM commands
       WHERE status = 'PENDING' AND payload IS NULL AND created_at < now() - make_interval(secs => ?)
      """;

  private static final String EXPIRED = "DELETE FROM commands WHERE expires_at < now() AND status <> 'PENDING'";

  private final DataSource dataSource;

  public PostgresCommandLog(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  public Optional<Entry> find(UUID commandId) {
    return queryOne(FIND, statement -> statement.setObject(1, commandId));
  }

  public Optional<Entry> findByKey(String idempotencyKey) {
    return queryOne(FIND_BY_KEY, statement -> statement.setString(1, idempotencyKey));
  }

  /**
   * Records a command as accepted and not yet done. With a payload, it is to run later and survives
   * a restart; without one, it only holds its Idempotency-Key while it runs.
   *
   * @return false when the key is held by another command already
   */
  public boolean accept(UUID commandId, String idempotencyKey, String fingerprint, String commandType,
      String aggregateId, String payload, String metadata, Long expectedVersion) {
    return update(ACCEPT, statement -> {
      statement.setObject(1, commandId);
      statement.setString(2, idempotencyKey);
      statement.setString(3, fingerprint);
      statement.setString(4, commandType);
      statement.setString(5, aggregateId);
      statement.setString(6, payload);
      statement.setString(7, metadata);
      if (expectedVersion == null) {
        statement.setNull(8, Types.BIGINT);
      } else {
        statement.setLong(8, expectedVersion);
      }
    }) == 1;
  }

  /** Records the answer of a command that succeeded without appending (it changed nothing). */
  public void complete(UUID commandId, String idempotencyKey, String fingerprint, String commandType,
      String aggregateId, int statusCode, String result, String location) {
    update(COMPLETE, statement -> {
      statement.setObject(1, commandId);
      statement.setString(2, idempotencyKey);
      statement.setString(3, fingerprint);
      statement.setString(4, commandType);
      statement.setString(5, aggregateId);
      statement.setInt(6, statusCode);
      statement.setString(7, result);
      statement.setString(8, location);
    });
  }

  /** Records that an accepted command failed, with the problem answered. */
  public void fail(UUID commandId, int statusCode, String problem) {
    update(FAIL, statement -> {
      statement.setInt(1, statusCode);
      statement.setString(2, problem);
      statement.setObject(3, commandId);
    });
  }

  /** Forgets an accepted command that can be tried again (it failed for a passing reason). */
  public void release(UUID commandId) {
    update(RELEASE, statement -> statement.setObject(1, commandId));
  }

  public List<Entry> pendingAsync() {
    return query(PENDING_ASYNC, statement -> {});
  }

  public int removeAbandonedClaims(Duration olderThan) {
    return update(ABANDONED_CLAIMS, statement -> statement.setDouble(1, olderThan.toMillis() / 1000.0));
  }

  /** Removes the records past their retention (24 hours unless the row says otherwise). */
  public int removeExpired() {
    return update(EXPIRED, statement -> {});
  }

  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private Optional<Entry> queryOne(String sql, Binder binder) {
    List<Entry> entries = query(sql, binder);
    return entries.isEmpty() ? Optional.empty() : Optional.of(entries.getFirst());
  }

  private List<Entry> query(String sql, Binder binder) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = Statements.prepare(connection, sql)) {
      binder.bind(statement);
      List<Entry> entries = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          long expected = rs.getLong(9);
          Long expectedVersion = rs.wasNull() ? null : expected;
          int code = rs.getInt(10);
          Integer statusCode = rs.wasNull() ? null : code;
          entries.add(new Entry(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4),
              rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), expectedVersion, statusCode,
              rs.getString(11), rs.getString(12), rs.getString(13)));
        }
      }
      return entries;
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the command log", e);
    }
  }

  private int update(String sql, Binder binder) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = Statements.prepare(connection, sql)) {
      binder.bind(statement);
      return statement.executeUpdate();
    } catch (SQLException e) {
      throw DatabaseErrors.translate("writing the command log", e);
    }
  }
}
