package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.test.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.DocValuesType;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.IndexableField;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.SortedSetDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Issue 14 item 3, forgetting a customer: their name, phone and address are sealed in the log from
 * the start; once forgotten they are unreadable everywhere they were (the log, the read models, the
 * search index, its files) while their orders still read, fold and rebuild. The proof is a dump of
 * every table of both databases and of every index file, which must not hold them, and does hold
 * what was not forgotten.
 */
class PersonalDataForgettingIntegrationTests {

  private static final String FORGOTTEN = "forgotten";

  /** Customer A's personal data: words that cannot turn up by accident. */
  private static final String A_RECIPIENT = "Zelda Quixotic-Forgetme";
  private static final String A_PHONE = "010-7391-4826";
  private static final String A_ADDRESS = "Unforgettable-gil 77";
  private static final String A_ZIP = "63999";
  private static final List<String> A_WORDS = List.of("Quixotic", "Forgetme", "Unforgettable", A_PHONE);

  /** Customer B's, never forgotten: what shows the dump can see personal data where it is. */
  private static final String B_RECIPIENT = "Bartholomew Keepsake";
  private static final String B_PHONE = "010-5528-1937";
  private static final String B_ADDRESS = "Retained-ro 12";
  private static final String B_ZIP = "48777";

  private static RunningApp app;
  private static OrderDriver orders;
  private static String lamp;

  @BeforeAll
  static void start() {
    // two databases, as the embedded default has them: the write one must hold no plaintext at all
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.read.db.url=" + TestPostgres.createDatabase());
    orders = new OrderDriver(app, "Forgetting Mart");
    lamp = orders.product("Forgetting Lamp", 12_000);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void aForgottenCustomersPersonalDataIsNowhereAndTheirOrdersStillRead() throws Exception {
    String customerA = "customer-a-" + System.nanoTime();
    String customerB = "customer-b-" + System.nanoTime();
    String first = place(customerA, A_RECIPIENT, A_PHONE, A_ADDRESS, A_ZIP);
    String second = place(customerA, A_RECIPIENT, A_PHONE, A_ADDRESS, A_ZIP);
    String kept = place(customerB, B_RECIPIENT, B_PHONE, B_ADDRESS, B_ZIP);
    String async = placeAsync(customerA, A_RECIPIENT, A_PHONE, A_ADDRESS, A_ZIP);

    assertAddress(order(first), A_RECIPIENT, A_PHONE, A_ADDRESS, A_ZIP);
    assertAddress(order(async), A_RECIPIENT, A_PHONE, A_ADDRESS, A_ZIP);
    RunningApp.eventually(Duration.ofSeconds(10), () ->
        assertThat(search("Quixotic")).containsExactlyInAnyOrder(first, second, async));
    String events = dump(writeDatabase(), "SELECT t::text FROM events t");
    assertThat(events).as("the log holds the orders").contains("Forgetting Lamp", customerA);
    assertThat(plaintext(events, A_WORDS, A_ZIP)).as("sealed in the log from the start").isEmpty();
    assertThat(plaintext(events, List.of("Keepsake", B_PHONE, "Retained"), B_ZIP)).isEmpty();

    // only the customer themself (or an admin): another customer is refused and nothing happens
    String own = "Bearer " + app.token(customerA, List.of("customer"), List.of());
    var refused = app.send("DELETE", "/api/v1/customers/" + customerA + "/personal-data", null,
        "Authorization", "Bearer " + app.token("someone-else", List.of("customer"), List.of()));
    assertThat(refused.status()).as(refused.body()).isEqualTo(403);
    var forgotten = app.send("DELETE", "/api/v1/customers/" + customerA + "/personal-data", null,
        "Authorization", own);
    assertThat(forgotten.status()).as(forgotten.body()).isEqualTo(200);
    assertThat(forgotten.json().get("id").asString()).isEqualTo(customerA);
    long position = forgotten.json().get("position").asLong();
    assertThat(forgotten.header("ordo-position")).isEqualTo(Long.toString(position));
    orders.saw(position);
    var again = app.send("DELETE", "/api/v1/customers/" + customerA + "/personal-data", null, "Authorization", own);
    assertThat(again.status()).as("asked again, as after a lost answer").isEqualTo(200);
    assertThat(again.json().get("position").asLong()).isGreaterThan(position);
    orders.saw(again.json().get("position").asLong());

    for (String order : List.of(first, second, async)) {
      JsonNode view = order(order);
      assertAddress(view, FORGOTTEN, FORGOTTEN, FORGOTTEN, FORGOTTEN);
      assertThat(view.get("shippingAddress").get("express").asBoolean()).as("not personal").isTrue();
      assertThat(view.get("userId").asString()).isEqualTo(customerA);
    }
    assertAddress(order(kept), B_RECIPIENT, B_PHONE, B_ADDRESS, B_ZIP);
    RunningApp.eventually(Duration.ofSeconds(10), () -> {
      assertThat(search("Quixotic")).isEmpty();
      assertThat(search(A_ZIP)).isEmpty();
      assertThat(search("Keepsake")).containsExactly(kept);
    });
    JsonNode placed = app.get("/api/v1/streams/" + first).json().get("events").get(0);
    assertThat(placed.get("type").asString()).isEqualTo("OrderPlaced");
    assertThat(placed.get("data").get("shippingAddress").get("recipient").asString()).startsWith("ordo:pd:1:");

    assertNowhere("once forgotten");
    String forgottenRows = rows(1, customerA, customerB);

    rebuild("order_read");
    rebuildSearch("order_search");
    assertAddress(order(second), FORGOTTEN, FORGOTTEN, FORGOTTEN, FORGOTTEN);
    assertAddress(order(kept), B_RECIPIENT, B_PHONE, B_ADDRESS, B_ZIP);
    assertThat(rows(2, customerA, customerB)).as("rebuilt as forgetting left them").isEqualTo(forgottenRows)
        .contains(FORGOTTEN, B_RECIPIENT.toLowerCase(Locale.ROOT));
    assertThat(search("Quixotic")).isEmpty();
    assertThat(search("Keepsake")).containsExactly(kept);
    assertThat(search("Forgetting Lamp")).contains(first, second, async, kept);

    assertNowhere("after the rebuilds");
  }

  @Test
  void aCustomerIdThatCannotBeAUserIdIsABadRequest() {
    var blank = app.send("DELETE", "/api/v1/customers/%20/personal-data", null);
    var tooLong = app.send("DELETE", "/api/v1/customers/" + "x".repeat(101) + "/personal-data", null);

    for (var response : List.of(blank, tooLong)) {
      assertThat(response.status()).as(response.body()).isEqualTo(400);
      assertThat(response.header("content-type")).contains("application/problem+json");
      assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo("id");
    }
  }

  // ---- orders

  private static String body(String user, String recipient, String phone, String address, String zip) {
    return """
        {"userId":"%s","items":[{"productId":"%s","quantity":1}],"shippingAddress":{"recipient":"%s",
         "phone":"%s","address":"%s","zipCode":"%s","express":true}}"""
        .formatted(user, lamp, recipient, phone, address, zip);
  }

  private static String place(String user, String recipient, String phone, String address, String zip) {
    var placed = app.send("POST", "/api/v1/orders", body(user, recipient, phone, address, zip), "X-User-Id", user);
    String id = placed.createdId();
    orders.saw(Long.parseLong(placed.header("ordo-position")));
    return id;
  }

  /** Placed through the command log: its payload, in plaintext, waits there until it runs. */
  private static String placeAsync(String user, String recipient, String phone, String address, String zip)
      throws InterruptedException {
    var accepted = app.send("POST", "/api/v1/orders", body(user, recipient, phone, address, zip),
        "X-User-Id", user, "Prefer", "respond-async");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    for (int i = 0; i < 200; i++) {
      JsonNode status = app.get(accepted.header("location")).json();
      if (status.get("status").asString().equals("SUCCEEDED")) {
        orders.saw(status.get("result").get("position").asLong());
        return status.get("result").get("id").asString();
      }
      assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("PENDING");
      Thread.sleep(50);
    }
    throw new AssertionError("the order placed asynchronously is still pending");
  }

  private static JsonNode order(String id) {
    var response = orders.read("/api/v1/orders/" + id);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  private static void assertAddress(JsonNode order, String recipient, String phone, String address, String zip) {
    JsonNode shipping = order.get("shippingAddress");
    assertThat(List.of(shipping.get("recipient").asString(), shipping.get("phone").asString(),
        shipping.get("address").asString(), shipping.get("zipCode").asString()))
        .containsExactly(recipient, phone, address, zip);
  }

  private static List<String> search(String text) {
    var response = orders.read("/api/v1/orders/search?q=" + java.net.URLEncoder.encode(text, StandardCharsets.UTF_8));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.header("ordo-search-engine")).isEqualTo("lucene");
    return OrderDriver.texts(response.json().get("items"), "id");
  }

  // ---- rebuilds

  /** The customers' rows of one generation of order_read: address and search text. */
  private static String rows(int generation, String... customers) throws SQLException {
    return dump(readDatabase(), """
        SELECT order_id || ' ' || shipping_address::text || ' ' || search_text FROM order_read_g%d.order_read
         WHERE user_id IN ('%s') ORDER BY order_id""".formatted(generation, String.join("','", customers)));
  }

  private static void rebuild(String projection) {
    var rebuild = app.send("POST", "/api/v1/projections/" + projection + "/rebuild", null);
    assertThat(rebuild.status()).as(rebuild.body()).isEqualTo(202);
    int generation = rebuild.json().get("generation").asInt();
    RunningApp.eventually(Duration.ofSeconds(60), () -> assertThat(app.get("/api/v1/projections/" + projection)
        .json().get("active").get("generation").asInt()).isEqualTo(generation));
  }

  private static void rebuildSearch(String index) {
    var rebuild = app.send("POST", "/api/v1/projections/" + index + "/rebuild", null);
    assertThat(rebuild.status()).as(rebuild.body()).isEqualTo(202);
    int generation = rebuild.json().get("generation").asInt();
    RunningApp.eventually(Duration.ofSeconds(60), () ->
        assertThat(app.get("/actuator/health").json().get("components").get("search").get("details")
            .get(index).get("serving").asInt()).isEqualTo(generation));
  }

  // ---- the dump

  /** Nothing of A's personal data in either database or the index files; B's where it belongs. */
  private static void assertNowhere(String when) throws Exception {
    String write = dumpEveryTable(writeDatabase());
    String read = dumpEveryTable(readDatabase());
    String index = dumpIndexes();
    assertThat(write).as("the write database dumped").contains("Forgetting Lamp", "personal_data_keys");
    assertThat(read).as("the read database dumped").contains(B_RECIPIENT, B_PHONE, B_ADDRESS, B_ZIP);
    assertThat(index.toLowerCase(Locale.ROOT)).as("the index dumped").contains("keepsake", B_ZIP);
    assertThat(plaintext(write, A_WORDS, A_ZIP)).as("the write database " + when).isEmpty();
    assertThat(plaintext(write, List.of("Keepsake", B_PHONE, "Retained"), B_ZIP))
        .as("the write database holds no one's personal data in plaintext").isEmpty();
    assertThat(plaintext(read, A_WORDS, A_ZIP)).as("the read database " + when).isEmpty();
    assertThat(plaintext(index, A_WORDS, A_ZIP)).as("the search index " + when).isEmpty();
    assertThat(indexFilesHold("Keepsake")).as("the index files are read").isTrue();
    for (String word : List.of("Quixotic", "Forgetme", "Unforgettable", A_PHONE, A_ZIP)) {
      assertThat(indexFilesHold(word)).as("the index files hold " + word + " " + when).isFalse();
    }
  }

  /** What of {@code words} (any case) and the postal code (as a word of its own) {@code dump} holds. */
  private static List<String> plaintext(String dump, List<String> words, String zip) {
    List<String> found = new ArrayList<>();
    String lower = dump.toLowerCase(Locale.ROOT);
    for (String word : words) {
      if (lower.contains(word.toLowerCase(Locale.ROOT))) {
        found.add(word);
      }
    }
    if (Pattern.compile("(?<![0-9A-Za-z])" + zip + "(?![0-9A-Za-z])").matcher(dump).find()) {
      found.add(zip);
    }
    return found;
  }

  private static DataSource writeDatabase() {
    return app.bean(DataSource.class);
  }

  private static DataSource readDatabase() {
    return app.context.getBean("readDataSource", DataSource.class);
  }

  /** Every row of every table, as text, each line naming its table. */
  private static String dumpEveryTable(DataSource database) throws SQLException {
    List<String> tables = new ArrayList<>();
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery("""
            SELECT quote_ident(table_schema) || '.' || quote_ident(table_name) FROM information_schema.tables
             WHERE table_schema NOT IN ('pg_catalog', 'information_schema') AND table_type = 'BASE TABLE'""")) {
      while (rs.next()) {
        tables.add(rs.getString(1));
      }
    }
    assertThat(tables).isNotEmpty();
    StringBuilder dump = new StringBuilder();
    for (String table : tables) {
      dump.append(table).append('\n').append(dump(database, "SELECT t::text FROM " + table + " t"));
    }
    return dump.toString();
  }

  private static String dump(DataSource database, String sql) throws SQLException {
    StringBuilder dump = new StringBuilder();
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement();
        ResultSet rs = statement.executeQuery(sql)) {
      while (rs.next()) {
        dump.append(rs.getString(1)).append('\n');
      }
    }
    return dump.toString();
  }

  /** The search indexes of this app's log: one directory per generation, each with a commit. */
  private static List<Path> indexDirectories() throws IOException {
    Path root = Path.of("target/search");
    try (var paths = Files.walk(root)) {
      List<Path> directories = paths.filter(Files::isDirectory).filter(directory -> {
        try (var files = Files.list(directory)) {
          return files.anyMatch(f -> f.getFileName().toString().startsWith("segments_"));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }).filter(directory -> directory.toString().contains(logIdentity())).toList();
      assertThat(directories).as("the app's index directories under " + root.toAbsolutePath()).isNotEmpty();
      return directories;
    }
  }

  private static String logIdentity() {
    try {
      return dump(writeDatabase(), "SELECT id::text FROM log_identity").strip();
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Every term of every field, every doc value, every stored field of every document, deleted ones too. */
  private static String dumpIndexes() throws IOException {
    StringBuilder dump = new StringBuilder();
    for (Path directory : indexDirectories()) {
      try (FSDirectory files = FSDirectory.open(directory); DirectoryReader reader = DirectoryReader.open(files)) {
        for (LeafReaderContext context : reader.leaves()) {
          LeafReader leaf = context.reader();
          for (FieldInfo field : leaf.getFieldInfos()) {
            Terms terms = leaf.terms(field.name);
            if (terms != null) {
              TermsEnum each = terms.iterator();
              for (BytesRef term = each.next(); term != null; term = each.next()) {
                dump.append(term.utf8ToString()).append('\n');
              }
            }
            docValues(leaf, field, dump);
          }
          StoredFields stored = leaf.storedFields();
          for (int doc = 0; doc < leaf.maxDoc(); doc++) { // live or deleted
            for (IndexableField value : stored.document(doc)) {
              dump.append(value.stringValue() != null ? value.stringValue()
                  : value.binaryValue() != null ? value.binaryValue().utf8ToString() : "").append('\n');
            }
          }
        }
      } catch (IOException e) {
        if (Files.exists(directory)) { // else a generation dropped after a rebuild while it was read
          throw e;
        }
      }
    }
    return dump.toString();
  }

  private static void docValues(LeafReader leaf, FieldInfo field, StringBuilder dump) throws IOException {
    if (field.getDocValuesType() == DocValuesType.SORTED) {
      SortedDocValues values = leaf.getSortedDocValues(field.name);
      for (int ord = 0; ord < values.getValueCount(); ord++) {
        dump.append(values.lookupOrd(ord).utf8ToString()).append('\n');
      }
    } else if (field.getDocValuesType() == DocValuesType.SORTED_SET) {
      SortedSetDocValues values = leaf.getSortedSetDocValues(field.name);
      for (long ord = 0; ord < values.getValueCount(); ord++) {
        dump.append(values.lookupOrd(ord).utf8ToString()).append('\n');
      }
    } else if (field.getDocValuesType() == DocValuesType.BINARY) {
      BinaryDocValues values = leaf.getBinaryDocValues(field.name);
      while (values.nextDoc() != DocIdSetIterator.NO_MORE_DOCS) {
        dump.append(values.binaryValue().utf8ToString()).append('\n');
      }
    }
  }

  /** Whether any file of the app's indexes holds {@code text}'s bytes as they are, or in lower case. */
  private static boolean indexFilesHold(String text) throws IOException {
    for (Path directory : indexDirectories()) {
      List<Path> files;
      try (var listed = Files.list(directory)) {
        files = listed.filter(Files::isRegularFile).toList();
      } catch (NoSuchFileException dropped) { // a generation dropped after a rebuild
        continue;
      }
      for (Path file : files) {
        byte[] bytes;
        try {
          bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException merged) { // a segment merged away meanwhile
          continue;
        }
        for (String form : List.of(text, text.toLowerCase(Locale.ROOT))) {
          byte[] wanted = form.getBytes(StandardCharsets.UTF_8);
          for (int i = 0; i + wanted.length <= bytes.length; i++) {
            if (java.util.Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length)) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }
}
