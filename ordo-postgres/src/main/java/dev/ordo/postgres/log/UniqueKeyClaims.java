package dev.ordo.postgres.log;

import dev.ordo.eventstore.UniqueKey;
import dev.ordo.eventstore.EventStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Unique keys (a product name within a store) released and claimed in the append's own
 * transaction: the {@code unique_keys} table decides, not a read beforehand.
 */
final class UniqueKeyClaims {

  private static final String RELEASE_KEYS = """
      DELETE FROM unique_keys k
       USING unnest(?::text[], ?::text[], ?::text[]) AS r(scope, value, stream_id)
       WHERE k.scope = r.scope AND k.value = r.value AND k.stream_id = r.stream_id
      """;

  /** Returns each key granted: new, or held by the same stream already. */
  private static final String CLAIM_KEYS = """
      INSERT INTO unique_keys (scope, value, stream_id)
      SELECT * FROM unnest(?::text[], ?::text[], ?::text[])
      ON CONFLICT (scope, value) DO UPDATE SET stream_id = excluded.stream_id
       WHERE unique_keys.stream_id = excluded.stream_id
      RETURNING scope, value, stream_id
      """;

  /** A unique key of the batch is held by another stream; the transaction is rolled back. */
  static final class KeyTaken extends RuntimeException {
    final EventStoreException.UniqueKeyTaken taken;

    KeyTaken(EventStoreException.UniqueKeyTaken taken) {
      super(taken.getMessage(), null, false, false);
      this.taken = taken;
    }
  }

  private static final Comparator<String[]> KEY_ORDER =
      Comparator.<String[], String>comparing(row -> row[0]).thenComparing(row -> row[1]);

  private UniqueKeyClaims() {}

  /** Releases, then claims, the accepted appends' unique keys; throws {@link KeyTaken} if one is held. */
  static void releaseAndClaim(Connection connection, List<PendingAppend> accepted) throws SQLException {
    List<String[]> releases = new ArrayList<>();
    List<String[]> claims = new ArrayList<>();
    for (PendingAppend p : accepted) {
      p.request().releases().forEach(k -> releases.add(new String[] {k.scope(), k.value(), p.streamId()}));
      p.request().claims().forEach(k -> claims.add(new String[] {k.scope(), k.value(), p.streamId()}));
    }
    // one order for every batch, so two batches claiming the same keys cannot deadlock on each other
    releases.sort(KEY_ORDER);
    claims.sort(KEY_ORDER);
    if (!releases.isEmpty()) {
      try (PreparedStatement delete = connection.prepareStatement(RELEASE_KEYS)) {
        setColumns(connection, delete, releases);
        delete.executeUpdate();
      }
    }
    if (claims.isEmpty()) {
      return;
    }
    Map<String, String> granted = new HashMap<>();
    try (PreparedStatement insert = connection.prepareStatement(CLAIM_KEYS)) {
      setColumns(connection, insert, claims);
      try (ResultSet rs = insert.executeQuery()) {
        while (rs.next()) {
          granted.put(rs.getString(1) + "\u0000" + rs.getString(2), rs.getString(3));
        }
      }
    }
    for (PendingAppend p : accepted) {
      for (UniqueKey key : p.request().claims()) {
        if (!p.streamId().equals(granted.get(key.scope() + "\u0000" + key.value()))) {
          throw new KeyTaken(new EventStoreException.UniqueKeyTaken(key));
        }
      }
    }
  }

  private static void setColumns(Connection connection, PreparedStatement statement, List<String[]> rows)
      throws SQLException {
    for (int column = 0; column < 3; column++) {
      int c = column;
      statement.setArray(column + 1, connection.createArrayOf("text", rows.stream().map(r -> r[c]).toArray()));
    }
  }
}
