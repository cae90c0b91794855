package dev.ordo.postgres.log;

import dev.ordo.postgres.Statements;

import dev.ordo.eventstore.AppendResult;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * What the careful path reads under its locks: the heads of the batch's streams, and the events of
 * the batch that are stored already, so a retried append is answered with its original result
 * (appending the same event ids again is idempotent).
 */
final class StoredEvents {

  /**
   * In one round trip: the head version of every stream in the batch, and every event of the batch
   * already stored (a retried append).
   */
  private static final String READ_STATE = """
      SELECT s.stream_id,
             coalesce((SELECT max(e.stream_version) FROM events e WHERE e.stream_id = s.stream_id), 0),
             NULL::uuid, NULL::bigint
        FROM unnest(?::text[]) AS s(stream_id)
      UNION ALL
      SELECT stream_id, stream_version, event_id, global_position
        FROM events
       WHERE event_id = ANY (?::uuid[])
      """;

  record Stored(String streamId, long version, long position) {}

  private StoredEvents() {}

  /** Puts each stream's head into {@code heads} and each stored event of the batch into {@code stored}. */
  static void read(Connection connection, List<PendingAppend> batch, Map<UUID, Stored> stored,
      Map<String, Long> heads) throws SQLException {
    List<UUID> ids = new ArrayList<>();
    batch.forEach(p -> p.events().forEach(e -> ids.add(e.eventId())));
    String[] streams = batch.stream().map(PendingAppend::streamId).distinct().toArray(String[]::new);
    try (PreparedStatement select = Statements.prepare(connection, READ_STATE)) {
      select.setArray(1, connection.createArrayOf("text", streams));
      select.setArray(2, connection.createArrayOf("uuid", ids.toArray()));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          UUID eventId = rs.getObject(3, UUID.class);
          if (eventId == null) {
            heads.put(rs.getString(1), rs.getLong(2));
          } else {
            stored.put(eventId, new Stored(rs.getString(1), rs.getLong(2), rs.getLong(4)));
          }
        }
      }
    }
  }

  /**
   * For an append whose events are stored already: its original result, or the error for ids
   * that are only partly stored or stored elsewhere. Null when none of its events is stored.
   */
  static Object earlierOutcome(PendingAppend p, Map<UUID, Stored> stored) {
    List<Stored> found = p.events().stream().map(e -> stored.get(e.eventId())).filter(s -> s != null).toList();
    if (found.isEmpty()) {
      return null;
    }
    if (found.size() < p.events().size() || found.stream().anyMatch(s -> !s.streamId().equals(p.streamId()))) {
      return new IllegalArgumentException(
          "append to " + p.streamId() + ": some of its event ids are already stored, not all in this stream");
    }
    Stored last = found.stream().max((a, b) -> Long.compare(a.version(), b.version())).orElseThrow();
    return new AppendResult(p.streamId(), last.version(), last.position());
  }
}
