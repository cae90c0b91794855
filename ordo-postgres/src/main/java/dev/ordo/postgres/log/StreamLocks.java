package dev.ordo.postgres.log;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * The careful path's advisory locks: they serialise careful writers of the same streams across
 * processes for the rest of the transaction, so the heads they read stay true until they commit.
 * Optimistic writers take no lock; their insert fails on the primary key instead.
 */
final class StreamLocks {

  /**
   * Locks in one order so two batches cannot deadlock. Takes no transaction id: the append stays
   * the transaction's first write.
   */
  private static final String LOCK_STREAMS = """
      SELECT count(pg_advisory_xact_lock(hashtextextended(stream_id, 0)))
        FROM (SELECT stream_id FROM unnest(?::text[]) AS s(stream_id) ORDER BY stream_id) AS sorted
      """;

  private StreamLocks() {}

  static void lock(Connection connection, List<PendingAppend> batch) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement(LOCK_STREAMS)) {
      lock.setArray(1, connection.createArrayOf("text", batch.stream().map(PendingAppend::streamId).distinct().toArray()));
      lock.executeQuery().close();
    }
  }
}
