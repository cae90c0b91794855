package dev.ordo.postgres.log;

import dev.ordo.codec.JsonStrings;
import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.NewEvent;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A batch's accepted events as the rows of one multi-row insert: stream versions handed out, each
 * column an array, data and metadata as two JSON arrays; the result of each append read back
 * from the rows it returns.
 */
final class EventRows {

  /**
   * Every accepted event in one statement. Data and metadata travel as two JSON arrays, parsed once
   * by the server: cheaper than a text array whose every element must be escaped and parsed again.
   */
  private static final String INSERT_EVENTS = """
      INSERT INTO events (stream_id, stream_version, stream_type, event_id, event_type, schema_version,
                          data, metadata)
      SELECT e.stream_id, e.stream_version, e.stream_type, e.event_id, e.event_type, e.schema_version,
             d.value, m.value
        FROM unnest(?::text[], ?::bigint[], ?::text[], ?::uuid[], ?::text[], ?::int[]) WITH ORDINALITY
             AS e(stream_id, stream_version, stream_type, event_id, event_type, schema_version, n)
        JOIN jsonb_array_elements(?::jsonb) WITH ORDINALITY AS d(value, n) USING (n)
        JOIN jsonb_array_elements(?::jsonb) WITH ORDINALITY AS m(value, n) USING (n)
      RETURNING stream_id, stream_version, global_position
      """;

  /** As {@link #INSERT_EVENTS}, for batches holding an event with its own time (an import's). */
  private static final String INSERT_EVENTS_AT = """
      INSERT INTO events (stream_id, stream_version, stream_type, event_id, event_type, schema_version,
                          data, metadata, occurred_at)
      SELECT e.stream_id, e.stream_version, e.stream_type, e.event_id, e.event_type, e.schema_version,
             d.value, m.value, coalesce(e.occurred_at, now())
        FROM unnest(?::text[], ?::bigint[], ?::text[], ?::uuid[], ?::text[], ?::int[], ?::timestamptz[])
             WITH ORDINALITY AS e(stream_id, stream_version, stream_type, event_id, event_type, schema_version,
                                  occurred_at, n)
        JOIN jsonb_array_elements(?::jsonb) WITH ORDINALITY AS d(value, n) USING (n)
        JOIN jsonb_array_elements(?::jsonb) WITH ORDINALITY AS m(value, n) USING (n)
      RETURNING stream_id, stream_version, global_position
      """;

  private EventRows() {}

  /**
   * Inserts every accepted append in one statement and puts each one's {@link AppendResult} into
   * {@code outcomes}. {@code heads} holds each stream's version after all of them; versions are
   * handed out again from the start in batch order.
   */
  static void insert(Connection connection, List<PendingAppend> accepted, Map<String, Long> heads,
      Map<PendingAppend, Object> outcomes) throws SQLException {
    Map<String, Long> next = new HashMap<>();
    for (PendingAppend p : accepted) {
      next.merge(p.streamId(), (long) p.events().size(), Long::sum);
    }
    next.replaceAll((stream, added) -> heads.get(stream) - added);
    int n = accepted.stream().mapToInt(p -> p.events().size()).sum();
    String[] streamIds = new String[n];
    Long[] versions = new Long[n];
    String[] streamTypes = new String[n];
    UUID[] eventIds = new UUID[n];
    String[] types = new String[n];
    Integer[] schemaVersions = new Integer[n];
    Timestamp[] times = new Timestamp[n];
    boolean timed = false;
    var data = new StringBuilder(n * 128).append('[');
    var metadata = new StringBuilder(n * 64).append('[');
    Map<String, PendingAppend> lastEventOf = new HashMap<>();
    int i = 0;
    for (PendingAppend p : accepted) {
      NewEvent first = p.events().getFirst();
      String firstMetadata = metadataJson(first);
      for (NewEvent e : p.events()) {
        long version = next.merge(p.streamId(), 1L, Long::sum);
        streamIds[i] = p.streamId();
        versions[i] = version;
        streamTypes[i] = p.streamType();
        eventIds[i] = e.eventId();
        types[i] = e.type();
        schemaVersions[i] = e.schemaVersion();
        if (e.occurredAt() != null) {
          times[i] = Timestamp.from(e.occurredAt());
          timed = true;
        }
        if (i > 0) {
          data.append(',');
          metadata.append(',');
        }
        data.append(e.data());
        metadata.append(e.metadata().equals(first.metadata()) ? firstMetadata : metadataJson(e));
        i++;
      }
      lastEventOf.put(p.streamId() + "\u0000" + next.get(p.streamId()), p);
    }
    // A plain prepared statement: its plan does not depend on the table's size.
    try (PreparedStatement insert = connection.prepareStatement(timed ? INSERT_EVENTS_AT : INSERT_EVENTS)) {
      int column = 1;
      insert.setArray(column++, array(connection, "text", streamIds));
      insert.setArray(column++, array(connection, "int8", versions));
      insert.setArray(column++, array(connection, "text", streamTypes));
      insert.setArray(column++, array(connection, "uuid", eventIds));
      insert.setArray(column++, array(connection, "text", types));
      insert.setArray(column++, array(connection, "int4", schemaVersions));
      if (timed) {
        insert.setArray(column++, array(connection, "timestamptz", times));
      }
      insert.setString(column++, data.append(']').toString());
      insert.setString(column, metadata.append(']').toString());
      try (ResultSet rs = insert.executeQuery()) {
        while (rs.next()) {
          PendingAppend p = lastEventOf.get(rs.getString(1) + "\u0000" + rs.getLong(2));
          if (p != null) {
            outcomes.put(p, new AppendResult(p.streamId(), rs.getLong(2), rs.getLong(3)));
          }
        }
      }
    }
  }

  private static Array array(Connection connection, String type, Object[] values) throws SQLException {
    return connection.createArrayOf(type, values);
  }

  /** Written by hand: it runs for every append, and the fields are optional strings. */
  static String metadataJson(NewEvent event) {
    return metadataJson(event.metadata());
  }

  static String metadataJson(dev.ordo.eventstore.EventMetadata m) {
    var json = new StringBuilder(128).append('{');
    field(json, "correlationId", m.correlationId());
    field(json, "causationId", m.causationId());
    field(json, "actor", m.actor());
    field(json, "commandId", m.commandId());
    field(json, "traceparent", m.traceParent());
    field(json, "importedFrom", m.importedFrom());
    return json.append('}').toString();
  }

  private static void field(StringBuilder json, String name, String value) {
    if (value != null) {
      JsonStrings.appendQuoted(json.append(json.length() > 1 ? "," : "").append('"').append(name).append("\":"), value);
    }
  }
}
