package dev.ordo.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * import: a legacy catalog (the sample of {@code db/catalog/legacy/sample.sql}, seed 000 §6.1's
 * tables) imported through {@code POST /api/v1/imports} by a new app on an empty database, events
 * per second as the run reports them (its appending phases: source read in keyset pages, rows
 * through the catalog's deciders, streams appended concurrently); beside it, the same event rows
 * (read back from that log beforehand, not timed) written with raw JDBC into a table of the log's
 * shape, a multi-row insert of a page per transaction from as many writers as the store has.
 */
final class ImportBenchmark implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** The store's writers ({@code PostgresEventStore.Settings.DEFAULTS}), for the baseline as well. */
  static final int WRITERS = 2;
  static final int PAGE = 1_000;

  private static final String INSERT = """
      INSERT INTO baseline_events (stream_id, stream_version, stream_type, event_id, event_type, schema_version,
                                   data, metadata, occurred_at)
      SELECT e.stream_id, e.stream_version, e.stream_type, e.event_id, e.event_type, e.schema_version,
             d.value, m.value, e.occurred_at
        FROM unnest(?::text[], ?::bigint[], ?::text[], ?::uuid[], ?::text[], ?::int[], ?::timestamptz[])
             WITH ORDINALITY AS e(stream_id, stream_version, stream_type, event_id, event_type, schema_version,
                                  occurred_at, n)
        JOIN jsonb_array_elements(?::jsonb) WITH ORDINALITY AS d(value, n) USING (n)
        JOIN jsonb_array_elements(?::jsonb) WITH ORDINALITY AS m(value, n) USING (n)
      """;

  /** One event row as the import wrote it. */
  private record Row(String streamId, long version, String streamType, UUID eventId, String type, int schemaVersion,
      String data, String metadata, Timestamp occurredAt) {}

  /** What a run reports: events appended per second, and its whole time to the reconciliation. */
  record Run(double eventsPerSecond, long events, double seconds, boolean matches) {}

  private final CommandBenchmarks app;
  private final String appUrl;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ImportBenchmark(String appUrl) {
    this.appUrl = appUrl;
    // the search index follows the log at a few thousand products a second: not what this measures
    this.app = new CommandBenchmarks(appUrl, "--ordo.search.enabled=false",
        "--logging.level.dev.ordo.catalog.legacy=INFO");
  }

  /** A legacy catalog of {@code products} in a new database of the bench server; its JDBC URL. */
  static String legacyCatalog(BenchDatabase database, String name, int products) throws Exception {
    String url = database.createDatabase(name);
    try (Connection connection = DriverManager.getConnection(url, "postgres", "");
        Statement statement = connection.createStatement()) {
      statement.execute(resource("db/catalog/legacy/schema.sql"));
      statement.execute("SET session_replication_role = replica"); // no foreign-key checks while loading
      statement.execute(resource("db/catalog/legacy/sample.sql").replace(":products", Integer.toString(products)));
    }
    return url;
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = ImportBenchmark.class.getClassLoader().getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Imports the legacy catalog through the HTTP endpoint and waits for its reconciliation. */
  Run importFrom(String legacyUrl) throws Exception {
    String url = legacyUrl.contains("?") ? legacyUrl.substring(0, legacyUrl.indexOf('?')) : legacyUrl;
    long start = System.nanoTime();
    HttpResponse<String> started = send("POST", "/api/v1/imports",
        "{\"url\":\"" + url + "\",\"user\":\"postgres\",\"password\":\"\"}");
    if (started.statusCode() != 202) {
      throw new IllegalStateException("import not started: " + started.statusCode() + " " + started.body());
    }
    String id = JSON.readTree(started.body()).get("id").asString();
    while (true) {
      JsonNode status = JSON.readTree(send("GET", "/api/v1/imports/" + id, null).body());
      String state = status.get("state").asString();
      if (state.equals("FAILED")) {
        throw new IllegalStateException("import failed: " + status);
      }
      if (state.equals("COMPLETED")) {
        return new Run(status.get("eventsPerSecond").asDouble(), status.get("events").get("appended").asLong(),
            (System.nanoTime() - start) / 1e9, status.get("reconciliation").get("matches").asBoolean());
      }
      Thread.sleep(100);
    }
  }

  /**
   * The events the import wrote, read from its log (not timed), then written with raw JDBC into
   * {@code baseline_events} (emptied first): pages of {@link #PAGE} rows, one insert and one
   * transaction each, {@link #WRITERS} writers; events per second.
   */
  double rawWrite(DataSource baseline) throws Exception {
    List<Row> rows = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(appUrl, "postgres", "");
        PreparedStatement select = connection.prepareStatement("""
            SELECT stream_id, stream_version, stream_type, event_id, event_type, schema_version, data::text,
                   metadata::text, occurred_at
              FROM events WHERE metadata ->> 'importedFrom' IS NOT NULL ORDER BY global_position""")) {
      select.setFetchSize(10_000);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          rows.add(new Row(rs.getString(1), rs.getLong(2), rs.getString(3), rs.getObject(4, UUID.class),
              rs.getString(5), rs.getInt(6), rs.getString(7), rs.getString(8), rs.getTimestamp(9)));
        }
      }
    }
    try (Connection connection = baseline.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute("TRUNCATE baseline_events");
    }
    AtomicInteger nextPage = new AtomicInteger();
    List<Thread> writers = new ArrayList<>();
    List<Exception> failures = new ArrayList<>();
    long start = System.nanoTime();
    for (int w = 0; w < WRITERS; w++) {
      writers.add(Thread.ofPlatform().start(() -> {
        try (Connection connection = baseline.getConnection();
            PreparedStatement insert = connection.prepareStatement(INSERT)) {
          for (int page; (page = nextPage.getAndIncrement()) * PAGE < rows.size(); ) {
            write(connection, insert, rows.subList(page * PAGE, Math.min(rows.size(), (page + 1) * PAGE)));
          }
        } catch (Exception e) {
          synchronized (failures) {
            failures.add(e);
          }
        }
      }));
    }
    for (Thread writer : writers) {
      writer.join();
    }
    if (!failures.isEmpty()) {
      throw failures.getFirst();
    }
    return rows.size() / ((System.nanoTime() - start) / 1e9);
  }

  private static void write(Connection connection, PreparedStatement insert, List<Row> page) throws Exception {
    int n = page.size();
    var data = new StringBuilder(n * 256).append('[');
    var metadata = new StringBuilder(n * 128).append('[');
    for (int i = 0; i < n; i++) {
      data.append(i == 0 ? "" : ",").append(page.get(i).data());
      metadata.append(i == 0 ? "" : ",").append(page.get(i).metadata());
    }
    insert.setArray(1, connection.createArrayOf("text", page.stream().map(Row::streamId).toArray()));
    insert.setArray(2, connection.createArrayOf("int8", page.stream().map(Row::version).toArray()));
    insert.setArray(3, connection.createArrayOf("text", page.stream().map(Row::streamType).toArray()));
    insert.setArray(4, connection.createArrayOf("uuid", page.stream().map(Row::eventId).toArray()));
    insert.setArray(5, connection.createArrayOf("text", page.stream().map(Row::type).toArray()));
    insert.setArray(6, connection.createArrayOf("int4", page.stream().map(Row::schemaVersion).toArray()));
    insert.setArray(7, connection.createArrayOf("timestamptz", page.stream().map(Row::occurredAt).toArray()));
    insert.setString(8, data.append(']').toString());
    insert.setString(9, metadata.append(']').toString());
    insert.executeUpdate(); // autocommit: one transaction per page
  }

  private HttpResponse<String> send(String method, String path, String body) throws Exception {
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
        .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + app.token())
        .header("Content-Type", "application/json")
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .build(), HttpResponse.BodyHandlers.ofString());
  }

  @Override
  public void close() {
    app.close();
  }
}
