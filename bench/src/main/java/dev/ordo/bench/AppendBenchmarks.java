package dev.ordo.bench;

import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.TimeOrderedUuid;
import dev.ordo.postgres.log.PostgresEventStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;
import javax.sql.DataSource;

/**
 * Appends through Ordo next to raw JDBC inserts of the same rows into a table of the same shape
 * (indexes, identity, xid8 default) on the same server: (a) single-event appends from many
 * writers, each on streams of its own, against one row per transaction; (b) 100-event appends
 * against one multi-row insert per batch.
 */
final class AppendBenchmarks implements AutoCloseable {

  static final EventTypes TYPES = EventTypes.builder().type("StockAdjusted", 1).build();
  /** About a stock adjustment as the catalog writes it. */
  static final String DATA = """
      {"productId":"7f1c8d9e-4b2a-4c3d-9e8f-1a2b3c4d5e6f","delta":-1,"reason":"ORDER",\
      "relatedOrderId":"0b9c8d7e-6f5a-4b3c-2d1e-0f9a8b7c6d5e"}""";
  static final EventMetadata METADATA = new EventMetadata("bench", null, "bench-user", null);
  private static final String METADATA_JSON = "{\"correlationId\":\"bench\",\"actor\":\"bench-user\"}";

  private static final String ROW = "(?, ?, 'product', ?, 'StockAdjusted', 1, ?::jsonb, ?::jsonb)";
  private static final String INSERT = """
      INSERT INTO baseline_events (stream_id, stream_version, stream_type, event_id, event_type, schema_version,
                                   data, metadata)
      VALUES %s
      """;

  /** Which stream a writer appends to, and its version; a writer moves on when a stream is full. */
  private static final class Cursor {
    int stream;
    long version;
  }

  private final int writers;
  private final int batch;
  private final String runId;
  private final Cursor[] cursors;
  private final Connection[] connections;
  private final PreparedStatement[] inserts;

  AppendBenchmarks(int writers, int batch, String runId) {
    this.writers = writers;
    this.batch = batch;
    this.runId = runId;
    this.cursors = new Cursor[writers];
    for (int w = 0; w < writers; w++) {
      cursors[w] = new Cursor();
    }
    this.connections = new Connection[writers];
    this.inserts = new PreparedStatement[writers];
  }

  /** The stream this writer appends to next, moving to a fresh one after 100 appends. */
  private String nextStream(int writer) {
    Cursor cursor = cursors[writer];
    if (cursor.version >= 100L * batch) {
      cursor.stream++;
      cursor.version = 0;
    }
    return runId + "-w" + writer + "-" + cursor.stream;
  }

  private List<NewEvent> events() {
    List<NewEvent> events = new ArrayList<>(batch);
    for (int i = 0; i < batch; i++) {
      events.add(new NewEvent(TimeOrderedUuid.next(), "StockAdjusted", 1, DATA, METADATA));
    }
    return events;
  }

  Load.Operation ordo(PostgresEventStore store) {
    return (writer, iteration) -> {
      String stream = nextStream(writer);
      Cursor cursor = cursors[writer];
      store.append(stream, "product", ExpectedVersion.exactly(cursor.version), events());
      cursor.version += batch;
      return batch;
    };
  }

  /** One transaction per batch on the writer's own connection: one row, or one multi-row insert. */
  Load.Operation rawJdbc(DataSource dataSource) {
    StringJoiner rows = new StringJoiner(", ");
    for (int i = 0; i < batch; i++) {
      rows.add(ROW);
    }
    String sql = INSERT.formatted(rows);
    return (writer, iteration) -> {
      if (inserts[writer] == null) {
        connections[writer] = dataSource.getConnection();
        inserts[writer] = connections[writer].prepareStatement(sql);
      }
      String stream = nextStream(writer);
      Cursor cursor = cursors[writer];
      PreparedStatement insert = inserts[writer];
      int p = 1;
      for (int i = 0; i < batch; i++) {
        insert.setString(p++, stream);
        insert.setLong(p++, cursor.version + i + 1);
        insert.setObject(p++, TimeOrderedUuid.next());
        insert.setString(p++, DATA);
        insert.setString(p++, METADATA_JSON);
      }
      insert.executeUpdate();
      cursor.version += batch;
      return batch;
    };
  }

  int writers() {
    return writers;
  }

  @Override
  public void close() throws SQLException {
    for (Connection connection : connections) {
      if (connection != null) {
        connection.close();
      }
    }
  }
}
