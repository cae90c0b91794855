package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ordo.test.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;

/**
 * Importing a legacy catalog (issue 15, seed 000 §10.2 and §6.1) through {@code /api/v1/imports}:
 * 100,000 products with their images, tags and reviews, a category tree, stores, some hidden and
 * some deleted, made with generate_series in a database of its own on the embedded server. The run
 * is interrupted by a restart of the app half-way and resumed; the reconciliation matches the
 * source, the log and product_read; a product reads as it was, at its original times, marked with
 * the row it came from; a second run appends nothing. The search index is off: it follows the
 * log at a few thousand products a second, which is not what this measures.
 */
class LegacyImportIntegrationTests {

  private static final int PRODUCTS = 100_000;
  static final String PASSWORD = "pw-Never-Shown-7731";

  private static String appDatabase;
  private static String legacy;
  private static RunningApp app;
  private static final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private static final List<String> answers = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    long began = System.nanoTime();
    legacy = legacyCatalog(PRODUCTS);
    System.out.printf("legacy catalog of %,d products made in %.1f s%n", PRODUCTS, (System.nanoTime() - began) / 1e9);
    appDatabase = TestPostgres.createDatabase();
    app = startApp();
  }

  @AfterAll
  static void stop() {
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(logged);
    if (app != null) {
      app.close();
    }
  }

  /**
   * The app on the test's database; what it logs is kept (each start resets the logging, stopping and
   * detaching every appender: so again after each).
   */
  private static RunningApp startApp() {
    RunningApp started = RunningApp.start(null, "ordo.db.url=" + appDatabase, "ordo.search.enabled=false");
    logged.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(logged);
    return started;
  }

  /** A new database on the embedded server holding the legacy schema and a sample of {@code products}. */
  static String legacyCatalog(int products) throws Exception {
    String url = TestPostgres.createDatabase();
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute(resource("db/catalog/legacy/schema.sql"));
      statement.execute("SET session_replication_role = replica"); // no foreign-key checks while loading: twice as fast
      statement.execute(resource("db/catalog/legacy/sample.sql").replace(":products", Integer.toString(products)));
    }
    return url;
  }

  private static String resource(String path) throws IOException {
    try (InputStream in = LegacyImportIntegrationTests.class.getClassLoader().getResourceAsStream(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The URL without its user parameter: the user and the password travel in the body. */
  private static String sourceUrl(String url) {
    return url.substring(0, url.indexOf('?'));
  }

  private static String body(String url) {
    return "{\"url\":\"" + sourceUrl(url) + "\",\"user\":\"postgres\",\"password\":\"" + PASSWORD + "\"}";
  }

  private static RunningApp.Response send(String method, String path, String body) {
    RunningApp.Response response = app.send(method, path, body);
    answers.add(response.body());
    return response;
  }

  private static JsonNode status(String id) {
    var response = send("GET", "/api/v1/imports/" + id, null);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static JsonNode awaitState(String id, Duration within, Predicate<JsonNode> until) {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      JsonNode status = status(id);
      if (until.test(status)) {
        return status;
      }
      assertThat(System.nanoTime()).as("waiting for import " + id + ": " + status).isLessThan(deadline);
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  private static JsonNode awaitEnd(String id) {
    return awaitState(id, Duration.ofMinutes(3), s -> !s.get("state").asString().equals("RUNNING"));
  }

  private static long count(String jdbcUrl, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private static long logCount(String sql) throws SQLException {
    try (Connection connection = app.bean(DataSource.class).getConnection();
        Statement statement = connection.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** Every event the commands would have appended for the sample: one per row, review, hiding and deletion. */
  private static long expectedEvents() throws SQLException {
    return count(legacy, """
        SELECT (SELECT count(*) FROM p_store) + (SELECT count(*) FROM p_category) + (SELECT count(*) FROM p_product)
             + (SELECT count(*) FROM p_review WHERE deleted_at IS NULL)
             + (SELECT count(*) FROM p_product WHERE hidden_at IS NOT NULL OR status = 'OFF_SHELF')
             + (SELECT count(*) FROM p_product WHERE deleted_at IS NOT NULL)""");
  }

  @Test
  void aLegacyCatalogImportsResumedAfterARestartReconciledAtItsOriginalTimesAndOnlyOnce() throws Exception {
    long expected = expectedEvents();
    long started = System.nanoTime();
    var first = send("POST", "/api/v1/imports", body(legacy));
    assertThat(first.status()).as(first.body()).isEqualTo(202);
    String firstId = first.json().get("id").asString();
    assertThat(first.header("location")).isEqualTo("/api/v1/imports/" + firstId);
    assertThat(first.json().get("state").asString()).isEqualTo("RUNNING");
    // the same source again while it runs: one at a time
    var twice = send("POST", "/api/v1/imports", body(legacy));
    assertThat(twice.status()).as(twice.body()).isEqualTo(409);
    assertThat(twice.json().get("detail").asString()).contains(firstId);

    // half-way, the app stops and starts again
    JsonNode halfway = awaitState(firstId, Duration.ofMinutes(2), s -> s.get("done").asLong() >= PRODUCTS / 3);
    assertThat(halfway.get("total").asLong()).isEqualTo(PRODUCTS + 100 + 125);
    assertThat(halfway.get("phase").asString()).isEqualTo("products");
    app.close();
    app = startApp();
    JsonNode interrupted = status(firstId);
    assertThat(interrupted.get("state").asString()).isEqualTo("FAILED");
    assertThat(interrupted.get("error").asString()).contains("interrupted");
    long doneBefore = interrupted.get("done").asLong();
    assertThat(doneBefore).isLessThan(PRODUCTS);

    // the same source again: resumed from the last page the first run recorded
    var second = send("POST", "/api/v1/imports", body(legacy));
    assertThat(second.status()).as(second.body()).isEqualTo(202);
    String secondId = second.json().get("id").asString();
    assertThat(second.json().get("resumes").asString()).isEqualTo(firstId);
    assertThat(second.json().get("done").asLong()).isEqualTo(doneBefore);
    JsonNode done = awaitEnd(secondId);
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf("imported %,d events in %.1f s (restart included), the resumed run at %.0f events/s: %s%n",
        expected, seconds, done.get("eventsPerSecond").asDouble(), done);
    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("COMPLETED");
    assertThat(done.get("done").asLong()).isEqualTo(done.get("total").asLong());
    assertThat(done.get("rejected").get("count").asLong()).isZero();
    assertThat(done.get("eventsPerSecond").asDouble()).isPositive();
    JsonNode reconciliation = done.get("reconciliation");
    assertThat(reconciliation.get("matches").asBoolean()).as(reconciliation.toString()).isTrue();
    assertThat(reconciliation.get("logMatches").asBoolean()).isTrue();
    assertThat(reconciliation.get("readModelMatches").asBoolean()).isTrue();
    JsonNode source = reconciliation.get("source");
    assertThat(source.get("products").asLong()).isEqualTo(PRODUCTS);
    assertThat(source.get("stores").asLong()).isEqualTo(100);
    assertThat(source.get("categories").asLong()).isEqualTo(125);
    assertThat(source.get("images").asLong()).isEqualTo(count(legacy,
        "SELECT count(*) FROM p_product_image WHERE deleted_at IS NULL")).isEqualTo(2L * PRODUCTS);
    assertThat(source.get("reviews").asLong()).isEqualTo(PRODUCTS - PRODUCTS / 100);
    assertThat(source.get("priceSum").asLong()).isEqualTo(count(legacy, "SELECT sum(round(price)) FROM p_product"));
    assertThat(source.get("ratingSum").asLong()).isPositive();
    assertThat(reconciliation.get("readModel")).isEqualTo(source);

    // every event once: none doubled by the page the restart cut short and the resumed run did again
    String byTheseRuns = "metadata ->> 'correlationId' IN ('" + firstId + "', '" + secondId + "')";
    assertThat(logCount("SELECT count(*) FROM events WHERE metadata ? 'importedFrom' AND " + byTheseRuns))
        .isEqualTo(expected);
    assertThat(logCount("""
        SELECT count(*) FROM (SELECT 1 FROM events WHERE metadata ? 'importedFrom'
                               GROUP BY metadata ->> 'importedFrom', event_type HAVING count(*) > 1) doubled""")).isZero();
    // counted across both runs: a page the restart cut short is found there already
    assertThat(done.get("events").get("appended").asLong()).isBetween(1L, expected);
    assertThat(done.get("events").get("appended").asLong() + done.get("events").get("alreadyThere").asLong())
        .isGreaterThanOrEqualTo(expected);

    aProductReadsAsItWasAtItsOriginalTimesMarkedWithItsRows();

    // again, from the start: nothing new, and the reconciliation holds
    long before = logCount("SELECT count(*) FROM events WHERE stream_type <> 'import'");
    var again = send("POST", "/api/v1/imports", body(legacy));
    assertThat(again.status()).as(again.body()).isEqualTo(202);
    assertThat(again.json().get("resumes").isNull()).isTrue();
    JsonNode rerun = awaitEnd(again.json().get("id").asString());
    assertThat(rerun.get("state").asString()).as(rerun.toString()).isEqualTo("COMPLETED");
    assertThat(rerun.get("events").get("appended").asLong()).isZero();
    assertThat(rerun.get("events").get("alreadyThere").asLong()).isEqualTo(expected);
    assertThat(rerun.get("reconciliation").get("matches").asBoolean()).isTrue();
    assertThat(logCount("SELECT count(*) FROM events WHERE stream_type <> 'import'")).isEqualTo(before);

    // a run cancelled stops and says so; cancelling it again is a conflict
    var cancelled = send("POST", "/api/v1/imports", body(legacy));
    String cancelledId = cancelled.json().get("id").asString();
    var cancel = send("POST", "/api/v1/imports/" + cancelledId + "/cancel", null);
    assertThat(cancel.status()).as(cancel.body()).isEqualTo(202);
    JsonNode stopped = awaitEnd(cancelledId);
    assertThat(stopped.get("state").asString()).isEqualTo("FAILED");
    assertThat(stopped.get("error").asString()).isEqualTo("cancelled by test-admin");
    assertThat(send("POST", "/api/v1/imports/" + cancelledId + "/cancel", null).status()).isEqualTo(409);
    assertThat(send("POST", "/api/v1/imports/0190a8c4-0000-7000-8000-000000000000/cancel", null).status())
        .isEqualTo(404);

    var list = send("GET", "/api/v1/imports", null);
    assertThat(list.json().get("imports").findValuesAsString("id")) // the latest first
        .containsSubsequence(cancelledId, again.json().get("id").asString(), secondId, firstId);

    // the password: never answered, logged or stored
    assertThat(answers).noneMatch(answer -> answer.contains(PASSWORD));
    assertThat(loggedSoFar()).as("the log is captured").anyMatch(event -> event.getFormattedMessage().contains(secondId));
    assertThat(loggedSoFar()).noneMatch(LegacyImportIntegrationTests::mentionsThePassword);
    assertThat(logCount("SELECT count(*) FROM events WHERE data::text LIKE '%" + PASSWORD + "%' OR metadata::text LIKE '%"
        + PASSWORD + "%'")).isZero();
  }

  /**
   * Product 40 of the sample: two images (a third deleted), tags, two reviews, hidden ten days after it
   * was registered.
   */
  private static void aProductReadsAsItWasAtItsOriginalTimesMarkedWithItsRows() throws SQLException {
    String id;
    Instant created;
    Instant hidden;
    List<Instant> reviewed = new ArrayList<>();
    try (Connection connection = DriverManager.getConnection(legacy); Statement statement = connection.createStatement()) {
      try (ResultSet rs = statement.executeQuery(
          "SELECT id::text, created_at, hidden_at FROM p_product WHERE id = md5('p40')::uuid")) {
        rs.next();
        id = rs.getString(1);
        created = rs.getObject(2, OffsetDateTime.class).toInstant();
        hidden = rs.getObject(3, OffsetDateTime.class).toInstant();
      }
      try (ResultSet rs = statement.executeQuery(
          "SELECT created_at FROM p_review WHERE product_id = md5('p40')::uuid ORDER BY created_at")) {
        while (rs.next()) {
          reviewed.add(rs.getObject(1, OffsetDateTime.class).toInstant());
        }
      }
    }
    JsonNode product = send("GET", "/api/v1/products/" + id, null).json();
    assertThat(product.get("status").asString()).isEqualTo("HIDDEN");
    assertThat(product.get("storeName").asString()).startsWith("Legacy Store ");
    assertThat(product.get("categoryPath").asString()).matches("대분류 \\d+ > 중분류 \\d+ > 소분류 \\d+");
    assertThat(product.get("images").size()).isEqualTo(2);
    assertThat(product.get("tags").toString()).isEqualTo("[\"legacy\",\"세일\"]");
    assertThat(product.get("reviewCount").asInt()).isEqualTo(2);
    assertThat(product.get("price").asLong()).isEqualTo(1000 + (40 * 37) % 99000);
    assertThat(product.get("stockQuantity").asLong()).isEqualTo(40);

    JsonNode history = send("GET", "/api/v1/products/" + id + "/history", null).json().get("events");
    assertThat(history.findValuesAsString("type"))
        .containsExactly("ProductRegistered", "ReviewAdded", "ReviewAdded", "ProductHidden");
    assertThat(history.findValuesAsString("occurredAt").stream().map(Instant::parse).toList())
        .containsExactly(created, reviewed.get(0), reviewed.get(1), hidden);
    assertThat(history.findValuesAsString("actor")).containsOnly("import");

    JsonNode stream = send("GET", "/api/v1/streams/" + id, null).json().get("events");
    assertThat(stream.get(0).get("metadata").get("importedFrom").asString()).isEqualTo("p_product/" + id);
    assertThat(stream.get(1).get("metadata").get("importedFrom").asString()).startsWith("p_review/");
    assertThat(stream.get(3).get("metadata").get("importedFrom").asString()).isEqualTo("p_product/" + id);
    assertThat(Instant.parse(stream.get(0).get("occurredAt").asString())).isEqualTo(created);

    // time travel over the original times
    assertThat(send("GET", "/api/v1/products/" + id + "?at=" + created.minusSeconds(1), null).status()).isEqualTo(404);
    JsonNode registered = send("GET", "/api/v1/products/" + id + "?at=" + created.plusSeconds(1), null).json();
    assertThat(registered.get("status").asString()).isEqualTo("ACTIVE");
    assertThat(registered.get("reviewCount").asInt()).isZero();
    JsonNode reviewedOnce = send("GET", "/api/v1/products/" + id + "?at=" + reviewed.get(0), null).json();
    assertThat(reviewedOnce.get("reviewCount").asInt()).isEqualTo(1);
    assertThat(send("GET", "/api/v1/products/" + id + "?at=" + hidden, null).json().get("status").asString())
        .isEqualTo("HIDDEN");
  }

  @Test
  void badInputIsA400NamingTheFieldAndASourceThatCannotBeReadA422WithoutTheTrace() throws Exception {
    var none = send("POST", "/api/v1/imports", null);
    assertThat(none.status()).as(none.body()).isEqualTo(400);
    assertField(send("POST", "/api/v1/imports", "{\"user\":\"u\"}"), "url");
    assertField(send("POST", "/api/v1/imports", "{\"url\":\"jdbc:mysql://db/shop\",\"user\":\"u\"}"), "url");
    assertField(send("POST", "/api/v1/imports", "{\"url\":\"not a url\",\"user\":\"u\"}"), "url");
    assertField(send("POST", "/api/v1/imports", "{\"url\":\"jdbc:postgresql://db/shop\"}"), "user");

    var unreachable = send("POST", "/api/v1/imports",
        "{\"url\":\"jdbc:postgresql://127.0.0.1:1/shop\",\"user\":\"u\",\"password\":\"" + PASSWORD + "\"}");
    assertThat(unreachable.status()).as(unreachable.body()).isEqualTo(422);
    assertThat(unreachable.header("content-type")).contains("application/problem+json");
    assertThat(unreachable.json().get("type").asString()).endsWith("/source-unreachable");
    assertThat(unreachable.json().get("detail").asString()).contains("jdbc:postgresql://127.0.0.1:1/shop")
        .doesNotContain(PASSWORD).doesNotContain("at org.");

    var empty = send("POST", "/api/v1/imports", body(TestPostgres.createDatabase()));
    assertThat(empty.status()).as(empty.body()).isEqualTo(422);
    assertThat(empty.json().get("type").asString()).endsWith("/source-schema");
    assertThat(empty.json().get("detail").asString()).contains("p_product");

    assertThat(send("GET", "/api/v1/imports/nothing-like-an-id", null).status()).isEqualTo(404);
    assertThat(answers).noneMatch(answer -> answer.contains(PASSWORD));
    assertThat(loggedSoFar()).noneMatch(LegacyImportIntegrationTests::mentionsThePassword);
  }

  /** A copy: the appender adds under its own lock (AppenderBase), from the app's threads. */
  private static List<ILoggingEvent> loggedSoFar() {
    synchronized (logged) {
      return new ArrayList<>(logged.list);
    }
  }

  private static boolean mentionsThePassword(ILoggingEvent event) {
    if (event.getFormattedMessage().contains(PASSWORD)) {
      return true;
    }
    for (var thrown = event.getThrowableProxy(); thrown != null; thrown = thrown.getCause()) {
      if (String.valueOf(thrown.getMessage()).contains(PASSWORD)) {
        return true;
      }
    }
    return false;
  }

  private static void assertField(RunningApp.Response response, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.json().get("errors").findValuesAsString("field")).containsExactly(field);
  }

  @Test
  void whatTheCatalogsRulesRefuseIsRejectedAndNamedAndTheRestImports() throws Exception {
    String dirty = TestPostgres.createDatabase();
    try (Connection connection = DriverManager.getConnection(dirty); Statement statement = connection.createStatement()) {
      statement.execute(resource("db/catalog/legacy/schema.sql"));
      statement.execute("""
          INSERT INTO p_store (id, store_name) VALUES ('00000000-0000-0000-0000-0000000000a1', 'Dirty Mart');
          INSERT INTO p_category (id, parent_id, category_name) VALUES
            ('00000000-0000-0000-0000-0000000000c1', NULL, 'Root'),
            ('00000000-0000-0000-0000-0000000000c2', '00000000-0000-0000-0000-0000000000c3', 'Loop A'),
            ('00000000-0000-0000-0000-0000000000c3', '00000000-0000-0000-0000-0000000000c2', 'Loop B');
          INSERT INTO p_product (id, store_id, store_name, category_id, product_name, status, price, stock_quantity)
          VALUES ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-0000000000a1', 'Dirty Mart',
                  '00000000-0000-0000-0000-0000000000c1', 'Lamp', 'ON_SALE', 100, 1),
                 ('00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-0000000000a1', 'Dirty Mart',
                  '00000000-0000-0000-0000-0000000000c1', ' LAMP ', 'ON_SALE', 200, 1),
                 ('00000000-0000-0000-0000-000000000003', '00000000-0000-0000-0000-0000000000ff', 'Gone',
                  '00000000-0000-0000-0000-0000000000c1', 'Orphan', 'ON_SALE', 300, 1),
                 ('00000000-0000-0000-0000-000000000004', '00000000-0000-0000-0000-0000000000a1', 'Dirty Mart',
                  '00000000-0000-0000-0000-0000000000c1', 'Chair', 'ON_SALE', 400, 1);
          INSERT INTO p_review (id, product_id, user_id, rating, content) VALUES
            ('00000000-0000-0000-0000-0000000000e1', '00000000-0000-0000-0000-000000000004', gen_random_uuid(), 9, 'wow'),
            ('00000000-0000-0000-0000-0000000000e2', '00000000-0000-0000-0000-000000000004', gen_random_uuid(), 5, 'ok');
          """);
    }
    var started = send("POST", "/api/v1/imports", body(dirty));
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    JsonNode done = awaitEnd(started.json().get("id").asString());
    assertThat(done.get("state").asString()).as(done.toString()).isEqualTo("COMPLETED");
    List<String> rejected = new ArrayList<>();
    done.get("rejected").get("records").forEach(r -> rejected.add(r.get("record").asString() + " "
        + r.get("reason").asString()));
    assertThat(rejected).hasSize(5).anySatisfy(r -> assertThat(r).startsWith(
            "p_category/00000000-0000-0000-0000-0000000000c2 unknown-category: its parents form a cycle"))
        .anySatisfy(r -> assertThat(r).startsWith("p_product/00000000-0000-0000-0000-000000000002 product-name-taken"))
        .anySatisfy(r -> assertThat(r).startsWith("p_product/00000000-0000-0000-0000-000000000003 unknown-store"))
        .anySatisfy(r -> assertThat(r).startsWith("p_review/00000000-0000-0000-0000-0000000000e1 invalid: rating"));
    assertThat(done.get("rejected").get("count").asLong()).isEqualTo(5);
    JsonNode reconciliation = done.get("reconciliation");
    assertThat(reconciliation.get("matches").asBoolean()).isFalse();
    assertThat(reconciliation.get("log").get("products").asLong()).isEqualTo(2);
    assertThat(reconciliation.get("log").get("reviews").asLong()).isEqualTo(1);
    assertThat(reconciliation.get("readModel")).isEqualTo(reconciliation.get("log"));
    assertThat(send("GET", "/api/v1/products/00000000-0000-0000-0000-000000000004", null).json()
        .get("reviewCount").asInt()).isEqualTo(1);
  }
}
