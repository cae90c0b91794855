package dev.ordo.postgres.snapshots;

import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.Statements;

import dev.ordo.snapshot.Snapshot;
import dev.ordo.snapshot.SnapshotStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import javax.sql.DataSource;

/** The latest snapshot per stream, in the {@code snapshots} table beside the log. */
public final class PostgresSnapshotStore implements SnapshotStore {

  private static final String SAVE = """
      INSERT INTO snapshots (stream_id, stream_version, schema_version, state)
      VALUES (?, ?, ?, ?::jsonb)
      ON CONFLICT (stream_id) DO UPDATE
         SET stream_version = excluded.stream_version,
             schema_version = excluded.schema_version,
             state = excluded.state,
             created_at = now()
       WHERE snapshots.stream_version < excluded.stream_version
          OR snapshots.schema_version <> excluded.schema_version
      """;

  private static final String LOAD = """
      SELECT stream_version, schema_version, state::text FROM snapshots WHERE stream_id = ?
      """;

  private final DataSource dataSource;

  public PostgresSnapshotStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public void save(Snapshot snapshot) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement upsert = Statements.prepare(connection, SAVE)) {
      upsert.setString(1, snapshot.streamId());
      upsert.setLong(2, snapshot.version());
      upsert.setInt(3, snapshot.schemaVersion());
      upsert.setString(4, snapshot.state());
      upsert.executeUpdate();
    } catch (SQLException e) {
      throw DatabaseErrors.translate("saving a snapshot of " + snapshot.streamId(), e);
    }
  }

  @Override
  public Optional<Snapshot> load(String streamId, int schemaVersion) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = Statements.prepare(connection, LOAD)) {
      select.setString(1, streamId);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next() || rs.getInt(2) != schemaVersion) {
          return Optional.empty();
        }
        return Optional.of(new Snapshot(streamId, rs.getLong(1), schemaVersion, rs.getString(3)));
      }
    } catch (SQLException e) {
      throw DatabaseErrors.translate("loading the snapshot of " + streamId, e);
    }
  }
}
