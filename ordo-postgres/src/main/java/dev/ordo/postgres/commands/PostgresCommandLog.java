package dev.ordo.postgres.commands;

import dev.ordo.codec.JsonStrings;
import dev.ordo.command.Caller;
import dev.ordo.command.CommandLog;
import dev.ordo.command.CommandMetadata;
import dev.ordo.command.CommandRecord;
import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.AppendRequest;
import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.Statements;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * The command log in table {@code commands}, the only code that reads or writes it. A successful
 * command that appended is recorded by the append's own transaction, through
 * {@link #recordAppended}; everything else is written on connections of its own.
 *
 * <p>A command's payload is kept only while it waits to run: it may hold personal data, which must
 * live nowhere but sealed in the log, and nothing needs it once the command succeeded or failed.
 */
public final class PostgresCommandLog implements CommandLog {

  private static final String COLUMNS = """
      command_id, idempotency_key, fingerprint, command_type, status, aggregate_id, payload::text,
      metadata ->> 'correlationId', metadata ->> 'causationId', metadata ->> 'actor', expected_version,
      version, position, created, problem, metadata IS NOT NULL,
      ARRAY(SELECT jsonb_array_elements_text(metadata -> 'roles')),
      ARRAY(SELECT jsonb_array_elements_text(metadata -> 'groups')), metadata ->> 'traceparent'""";

  private static final String FIND = "SELECT " + COLUMNS + " FROM commands WHERE command_id = ?";

  private static final String ACTOR = "SELECT metadata ->> 'actor' FROM commands WHERE command_id = ?";

  private static final String FIND_BY_KEY = "SELECT " + COLUMNS + " FROM commands WHERE idempotency_key = ?";

  private static final String ACCEPT = """
      INSERT INTO commands (command_id, idempotency_key, fingerprint, command_type, status, aggregate_id, payload,
                            metadata, expected_version)
      VALUES (?, ?, ?, ?, 'PENDING', ?, ?::jsonb, ?::jsonb, ?)
      ON CONFLICT (idempotency_key) DO NOTHING
      """;

  private static final String COMPLETE = """
      INSERT INTO commands (command_id, idempotency_key, fingerprint, command_type, status, aggregate_id,
                            version, position, created, completed_at)
      VALUES (?, ?, ?, ?, 'SUCCEEDED', ?, ?, ?, ?, now())
      ON CONFLICT (command_id) DO UPDATE
         SET status = 'SUCCEEDED', aggregate_id = excluded.aggregate_id, version = excluded.version,
             position = excluded.position, created = excluded.created, completed_at = now(), payload = NULL
      """;

  /** Completes the commands accepted earlier (PENDING), or records those that ran at once. */
  private static final String COMPLETE_APPENDED = """
      INSERT INTO commands (command_id, idempotency_key, fingerprint, command_type, aggregate_id, status,
                            version, position, created, metadata, completed_at)
      SELECT id, key, fingerprint, type, aggregate_id, 'SUCCEEDED', version, position, created,
             CASE WHEN actor IS NULL THEN NULL ELSE jsonb_build_object('actor', actor) END, now()
        FROM unnest(?::uuid[], ?::text[], ?::text[], ?::text[], ?::text[], ?::bigint[], ?::bigint[], ?::boolean[],
                    ?::text[])
             AS c(id, key, fingerprint, type, aggregate_id, version, position, created, actor)
      ON CONFLICT (command_id) DO UPDATE
         SET status = 'SUCCEEDED', aggregate_id = excluded.aggregate_id, version = excluded.version,
             position = excluded.position, created = excluded.created, completed_at = now(), problem = NULL,
             payload = NULL
      """;

  private static final String FAIL = """
      UPDATE commands SET status = 'FAILED', problem = ?, completed_at = now(), payload = NULL
       WHERE command_id = ? AND status = 'PENDING'
      """;

  private static final String RELEASE = "DELETE FROM commands WHERE command_id = ? AND status = 'PENDING'";

  private static final String DEFERRED = """
      SELECT %s FROM commands WHERE status = 'PENDING' AND payload IS NOT NULL ORDER BY created_at
      """.formatted(COLUMNS);

  /** Keys claimed by a command run at once whose process died before answering. */
  private static final String ABANDONED_CLAIMS = """
      DELETE FROM commands
       WHERE status = 'PENDING' AND payload IS NULL AND created_at < now() - make_interval(secs => ?)
      """;

  private static final String EXPIRED = "DELETE FROM commands WHERE expires_at < now() AND status <> 'PENDING'";

  private final DataSource dataSource;

  public PostgresCommandLog(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public Optional<CommandRecord> find(UUID commandId) {
    return query(FIND, statement -> statement.setObject(1, commandId)).stream().findFirst();
  }

  @Override
  public Optional<String> actor(UUID commandId) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = Statements.prepare(connection, ACTOR)) {
      statement.setObject(1, commandId);
      try (ResultSet rs = statement.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("reading the command log", e);
    }
  }

  @Override
  public Optional<CommandRecord> findByKey(String idempotencyKey) {
    return query(FIND_BY_KEY, statement -> statement.setString(1, idempotencyKey)).stream().findFirst();
  }

  @Override
  public boolean accept(CommandRecord.Pending command) {
    return update(ACCEPT, statement -> {
      statement.setObject(1, command.commandId());
      statement.setString(2, command.idempotencyKey());
      statement.setString(3, command.fingerprint());
      statement.setString(4, command.commandType());
      statement.setString(5, command.aggregateId());
      statement.setString(6, command.payload());
      statement.setString(7, metadataJson(command.metadata()));
      if (command.expectedVersion() == null) {
        statement.setNull(8, Types.BIGINT);
      } else {
        statement.setLong(8, command.expectedVersion());
      }
    }) == 1;
  }

  @Override
  public void complete(CommandRecord.Succeeded command) {
    update(COMPLETE, statement -> {
      statement.setObject(1, command.commandId());
      statement.setString(2, command.idempotencyKey());
      statement.setString(3, command.fingerprint());
      statement.setString(4, command.commandType());
      statement.setString(5, command.aggregateId());
      statement.setLong(6, command.version());
      statement.setLong(7, command.position());
      statement.setBoolean(8, command.created());
    });
  }

  @Override
  public void fail(UUID commandId, String problem) {
    update(FAIL, statement -> {
      statement.setString(1, problem);
      statement.setObject(2, commandId);
    });
  }

  @Override
  public void release(UUID commandId) {
    update(RELEASE, statement -> statement.setObject(1, commandId));
  }

  @Override
  public List<CommandRecord.Pending> deferred() {
    return query(DEFERRED, statement -> {}).stream().map(CommandRecord.Pending.class::cast).toList();
  }

  @Override
  public int removeAbandonedClaims(Duration olderThan) {
    return update(ABANDONED_CLAIMS, statement -> statement.setDouble(1, olderThan.toMillis() / 1000.0));
  }

  @Override
  public int removeExpired() {
    return update(EXPIRED, statement -> {});
  }

  /**
   * Records, in the caller's transaction, the commands completed by the appends it writes: each
   * command's aggregate, version and position are those of its append.
   *
   * @param results the result of the append of each completion, in the same order
   */
  public static void recordAppended(Connection connection, List<AppendRequest.CommandCompletion> completions,
      List<AppendResult> results) throws SQLException {
    int n = completions.size();
    UUID[] ids = new UUID[n];
    String[] keys = new String[n];
    String[] fingerprints = new String[n];
    String[] types = new String[n];
    String[] aggregates = new String[n];
    Long[] versions = new Long[n];
    Long[] positions = new Long[n];
    Boolean[] created = new Boolean[n];
    String[] actors = new String[n];
    for (int i = 0; i < n; i++) {
      AppendRequest.CommandCompletion c = completions.get(i);
      AppendResult result = results.get(i);
      ids[i] = c.commandId();
      keys[i] = c.idempotencyKey();
      fingerprints[i] = c.fingerprint();
      types[i] = c.commandType();
      aggregates[i] = result.streamId();
      versions[i] = result.version();
      positions[i] = result.position();
      created[i] = c.created();
      actors[i] = c.actor();
    }
    try (PreparedStatement upsert = connection.prepareStatement(COMPLETE_APPENDED)) {
      upsert.setArray(1, connection.createArrayOf("uuid", ids));
      upsert.setArray(2, connection.createArrayOf("text", keys));
      upsert.setArray(3, connection.createArrayOf("text", fingerprints));
      upsert.setArray(4, connection.createArrayOf("text", types));
      upsert.setArray(5, connection.createArrayOf("text", aggregates));
      upsert.setArray(6, connection.createArrayOf("int8", versions));
      upsert.setArray(7, connection.createArrayOf("int8", positions));
      upsert.setArray(8, connection.createArrayOf("bool", created));
      upsert.setArray(9, connection.createArrayOf("text", actors));
      upsert.executeUpdate();
    }
  }

  private static String metadataJson(CommandMetadata metadata) {
    if (metadata == null) {
      return null;
    }
    var json = new StringBuilder("{");
    appendField(json, "correlationId", metadata.correlationId());
    appendField(json, "causationId", metadata.causationId());
    appendField(json, "actor", metadata.actor());
    appendField(json, "traceparent", metadata.traceParent());
    if (metadata.caller() != null) {
      appendArray(json, "roles", metadata.caller().roles());
      appendArray(json, "groups", metadata.caller().groups());
    }
    return json.append('}').toString();
  }

  private static void appendArray(StringBuilder json, String name, Set<String> values) {
    json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":[");
    int i = 0;
    for (String value : new TreeSet<>(values)) {
      JsonStrings.appendQuoted(json.append(i++ > 0 ? "," : ""), value);
    }
    json.append(']');
  }

  private static void appendField(StringBuilder json, String name, String value) {
    if (value != null) {
      JsonStrings.appendQuoted(json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":"),
          value);
    }
  }

  private static CommandRecord read(ResultSet rs) throws SQLException {
    UUID commandId = rs.getObject(1, UUID.class);
    String key = rs.getString(2);
    String fingerprint = rs.getString(3);
    String type = rs.getString(4);
    String aggregateId = rs.getString(6);
    return switch (rs.getString(5)) {
      case "SUCCEEDED" -> new CommandRecord.Succeeded(commandId, type, key, fingerprint, aggregateId, rs.getLong(12),
          rs.getLong(13), rs.getBoolean(14));
      case "FAILED" -> new CommandRecord.Failed(commandId, type, key, fingerprint, rs.getString(15));
      default -> {
        String payload = rs.getString(7);
        CommandMetadata metadata = rs.getBoolean(16)
            ? new CommandMetadata(commandId, rs.getString(8), rs.getString(9), caller(rs), rs.getString(19)) : null;
        long expected = rs.getLong(11);
        Long expectedVersion = rs.wasNull() ? null : expected;
        yield new CommandRecord.Pending(commandId, type, key, fingerprint, aggregateId, payload, metadata,
            expectedVersion);
      }
    };
  }

  /** Who asked for a pending command, to be asked again when it runs; nobody if no one was recorded. */
  private static Caller caller(ResultSet rs) throws SQLException {
    String id = rs.getString(10);
    Array roles = rs.getArray(17);
    Array groups = rs.getArray(18);
    if (id == null && (roles == null || ((String[]) roles.getArray()).length == 0)) {
      return null;
    }
    return new Caller(id, Set.of((String[]) roles.getArray()), Set.of((String[]) groups.getArray()));
  }

  private interface Binder {
    void bind(PreparedStatement statement) throws SQLException;
  }

  private List<CommandRecord> query(String sql, Binder binder) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement statement = Statements.prepare(connection, sql)) {
      binder.bind(statement);
      List<CommandRecord> records = new ArrayList<>();
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          records.add(read(rs));
        }
      }
      return records;
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
