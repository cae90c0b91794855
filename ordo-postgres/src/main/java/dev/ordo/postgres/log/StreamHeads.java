package dev.ordo.postgres.log;

import dev.ordo.postgres.Statements;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the optimistic path takes its stream heads from: the heads this process wrote, kept in
 * memory, and for the streams it does not know, one read of the database.
 *
 * <p>A remembered head is never ahead of the database: it is set after its commit, and only this
 * process's batches (one per stream at a time) set it. It may lag behind appends of other
 * processes; then the insert fails on the primary key and the batch is retried carefully, after
 * {@link #forget} drops the batch's streams.
 */
final class StreamHeads {

  private static final String READ_HEADS = """
      SELECT s.stream_id,
             coalesce((SELECT max(e.stream_version) FROM events e WHERE e.stream_id = s.stream_id), 0)
        FROM unnest(?::text[]) AS s(stream_id)
      """;

  private static final int KNOWN_HEADS = 100_000;

  /** Most recently used last; the least recently used head is dropped beyond {@link #KNOWN_HEADS}. */
  private final Map<String, Long> knownHeads = new LinkedHashMap<>(1 << 16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
      return size() > KNOWN_HEADS;
    }
  };

  /** Puts the heads this process knows into {@code heads}; returns the streams it does not know. */
  List<String> lookUp(List<PendingAppend> batch, Map<String, Long> heads) {
    List<String> unknown = new ArrayList<>();
    synchronized (knownHeads) {
      for (PendingAppend p : batch) {
        Long head = knownHeads.get(p.streamId());
        if (head != null) {
          heads.put(p.streamId(), head);
        } else if (!unknown.contains(p.streamId())) {
          unknown.add(p.streamId());
        }
      }
    }
    return unknown;
  }

  /** Called after the commit of the appends it is given. */
  void remember(List<PendingAppend> accepted, Map<String, Long> heads) {
    synchronized (knownHeads) {
      accepted.forEach(p -> knownHeads.put(p.streamId(), heads.get(p.streamId())));
    }
  }

  void forget(List<PendingAppend> batch) {
    synchronized (knownHeads) {
      batch.forEach(p -> knownHeads.remove(p.streamId()));
    }
  }

  /** Reads the heads of {@code streams} from the database into {@code heads}. */
  static void read(Connection connection, List<String> streams, Map<String, Long> heads) throws SQLException {
    try (PreparedStatement select = Statements.prepare(connection, READ_HEADS)) {
      select.setArray(1, connection.createArrayOf("text", streams.toArray()));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          heads.put(rs.getString(1), rs.getLong(2));
        }
      }
    }
  }
}
