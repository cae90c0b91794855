package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.test.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The catalog's commands over real HTTP against the running app: API.md "Commands — common rules". */
class CatalogCommandsIntegrationTests {

  private static RunningApp app;
  private static String store;
  private static String category;

  @BeforeAll
  static void start() {
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase());
    store = app.send("POST", "/api/v1/stores", "{\"name\":\"Ordo Mart\"}").createdId();
    category = app.send("POST", "/api/v1/categories", "{\"name\":\"전자제품\"}").createdId();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String productBody(String name, long price, long stock) {
    return """
        {"storeId":"%s","categoryId":"%s","name":"%s","price":%d,"stockQuantity":%d}""".formatted(store, category, name,
        price, stock);
  }

  private static String newProduct(String name, long stock) {
    return app.send("POST", "/api/v1/products", productBody(name, 1_000, stock)).createdId();
  }

  private static void assertProblem(RunningApp.Response response, int status, String rule) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("content-type")).startsWith("application/problem+json");
    JsonNode problem = response.json();
    assertThat(problem.get("type").asString()).startsWith("https://ordo.dev/problems/");
    assertThat(problem.get("title").asString()).isNotBlank();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asString()).isNotBlank();
    if (rule != null) {
      assertThat(problem.get("rule").asString()).isEqualTo(rule);
    }
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void aCreatingCommandAnswers201WithLocationETagAndPosition() {
    var response = app.send("POST", "/api/v1/products", productBody("Created", 5_000, 3), "X-User-Id", "alice",
        "X-Request-Id", "req-42");
    assertThat(response.status()).isEqualTo(201);
    JsonNode body = response.json();
    String id = body.get("id").asString();
    assertThat(body.propertyNames()).containsExactly("id", "version", "position");
    assertThat(body.get("version").asLong()).isEqualTo(1);
    assertThat(response.header("location")).isEqualTo("/api/v1/products/" + id);
    assertThat(response.header("etag")).isEqualTo("\"1\"");
    assertThat(response.header("ordo-position")).isEqualTo(body.get("position").asString());

    JsonNode event = app.get("/api/v1/streams/" + id).json().get("events").get(0);
    assertThat(event.get("type").asString()).isEqualTo("ProductRegistered");
    assertThat(event.get("schemaVersion").asInt()).isEqualTo(3);
    assertThat(event.get("metadata").get("actor").asString()).isEqualTo("alice");
    assertThat(event.get("metadata").get("correlationId").asString()).isEqualTo("req-42");
    assertThat(event.get("metadata").get("commandId").asString()).isNotBlank();
  }

  @Test
  void aCommandOnAnExistingAggregateAnswers200AndIfMatchGuardsTheVersion() {
    String id = newProduct("Guarded", 10);
    var changed = app.send("PUT", "/api/v1/products/" + id + "/price", "{\"price\":1500,\"reason\":\"x\"}",
        "If-Match", "\"1\"");
    assertThat(changed.status()).isEqualTo(200);
    assertThat(changed.header("etag")).isEqualTo("\"2\"");

    assertProblem(app.send("PUT", "/api/v1/products/" + id + "/price", "{\"price\":1600}", "If-Match", "\"1\""), 412,
        null);
    assertThat(app.get("/api/v1/streams/" + id).json().get("version").asLong()).isEqualTo(2);
  }

  @Test
  void anIdempotencyKeyReplaysTheFirstAnswerByteForByteAndAppendsNothing() {
    String body = productBody("Once", 1_000, 1);
    var first = app.send("POST", "/api/v1/products", body, "Idempotency-Key", "\"key-once\"");
    var again = app.send("POST", "/api/v1/products", body, "Idempotency-Key", "\"key-once\"");

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.header("etag")).isEqualTo(first.header("etag"));
    assertThat(again.header("location")).isEqualTo(first.header("location"));
    assertThat(again.header("idempotent-replayed")).isEqualTo("true");
    assertThat(first.header("idempotent-replayed")).isNull();
    assertThat(eventsNamed("Once")).isEqualTo(1);

    assertProblem(app.send("POST", "/api/v1/products", productBody("Other", 1, 1), "Idempotency-Key", "\"key-once\""),
        422, "idempotency-key-reused");
  }

  /**
   * Events whose data names {@code name}, over the whole log. A page of the log ends early while an
   * older transaction is still open (a projection batch), so the log is read until it shows one.
   */
  private static long eventsNamed(String name) {
    long count = 0;
    for (int attempt = 0; attempt < 50 && count == 0; attempt++) {
      count = 0;
      long after = 0;
      while (true) {
        var page = app.get("/api/v1/events?limit=1000&after=" + after).json();
        var events = page.get("events");
        count += events.valueStream().filter(e -> e.get("data").path("name").asString("").equals(name)).count();
        if (events.isEmpty()) {
          break;
        }
        after = page.get("next").asLong();
      }
      if (count == 0) {
        try {
          Thread.sleep(100);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IllegalStateException(e);
        }
      }
    }
    return count;
  }

  @Test
  void aFailedCommandWithAnIdempotencyKeyReplaysItsFailure() {
    String id = newProduct("Failing", 1);
    String body = "{\"delta\":-5,\"reason\":\"ORDER\"}";
    var first = app.send("POST", "/api/v1/products/" + id + "/stock-adjustments", body, "Idempotency-Key", "k-fail");
    var again = app.send("POST", "/api/v1/products/" + id + "/stock-adjustments", body, "Idempotency-Key", "k-fail");
    assertProblem(first, 422, "insufficient-stock");
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.header("idempotent-replayed")).isEqualTo("true");
  }

  @Test
  void preferRespondAsyncAnswers202AndTheCommandCanBeFollowed() throws Exception {
    String id = newProduct("Async", 1);
    var accepted = app.send("POST", "/api/v1/products/" + id + "/hide", null, "Prefer", "respond-async");
    assertThat(accepted.status()).isEqualTo(202);
    String location = accepted.header("location");
    assertThat(location).startsWith("/api/v1/commands/");

    JsonNode status = awaitDone(location);
    assertThat(status.get("status").asString()).isEqualTo("SUCCEEDED");
    assertThat(status.get("result").get("id").asString()).isEqualTo(id);
    assertThat(status.get("result").get("version").asLong()).isEqualTo(2);

    var failing = app.send("PUT", "/api/v1/products/" + id + "/price", "{\"price\":999999}", "Prefer",
        "respond-async");
    JsonNode failed = awaitDone(failing.header("location"));
    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
    assertThat(failed.get("problem").get("rule").asString()).isEqualTo("price-increase-over-100-percent");

    assertThat(app.get("/api/v1/commands/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
    assertProblem(app.get("/api/v1/commands/not-a-uuid"), 400, null);
  }

  static JsonNode awaitDone(String location) throws InterruptedException {
    for (int i = 0; i < 100; i++) {
      JsonNode status = app.get(location).json();
      if (!status.get("status").asString().equals("PENDING")) {
        return status;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(location + " still pending");
  }

  @Test
  void aKeyWhoseFirstRequestIsStillRunningIs409() throws Exception {
    String body = "{\"name\":\"Busy\"}";
    var sha = java.security.MessageDigest.getInstance("SHA-256");
    sha.update(("POST /api/v1/stores\n" + body).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    String fingerprint = java.util.HexFormat.of().formatHex(sha.digest());
    try (Connection connection = app.bean(DataSource.class).getConnection();
        Statement insert = connection.createStatement()) {
      insert.execute("""
          INSERT INTO commands (command_id, idempotency_key, fingerprint, command_type, status)
          VALUES (gen_random_uuid(), 'k-busy', '%s', 'RegisterStore', 'PENDING')
          """.formatted(fingerprint));
    }
    var response = app.send("POST", "/api/v1/stores", body, "Idempotency-Key", "k-busy");
    assertProblem(response, 409, null);
    assertThat(response.header("retry-after")).isNotBlank();
  }

  @Test
  void theIdInThePathWinsOverAnIdInTheBody() {
    String id = newProduct("Path id", 5);
    String other = newProduct("Body id", 5);
    var adjusted = app.send("POST", "/api/v1/products/" + id + "/stock-adjustments",
        "{\"productId\":\"" + other + "\",\"delta\":-1,\"reason\":\"ORDER\"}");
    assertThat(adjusted.status()).isEqualTo(200);
    assertThat(app.get("/api/v1/streams/" + id).json().get("version").asLong()).isEqualTo(2);
    assertThat(app.get("/api/v1/streams/" + other).json().get("version").asLong()).isEqualTo(1);
  }

  @Test
  void malformedOrInvalidInputIs400WithTheFieldsAtFault() {
    String id = newProduct("Validated", 1);
    assertProblem(app.send("POST", "/api/v1/stores", "{\"name\":"), 400, null);
    assertProblem(app.send("POST", "/api/v1/stores", "[1,2]"), 400, null);

    var missing = app.send("POST", "/api/v1/products", "{\"name\":\"x\",\"price\":-1}");
    assertProblem(missing, 400, null);
    assertThat(missing.json().get("errors").valueStream().map(e -> e.get("field").asString()))
        .contains("storeId", "categoryId", "price", "stockQuantity");

    var wrongType = app.send("POST", "/api/v1/products/" + id + "/stock-adjustments",
        "{\"delta\":\"lots\",\"reason\":\"ORDER\"}");
    assertProblem(wrongType, 400, null);
    assertThat(wrongType.json().get("errors").get(0).get("field").asString()).isEqualTo("delta");

    var tooLarge = app.send("POST", "/api/v1/products/" + id + "/stock-adjustments",
        "{\"delta\":99999999999999999999999,\"reason\":\"ORDER\"}");
    assertProblem(tooLarge, 400, null);
    assertThat(tooLarge.json().get("errors").get(0).get("field").asString()).isEqualTo("delta");
    assertProblem(app.send("POST", "/api/v1/stores", "{\"name\":\"x\"} {\"name\":\"y\"}"), 400, null);
    assertProblem(app.send("POST", "/api/v1/stores", "null"), 400, null);

    var unknownEnum = app.send("POST", "/api/v1/products/" + id + "/stock-adjustments", "{\"delta\":1,\"reason\":\"GIFT\"}");
    assertProblem(unknownEnum, 400, null);
    var unknownField = app.send("POST", "/api/v1/stores", "{\"name\":\"x\",\"owner\":\"bob\"}");
    assertProblem(unknownField, 400, null);
    assertThat(unknownField.json().get("errors").get(0).get("field").asString()).isEqualTo("owner");

    var rating = app.send("POST", "/api/v1/products/" + id + "/reviews", "{\"rating\":6}");
    assertProblem(rating, 400, null);
    assertProblem(app.send("PUT", "/api/v1/products/" + id + "/price", "{\"price\":1}", "If-Match", "soon"), 400, null);
    assertProblem(app.send("POST", "/api/v1/stores", "{\"name\":\"" + "x".repeat(70_000) + "\"}"), 413, null);
    assertThat(app.get("/api/v1/streams/" + id).json().get("version").asLong()).as("nothing written").isEqualTo(1);
  }

  @Test
  void anUnknownAggregateIs404() {
    assertProblem(app.send("PUT", "/api/v1/products/" + java.util.UUID.randomUUID() + "/price", "{\"price\":1}"), 404,
        null);
    assertProblem(app.send("POST", "/api/v1/products/not-a-uuid/hide", null), 404, null);
    assertProblem(app.send("POST", "/api/v1/products/" + store + "/hide", null), 404, null);
  }

  @Test
  void brokenBusinessRulesAre422WithAStableRule() {
    String id = newProduct("Ruled", 2);
    assertProblem(app.send("PUT", "/api/v1/products/" + id + "/price", "{\"price\":2001}"), 422,
        "price-increase-over-100-percent");
    assertProblem(app.send("POST", "/api/v1/products/" + id + "/stock-adjustments", "{\"delta\":-3,\"reason\":\"ORDER\"}"),
        422, "insufficient-stock");
    assertProblem(app.send("POST", "/api/v1/products", productBody("ruled", 1, 1)), 422, "product-name-taken");
    assertProblem(app.send("POST", "/api/v1/products",
        productBody("NoStore", 1, 1).replace(store, java.util.UUID.randomUUID().toString())), 422, "unknown-store");
    assertProblem(app.send("POST", "/api/v1/categories", "{\"name\":\"x\",\"parentId\":\"" + store + "\"}"), 422,
        "unknown-category");
  }

  @Test
  void aDeletedProductFreesItsNameAndEveryCatalogCommandWorks() {
    String id = newProduct("Lifecycle", 5);
    assertThat(app.send("PATCH", "/api/v1/products/" + id, "{\"description\":\"new\",\"images\":[{\"imageType\":\"DETAIL\",\"imageUrl\":\"d.jpg\",\"displayOrder\":1}]}").status()).isEqualTo(200);
    assertThat(app.send("POST", "/api/v1/products/" + id + "/reviews", "{\"rating\":5,\"comment\":\"좋아요\"}").status())
        .isEqualTo(200);
    assertThat(app.send("POST", "/api/v1/products/" + id + "/hide", null).status()).isEqualTo(200);
    assertThat(app.send("POST", "/api/v1/products/" + id + "/restore", null).status()).isEqualTo(200);
    assertThat(app.send("DELETE", "/api/v1/products/" + id, "{\"reason\":\"discontinued\"}").status()).isEqualTo(200);
    assertThat(app.send("POST", "/api/v1/products", productBody("Lifecycle", 1, 1)).status()).isEqualTo(201);
    assertThat(app.send("POST", "/api/v1/stores/" + store + "/rename", "{\"name\":\"Ordo Market\"}").status())
        .isEqualTo(200);
    JsonNode events = app.get("/api/v1/streams/" + id).json().get("events");
    assertThat(events.valueStream().map(e -> e.get("type").asString())).containsExactly("ProductRegistered",
        "ProductInfoUpdated", "ReviewAdded", "ProductHidden", "ProductRestored", "ProductDeleted");
    assertThat(events.get(1).get("data").get("changes").get("description").get("new").asString()).isEqualTo("new");
    assertThat(events.get(1).get("data").get("changes").has("name")).isFalse();
  }

  @Test
  void fiftyConcurrentDecrementsOnStockTwentyLetExactlyTwentyThrough() throws Exception {
    String id = newProduct("Contended", 20);
    ExecutorService pool = Executors.newFixedThreadPool(50);
    List<RunningApp.Response> responses = new ArrayList<>();
    try {
      List<Callable<RunningApp.Response>> requests = new ArrayList<>();
      for (int i = 0; i < 50; i++) {
        requests.add(() -> app.send("POST", "/api/v1/products/" + id + "/stock-adjustments",
            "{\"delta\":-1,\"reason\":\"ORDER\"}"));
      }
      for (Future<RunningApp.Response> response : pool.invokeAll(requests)) {
        responses.add(response.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(responses).filteredOn(r -> r.status() == 200).hasSize(20);
    assertThat(responses).filteredOn(r -> r.status() == 422).hasSize(30)
        .allSatisfy(r -> assertThat(r.json().get("rule").asString()).isEqualTo("insufficient-stock"));
    JsonNode events = app.get("/api/v1/streams/" + id).json().get("events");
    var stock = events.valueStream().filter(e -> e.get("type").asString().equals("StockAdjusted")).toList();
    assertThat(stock).hasSize(20);
    assertThat(stock.getLast().get("data").get("stockAfter").asLong()).isZero();
  }

  @Test
  void aQueryCarryingTheCommandsPositionSeesItsEffect() {
    String electronics = app.send("POST", "/api/v1/categories", "{\"name\":\"가전\"}").createdId();
    String mobile = app.send("POST", "/api/v1/categories",
        "{\"name\":\"모바일\",\"parentId\":\"" + electronics + "\"}").createdId();
    String shop = app.send("POST", "/api/v1/stores", "{\"name\":\"Read Mart\"}").createdId();
    var registered = app.send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"Read Phone","price":500,"stockQuantity":7,
         "images":[{"imageType":"PRIMARY","imageUrl":"p.jpg","displayOrder":0}]}""".formatted(shop, mobile));
    String id = registered.createdId();

    var detail = app.send("GET", "/api/v1/products/" + id, null, "Ordo-Min-Position",
        registered.header("ordo-position"));
    assertThat(detail.status()).isEqualTo(200);
    assertThat(detail.header("ordo-consistent")).isEqualTo("true");
    assertThat(detail.header("etag")).isEqualTo("\"1\"");
    JsonNode product = detail.json();
    assertThat(product.get("storeName").asString()).isEqualTo("Read Mart");
    assertThat(product.get("categoryPath").asString()).isEqualTo("가전 > 모바일");
    assertThat(product.get("stockQuantity").asLong()).isEqualTo(7);
    assertThat(product.get("images").get(0).get("imageUrl").asString()).isEqualTo("p.jpg");

    app.send("POST", "/api/v1/stores/" + shop + "/rename", "{\"name\":\"Read Market\"}");
    app.send("POST", "/api/v1/categories/" + electronics + "/rename", "{\"name\":\"전자제품\"}");
    var adjusted = app.send("POST", "/api/v1/products/" + id + "/stock-adjustments", "{\"delta\":-2,\"reason\":\"ORDER\"}");
    app.send("POST", "/api/v1/products/" + id + "/reviews", "{\"rating\":4}");
    var reviewed = app.send("POST", "/api/v1/products/" + id + "/reviews", "{\"rating\":5}");

    var after = app.get("/api/v1/products/" + id + "?minPosition=" + reviewed.header("ordo-position"));
    assertThat(after.header("ordo-consistent")).isEqualTo("true");
    JsonNode updated = after.json();
    assertThat(updated.get("storeName").asString()).isEqualTo("Read Market");
    assertThat(updated.get("categoryPath").asString()).isEqualTo("전자제품 > 모바일");
    assertThat(updated.get("stockQuantity").asLong()).isEqualTo(5);
    assertThat(updated.get("reviewCount").asInt()).isEqualTo(2);
    assertThat(updated.get("averageRating").asDouble()).isEqualTo(4.5);
    assertThat(updated.get("version").asLong()).isEqualTo(Long.parseLong(adjusted.json().get("version").asString()) + 2);

    assertThat(app.get("/api/v1/products/" + java.util.UUID.randomUUID()).status()).isEqualTo(404);
    assertProblem(app.send("GET", "/api/v1/products/" + id, null, "Ordo-Min-Position", "soon"), 400, null);
  }

  @Test
  void aVersion1ProductWrittenByAnOlderBuildIsReadAndCommandedToday() throws Exception {
    String id = java.util.UUID.randomUUID().toString();
    try (Connection connection = app.bean(DataSource.class).getConnection();
        Statement insert = connection.createStatement()) {
      insert.execute("""
          INSERT INTO events (stream_id, stream_version, stream_type, event_id, event_type, schema_version, data, metadata)
          VALUES ('%s', 1, 'product', gen_random_uuid(), 'ProductRegistered', 1,
                  '{"productId":"%s","storeId":"%s","categoryId":"%s","name":"Vintage","price":100,
                    "stockQuantity":3,"thumbnailUrl":"v.jpg","description":"from 2024"}', '{}')
          """.formatted(id, id, store, category));
    }
    assertThat(app.send("POST", "/api/v1/products/" + id + "/stock-adjustments", "{\"delta\":-3,\"reason\":\"ORDER\"}")
        .status()).isEqualTo(200);
    JsonNode first = app.get("/api/v1/streams/" + id).json().get("events").get(0);
    assertThat(first.get("schemaVersion").asInt()).isEqualTo(3);
    assertThat(first.get("data").get("images").get(0).get("imageUrl").asString()).isEqualTo("v.jpg");
    assertThat(first.get("data").get("tags").isEmpty()).isTrue();
  }

  @Test
  void aVersion2ProductIsReadAsVersion3WithNoTagsOrKeywordsAndTaggedToday() throws Exception {
    String id = java.util.UUID.randomUUID().toString();
    try (Connection connection = app.bean(DataSource.class).getConnection();
        Statement insert = connection.createStatement()) {
      insert.execute("""
          INSERT INTO events (stream_id, stream_version, stream_type, event_id, event_type, schema_version, data, metadata)
          VALUES ('%s', 1, 'product', gen_random_uuid(), 'ProductRegistered', 2,
                  '{"productId":"%s","storeId":"%s","categoryId":"%s","name":"Before tags","price":100,
                    "stockQuantity":3,"thumbnailUrl":null,"description":null,"images":[]}', '{}')
          """.formatted(id, id, store, category));
    }
    JsonNode first = app.get("/api/v1/streams/" + id).json().get("events").get(0);
    assertThat(first.get("schemaVersion").asInt()).isEqualTo(3);
    assertThat(first.get("data").get("tags").isArray()).isTrue();
    assertThat(first.get("data").get("tags").isEmpty()).isTrue();
    assertThat(first.get("data").get("keywords").isArray()).isTrue();
    assertThat(first.get("data").get("keywords").isEmpty()).isTrue();
    var detail = app.send("GET", "/api/v1/products/" + id, null, "Ordo-Min-Position", id + "@1");
    assertThat(detail.header("ordo-consistent")).isEqualTo("true");
    assertThat(detail.json().get("tags").isEmpty()).isTrue();
    assertThat(detail.json().get("keywords").isEmpty()).isTrue();

    var tagged = app.send("PATCH", "/api/v1/products/" + id, "{\"tags\":[\"vintage\"]}");
    assertThat(tagged.status()).as(tagged.body()).isEqualTo(200);
    JsonNode changes = app.get("/api/v1/streams/" + id).json().get("events").get(1).get("data").get("changes");
    assertThat(changes.get("tags").get("old").isEmpty()).isTrue();
    assertThat(changes.get("tags").get("new").get(0).asString()).isEqualTo("vintage");
  }

  @Test
  void tagsAndKeywordsAreKeptTrimmedOnceEachAndAPatchReplacesThemWithTheChangeRecorded() {
    var registered = app.send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"Tagged","price":1000,"stockQuantity":1,
         "tags":[" Sale ","sale","Summer","SALE"],"keywords":["galaxy s25","Galaxy S25 "]}""".formatted(store, category));
    String id = registered.createdId();
    JsonNode data = app.get("/api/v1/streams/" + id).json().get("events").get(0).get("data");
    assertThat(data.get("tags").valueStream().map(JsonNode::asString)).containsExactly("Sale", "Summer");
    assertThat(data.get("keywords").valueStream().map(JsonNode::asString)).containsExactly("galaxy s25");

    var patched = app.send("PATCH", "/api/v1/products/" + id, "{\"tags\":[\"Winter\"],\"keywords\":[]}",
        "X-User-Id", "editor");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    JsonNode events = app.get("/api/v1/streams/" + id).json().get("events");
    assertThat(events.size()).isEqualTo(2);
    JsonNode changes = events.get(1).get("data").get("changes");
    assertThat(events.get(1).get("type").asString()).isEqualTo("ProductInfoUpdated");
    assertThat(changes.propertyNames()).containsExactlyInAnyOrder("tags", "keywords");
    assertThat(changes.get("tags").get("old").valueStream().map(JsonNode::asString)).containsExactly("Sale", "Summer");
    assertThat(changes.get("tags").get("new").valueStream().map(JsonNode::asString)).containsExactly("Winter");
    assertThat(changes.get("keywords").get("old").valueStream().map(JsonNode::asString)).containsExactly("galaxy s25");
    assertThat(changes.get("keywords").get("new").isEmpty()).isTrue();
    var history = app.send("GET", "/api/v1/products/" + id + "/history", null, "Ordo-Min-Position",
        patched.header("ordo-position")).json();
    assertThat(history.get("events").get(1).get("summary").asString()).isEqualTo("changed tags, keywords");

    // the same lists again (trimmed, or without the tags): nothing changes
    assertThat(app.send("PATCH", "/api/v1/products/" + id, "{\"tags\":[\" Winter\"],\"keywords\":[]}").status())
        .isEqualTo(200);
    assertThat(app.send("PATCH", "/api/v1/products/" + id, "{\"description\":null}").status()).isEqualTo(200);
    assertThat(app.get("/api/v1/streams/" + id).json().get("version").asLong()).isEqualTo(2);
  }

  @Test
  void invalidTagsOrKeywordsAre400NamingTheFieldAndWriteNothing() {
    String id = app.send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"Tag rules","price":1000,"stockQuantity":1,"tags":["kept"]}"""
        .formatted(store, category)).createdId();
    String tooMany = String.join(",", java.util.stream.IntStream.range(0, 21).mapToObj(i -> "\"t" + i + "\"").toList());
    var cases = java.util.Map.of(
        "{\"tags\":[" + tooMany + "]}", "tags",
        "{\"tags\":[\"ok\",\"" + "x".repeat(31) + "\"]}", "tags[1]",
        "{\"tags\":[\"   \"]}", "tags[0]",
        "{\"tags\":[\"\"]}", "tags[0]",
        "{\"tags\":[null]}", "tags[0]",
        "{\"tags\":[\"bell\\u0007\"]}", "tags[0]",
        "{\"tags\":[\"a\\tb\"]}", "tags[0]",
        "{\"keywords\":[\"" + "k".repeat(51) + "\"]}", "keywords[0]",
        "{\"keywords\":\"one\"}", "keywords");
    cases.forEach((body, field) -> {
      var response = app.send("PATCH", "/api/v1/products/" + id, body);
      assertProblem(response, 400, null);
      assertThat(response.json().get("errors").valueStream().map(e -> e.get("field").asString())).as(body)
          .containsExactly(field);
    });
    // 30 and 50 characters once trimmed are allowed: the limit counts what is kept
    assertThat(app.send("PATCH", "/api/v1/products/" + id,
        "{\"tags\":[\" " + "가".repeat(30) + " \"],\"keywords\":[\"" + "k".repeat(50) + "\"]}").status()).isEqualTo(200);
    var control = app.send("PATCH", "/api/v1/products/" + id, "{\"tags\":[\"bell\\u0007\"]}");
    assertThat(control.json().get("errors").get(0).get("message").asString()).contains("control");
    assertThat(app.get("/api/v1/streams/" + id).json().get("version").asLong()).as("only the valid patch").isEqualTo(2);

    var registration = app.send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"Refused tags","price":1000,"stockQuantity":1,
         "tags":["fine"],"keywords":["", "fine"]}""".formatted(store, category));
    assertProblem(registration, 400, null);
    assertThat(registration.json().get("errors").get(0).get("field").asString()).isEqualTo("keywords[0]");
    assertThat(eventsNamed("Refused tags")).as("nothing written").isZero();
  }
}
