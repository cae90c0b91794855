package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.test.TestPostgres;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** API.md "Catalog → Queries" over real HTTP: lists, search, histories, time travel, SSE, bad input. */
class CatalogQueriesIntegrationTests {

  private static RunningApp app;
  private static String electronics;
  private static String mobile;
  private static String kitchen;

  @BeforeAll
  static void start() {
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase());
    electronics = app.send("POST", "/api/v1/categories", "{\"name\":\"전자제품\"}").createdId();
    mobile = app.send("POST", "/api/v1/categories", "{\"name\":\"모바일\",\"parentId\":\"" + electronics + "\"}").createdId();
    kitchen = app.send("POST", "/api/v1/categories", "{\"name\":\"주방\"}").createdId();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String store(String name) {
    return app.send("POST", "/api/v1/stores", "{\"name\":\"" + name + "\"}").createdId();
  }

  private static RunningApp.Response product(String store, String category, String name, long price) {
    var response = app.send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"%s","price":%d,"stockQuantity":10,
         "images":[{"imageType":"DETAIL","imageUrl":"d2.jpg","displayOrder":2},
                   {"imageType":"PRIMARY","imageUrl":"p.jpg","displayOrder":0},
                   {"imageType":"DETAIL","imageUrl":"d1.jpg","displayOrder":1}]}"""
        .formatted(store, category, name, price), "X-User-Id", "seller-1");
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response;
  }

  /** Waits for the read model to have applied everything so far. */
  private static RunningApp.Response consistentGet(String path, RunningApp.Response after) {
    var response = app.send("GET", path, null, "Ordo-Min-Position", after.header("ordo-position"));
    assertThat(response.header("ordo-consistent")).as(path + " " + response.body()).isEqualTo("true");
    return response;
  }

  private static List<String> names(JsonNode page) {
    List<String> names = new ArrayList<>();
    page.get("items").forEach(item -> names.add(item.get("name").asString()));
    return names;
  }

  private static void assertProblem(RunningApp.Response response, int status, String field) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("content-type")).startsWith("application/problem+json");
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    if (field != null) {
      assertThat(response.json().get("errors").get(0).get("field").asString()).isEqualTo(field);
    }
  }

  @Test
  void listsFilterSortAndPageWithKeysetCursorsThatNeitherRepeatNorSkip() {
    String shop = store("List Mart");
    RunningApp.Response last = null;
    for (int i = 0; i < 25; i++) {
      last = product(shop, i % 2 == 0 ? mobile : kitchen, "Item %02d".formatted(i), 1_000 + (i * 37 % 25) * 100);
    }
    // the category filter takes its subtree: 전자제품 holds 모바일's products
    var inElectronics = consistentGet("/api/v1/products?storeId=" + shop + "&categoryId=" + electronics + "&size=100", last);
    assertThat(inElectronics.json().get("items").size()).isEqualTo(13);

    for (String sort : List.of("newest", "price_asc", "price_desc", "popular", "rating")) {
      Set<String> seen = new HashSet<>();
      List<Long> prices = new ArrayList<>();
      String cursor = null;
      int pages = 0;
      do {
        var page = app.get("/api/v1/products?storeId=" + shop + "&sort=" + sort + "&size=7"
            + (cursor == null ? "" : "&cursor=" + cursor));
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        page.json().get("items").forEach(item -> {
          assertThat(seen.add(item.get("id").asString())).as("no repeats in " + sort).isTrue();
          prices.add(item.get("price").asLong());
        });
        JsonNode next = page.json().get("nextCursor");
        cursor = next == null || next.isNull() ? null : next.asString();
        pages++;
      } while (cursor != null);
      assertThat(seen).as(sort).hasSize(25);
      assertThat(pages).isEqualTo(4);
      if (sort.equals("price_asc")) {
        assertThat(prices).isSorted();
      }
      if (sort.equals("price_desc")) {
        assertThat(prices).isSortedAccordingTo((a, b) -> Long.compare(b, a));
      }
    }
    var cheap = app.get("/api/v1/products?storeId=" + shop + "&minPrice=1000&maxPrice=1500&sort=price_asc&size=100");
    cheap.json().get("items").forEach(item -> assertThat(item.get("price").asLong()).isBetween(1_000L, 1_500L));
    var item = inElectronics.json().get("items").get(0);
    assertThat(item.get("storeName").asString()).isEqualTo("List Mart");
    assertThat(item.get("categoryPath").asString()).isEqualTo("전자제품 > 모바일");
    assertThat(item.get("primaryImageUrl").asString()).isEqualTo("p.jpg");
    assertThat(item.get("flags").get("isNew").asBoolean()).isTrue();
  }

  @Test
  void badQueryInputIsA400AndSqlInQIsJustText() {
    assertProblem(app.get("/api/v1/products?sort=cheapest"), 400, "sort");
    assertProblem(app.get("/api/v1/products?cursor=not-a-cursor"), 400, "cursor");
    assertProblem(app.get("/api/v1/products?size=-1"), 400, "size");
    assertProblem(app.get("/api/v1/products?size=100000"), 400, "size");
    assertProblem(app.get("/api/v1/products?size=ten"), 400, "size");
    assertProblem(app.get("/api/v1/products?minPrice=5&maxPrice=1"), 400, "minPrice");
    assertProblem(app.get("/api/v1/products?status=GONE"), 400, "status");
    assertProblem(app.get("/api/v1/products/search"), 400, "q");
    assertProblem(app.get("/api/v1/products/search?q=" + "x".repeat(101)), 400, "q");
    assertProblem(app.get("/api/v1/products/suggest?q="), 400, "q");
    assertProblem(app.get("/api/v1/products/" + UUID.randomUUID() + "?at=yesterday"), 400, "at");
    assertProblem(app.get("/api/v1/products/" + UUID.randomUUID() + "?version=0"), 400, "version");
    assertProblem(app.get("/api/v1/search/popular?days=0"), 400, "days");
    assertProblem(app.get("/api/v1/products?minPosition=seven"), 400, "minPosition");
    assertProblem(app.get("/api/v1/products?minPosition=" + UUID.randomUUID() + "@0"), 400, "minPosition");
    assertProblem(app.get("/api/v1/products?minPosition=@3"), 400, "minPosition");
    assertProblem(app.send("GET", "/api/v1/products", null, "Ordo-Min-Position", "x@y"), 400, "Ordo-Min-Position");
    // a cursor of one sort is not a cursor of another
    String shop = store("Cursor Mart");
    RunningApp.Response last = null;
    for (int i = 0; i < 3; i++) {
      last = product(shop, kitchen, "Cursor " + i, 100 + i);
    }
    var page = consistentGet("/api/v1/products?storeId=" + shop + "&sort=newest&size=1", last);
    // the token of a command answer waits as its position does
    String token = last.header("ordo-token");
    assertThat(token).isEqualTo(last.json().get("id").asString() + "@1");
    var byToken = app.send("GET", "/api/v1/products/" + last.json().get("id").asString(), null, "Ordo-Min-Position", token);
    assertThat(byToken.header("ordo-consistent")).isEqualTo("true");
    assertThat(app.send("GET", "/api/v1/products?storeId=" + shop, null, "Ordo-Min-Position",
        UUID.randomUUID() + "@1").header("ordo-consistent")).as("a stream that never comes: the wait times out")
        .isEqualTo("false");
    String cursor = page.json().get("nextCursor").asString();
    assertProblem(app.get("/api/v1/products?storeId=" + shop + "&sort=price_asc&cursor=" + cursor), 400, "cursor");

    String injection = java.net.URLEncoder.encode("'; DROP TABLE product_read; --", StandardCharsets.UTF_8);
    var search = app.get("/api/v1/products/search?q=" + injection);
    assertThat(search.status()).isEqualTo(200);
    assertThat(search.json().get("total").asLong()).isZero();
    var list = app.get("/api/v1/products?storeId=" + injection);
    assertThat(list.status()).isEqualTo(200);
    assertThat(app.get("/api/v1/products?storeId=" + shop).json().get("items").size()).isEqualTo(3);
  }

  @Test
  void searchFindsKoreanByPrefixAndWithATypoHighlightsAndCountsFacets() {
    String shop = store("Search Mart");
    product(shop, mobile, "삼성 갤럭시 스마트폰", 1_200_000);
    product(shop, mobile, "갤럭시 버즈 이어폰", 150_000);
    product(shop, kitchen, "스마트 전기밥솥", 90_000);
    var last = product(shop, kitchen, "무쇠 프라이팬", 40_000);
    app.send("GET", "/api/v1/products/" + last.json().get("id").asString(), null, "Ordo-Min-Position",
        last.header("ordo-position"));

    // the search index follows the log like the read model: a search asks for what it must have seen
    var byPrefix = app.send("GET", "/api/v1/products/search?q=" + url("갤럭"), null, "Ordo-Min-Position",
        last.header("ordo-position"));
    assertThat(byPrefix.header("ordo-consistent")).isEqualTo("true");
    assertThat(byPrefix.status()).as(byPrefix.body()).isEqualTo(200);
    assertThat(names(byPrefix.json())).containsExactlyInAnyOrder("삼성 갤럭시 스마트폰", "갤럭시 버즈 이어폰");
    assertThat(byPrefix.json().get("items").get(0).get("highlightedName").asString()).contains("<em>갤럭</em>");

    var typo = app.get("/api/v1/products/search?q=" + url("갤럭스"));
    assertThat(names(typo.json())).contains("삼성 갤럭시 스마트폰", "갤럭시 버즈 이어폰");

    var smart = app.get("/api/v1/products/search?q=" + url("스마트") + "&size=1");
    assertThat(smart.json().get("total").asLong()).isEqualTo(2);
    assertThat(smart.json().get("items").size()).isEqualTo(1);
    JsonNode facets = smart.json().get("facets");
    assertThat(facets.get("categories").size()).isEqualTo(2);
    long inRanges = 0;
    for (JsonNode range : facets.get("priceRanges")) {
      inRanges += range.get("count").asLong();
    }
    assertThat(inRanges).isEqualTo(2);
    var second = app.get("/api/v1/products/search?q=" + url("스마트") + "&size=1&cursor="
        + smart.json().get("nextCursor").asString());
    assertThat(names(second.json())).hasSize(1).doesNotContainAnyElementsOf(names(smart.json()));

    var cheapSmart = app.get("/api/v1/products/search?q=" + url("스마트") + "&maxPrice=100000");
    assertThat(names(cheapSmart.json())).containsExactly("스마트 전기밥솥");

    var suggest = app.get("/api/v1/products/suggest?q=" + url("갤"));
    assertThat(suggest.status()).isEqualTo(200);
    List<String> texts = new ArrayList<>();
    suggest.json().get("suggestions").forEach(s -> texts.add(s.get("text").asString()));
    assertThat(texts).contains("삼성 갤럭시 스마트폰", "갤럭시 버즈 이어폰");

    for (int i = 0; i < 3; i++) {
      app.get("/api/v1/products/search?q=" + url("프라이팬"));
    }
    var popular = app.get("/api/v1/search/popular");
    assertThat(popular.json().get("terms").get(0).get("term").asString()).isEqualTo("프라이팬");
    assertThat(popular.json().get("terms").get(0).get("count").asLong()).isGreaterThanOrEqualTo(3);
  }

  private static String url(String text) {
    return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  @Test
  void tagsAndKeywordsShowInTheDetailAndTheListsAndTheSearchFindsAProductByThem() {
    String shop = store("Tag Mart");
    String tag = "tag" + Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000L);
    String keyword = "kw" + Math.abs(UUID.randomUUID().getLeastSignificantBits() % 1_000_000_000L);
    var registered = app.send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"Camping Chair","price":30000,"stockQuantity":4,
         "thumbnailUrl":"t.jpg","tags":["여름세일", "%s"],"keywords":["%s"]}""".formatted(shop, kitchen, tag, keyword));
    String id = registered.createdId();
    app.send("PUT", "/api/v1/products/" + id + "/price", "{\"price\":29000}"); // an event that does not touch them

    var detail = consistentGet("/api/v1/products/" + id, registered).json();
    assertThat(detail.get("tags").valueStream().map(JsonNode::asString)).containsExactly("여름세일", tag);
    assertThat(detail.get("keywords").valueStream().map(JsonNode::asString)).containsExactly(keyword);
    assertThat(detail.get("thumbnailUrl").asString()).isEqualTo("t.jpg");
    var item = app.get("/api/v1/products?storeId=" + shop).json().get("items").get(0);
    assertThat(item.get("tags").valueStream().map(JsonNode::asString)).containsExactly("여름세일", tag);
    assertThat(item.get("thumbnailUrl").asString()).isEqualTo("t.jpg");
    assertThat(item.has("keywords")).as("the detail's only").isFalse();
    var asItWas = app.get("/api/v1/products/" + id + "?version=1").json();
    assertThat(asItWas.get("tags").valueStream().map(JsonNode::asString)).containsExactly("여름세일", tag);
    assertThat(asItWas.get("keywords").valueStream().map(JsonNode::asString)).containsExactly(keyword);

    // the name holds neither: only the search vector can find them (the search index, once it has the product)
    app.send("GET", "/api/v1/products/search?q=" + tag, null, "Ordo-Min-Position", registered.header("ordo-position"));
    assertThat(names(app.get("/api/v1/products/search?q=" + tag).json())).containsExactly("Camping Chair");
    assertThat(names(app.get("/api/v1/products/search?q=" + keyword).json())).containsExactly("Camping Chair");
    assertThat(names(app.get("/api/v1/products/search?q=" + url("여름세일") + "&categoryId=" + kitchen).json()))
        .contains("Camping Chair");

    String newTag = "new" + tag;
    var patched = app.send("PATCH", "/api/v1/products/" + id, "{\"tags\":[\"" + newTag + "\"]}");
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    var after = consistentGet("/api/v1/products/" + id, patched).json();
    assertThat(after.get("tags").valueStream().map(JsonNode::asString)).containsExactly(newTag);
    assertThat(after.get("keywords").valueStream().map(JsonNode::asString)).containsExactly(keyword);
    app.send("GET", "/api/v1/products/search?q=" + newTag, null, "Ordo-Min-Position", patched.header("ordo-position"));
    assertThat(names(app.get("/api/v1/products/search?q=" + newTag).json())).containsExactly("Camping Chair");
    assertThat(app.get("/api/v1/products/search?q=" + tag).json().get("total").asLong()).as("the old tag").isZero();
    assertThat(names(app.get("/api/v1/products/search?q=" + keyword).json())).containsExactly("Camping Chair");
    assertThat(names(app.get("/api/v1/products/search?q=" + url("camping")).json())).contains("Camping Chair");
  }

  @Test
  void reviewsArePagedNewestFirstWithWhoWroteThem() {
    String shop = store("Review Mart");
    String id = product(shop, kitchen, "Reviewed Pan", 40_000).createdId();
    String other = product(shop, kitchen, "Other Pan", 40_000).createdId();
    app.send("POST", "/api/v1/products/" + id + "/reviews", "{\"rating\":3,\"comment\":\"그럭저럭\"}", "X-User-Id", "u-1");
    app.send("POST", "/api/v1/products/" + id + "/stock-adjustments", "{\"delta\":-1,\"reason\":\"ORDER\"}");
    app.send("POST", "/api/v1/products/" + id + "/reviews", "{\"rating\":4}", "X-User-Id", "u-2");
    app.send("POST", "/api/v1/products/" + other + "/reviews", "{\"rating\":1}", "X-User-Id", "u-9");
    var last = app.send("POST", "/api/v1/products/" + id + "/reviews", "{\"rating\":5,\"comment\":\"최고\"}",
        "X-User-Id", "u-3");
    assertThat(last.status()).as(last.body()).isEqualTo(200);

    var first = consistentGet("/api/v1/products/" + id + "/reviews?size=2", last).json();
    assertThat(first.get("productId").asString()).isEqualTo(id);
    assertThat(first.get("size").asInt()).isEqualTo(2);
    JsonNode items = first.get("items");
    assertThat(items.size()).isEqualTo(2);
    assertThat(items.get(0).propertyNames()).containsExactly("rating", "comment", "actor", "createdAt");
    assertThat(items.get(0).get("rating").asInt()).isEqualTo(5);
    assertThat(items.get(0).get("comment").asString()).isEqualTo("최고");
    assertThat(items.get(0).get("actor").asString()).isEqualTo("u-3");
    assertThat(items.get(1).get("rating").asInt()).isEqualTo(4);
    assertThat(items.get(1).get("comment").isNull()).isTrue();
    assertThat(items.get(1).get("actor").asString()).isEqualTo("u-2");
    assertThat(Instant.parse(items.get(0).get("createdAt").asString()))
        .isAfterOrEqualTo(Instant.parse(items.get(1).get("createdAt").asString()));
    String cursor = first.get("nextCursor").asString();
    assertThat(cursor).isNotBlank();

    var second = app.get("/api/v1/products/" + id + "/reviews?size=2&cursor=" + cursor).json();
    assertThat(second.get("items").size()).isEqualTo(1);
    assertThat(second.get("items").get(0).get("rating").asInt()).isEqualTo(3);
    assertThat(second.get("items").get(0).get("comment").asString()).isEqualTo("그럭저럭");
    assertThat(second.get("items").get(0).get("actor").asString()).isEqualTo("u-1");
    assertThat(second.get("nextCursor").isNull()).isTrue();
    assertThat(app.get("/api/v1/products/" + id + "/reviews").json().get("items").size()).isEqualTo(3);
    assertThat(app.get("/api/v1/products/" + id + "/reviews?size=3").json().get("nextCursor").isNull()).isTrue();
    var unreviewed = product(shop, kitchen, "Unreviewed Pan", 1);
    var none = consistentGet("/api/v1/products/" + unreviewed.createdId() + "/reviews", unreviewed);
    assertThat(none.status()).isEqualTo(200);
    assertThat(none.json().get("items").isEmpty()).isTrue();

    var unknown = app.get("/api/v1/products/" + UUID.randomUUID() + "/reviews");
    assertProblem(unknown, 404, null);
    assertThat(unknown.json().get("status").asInt()).isEqualTo(404);
    assertProblem(app.get("/api/v1/products/" + other + "/reviews?cursor=" + cursor), 400, "cursor");
    assertProblem(app.get("/api/v1/products/" + id + "/reviews?cursor=nonsense"), 400, "cursor");
    assertProblem(app.get("/api/v1/products/" + id + "/reviews?size=0"), 400, "size");
  }

  @Test
  void priceAndAuditHistoriesAndTheProductAsItWas() throws Exception {
    String shop = store("History Mart");
    var registered = product(shop, mobile, "Time Phone", 10_000);
    String id = registered.json().get("id").asString();
    Instant afterRegistration = Instant.now();
    Thread.sleep(20);
    app.send("PUT", "/api/v1/products/" + id + "/price", "{\"price\":8000,\"reason\":\"sale\"}", "X-User-Id", "bob");
    app.send("POST", "/api/v1/products/" + id + "/stock-adjustments", "{\"delta\":-2,\"reason\":\"ORDER\"}");
    app.send("POST", "/api/v1/products/" + id + "/reviews", "{\"rating\":4}");
    var hidden = app.send("POST", "/api/v1/products/" + id + "/hide", null, "X-User-Id", "carol");

    var detail = consistentGet("/api/v1/products/" + id, hidden).json();
    assertThat(detail.get("status").asString()).isEqualTo("HIDDEN");
    assertThat(detail.get("orderCount").asInt()).as("orders count from order events, not stock adjustments").isZero();
    assertThat(detail.get("averageRating").asDouble()).isEqualTo(4.0);
    assertThat(detail.get("flags").get("isSale").asBoolean()).isTrue();
    assertThat(detail.get("discountRate").asInt()).isEqualTo(20);
    assertThat(detail.get("detailImageUrls").get(1).asString()).isEqualTo("d2.jpg");
    assertThat(detail.get("version").asLong()).isEqualTo(5);

    var prices = consistentGet("/api/v1/products/" + id + "/price-history", hidden).json().get("prices");
    assertThat(prices.size()).isEqualTo(2);
    assertThat(prices.get(1).get("newPrice").asLong()).isEqualTo(8_000);
    assertThat(prices.get(1).get("reason").asString()).isEqualTo("sale");
    assertThat(prices.get(1).get("actor").asString()).isEqualTo("bob");

    var history = consistentGet("/api/v1/products/" + id + "/history?size=3", hidden).json();
    assertThat(history.get("events").size()).isEqualTo(3);
    assertThat(history.get("events").get(0).get("type").asString()).isEqualTo("ProductRegistered");
    assertThat(history.get("events").get(0).get("actor").asString()).isEqualTo("seller-1");
    var rest = app.get("/api/v1/products/" + id + "/history?cursor=" + history.get("nextCursor").asString()).json();
    assertThat(rest.get("events").size()).isEqualTo(2);
    JsonNode hide = rest.get("events").get(1);
    assertThat(hide.get("type").asString()).isEqualTo("ProductHidden");
    assertThat(hide.get("status").asString()).isEqualTo("HIDDEN");
    assertThat(hide.get("actor").asString()).isEqualTo("carol");
    assertThat(hide.get("summary").asString()).isEqualTo("hidden");
    assertThat(rest.get("events").get(0).get("status").asString()).as("status carried over").isEqualTo("ACTIVE");

    var atVersion2 = app.get("/api/v1/products/" + id + "?version=2");
    assertThat(atVersion2.header("ordo-source")).isEqualTo("event-log");
    assertThat(atVersion2.header("etag")).isEqualTo("\"2\"");
    assertThat(atVersion2.json().get("price").asLong()).isEqualTo(8_000);
    assertThat(atVersion2.json().get("stockQuantity").asLong()).isEqualTo(10);
    var atRegistration = app.get("/api/v1/products/" + id + "?at=" + afterRegistration);
    assertThat(atRegistration.json().get("price").asLong()).isEqualTo(10_000);
    assertThat(atRegistration.json().get("status").asString()).isEqualTo("ACTIVE");
    assertThat(atRegistration.json().get("categoryPath").asString()).isEqualTo("전자제품 > 모바일");
    assertThat(app.get("/api/v1/products/" + id + "?at=2000-01-01T00:00:00Z").status()).isEqualTo(404);
    assertThat(app.get("/api/v1/products/" + id + "?version=99").status()).isEqualTo(404);
    assertThat(app.get("/api/v1/products/" + UUID.randomUUID() + "/history").status()).isEqualTo(404);
  }

  @Test
  void theStreamSendsReadModelChangesAndResumesAfterTheLastEventId() throws Exception {
    String shop = store("Stream Mart");
    var first = product(shop, kitchen, "Streamed", 500);
    String id = first.json().get("id").asString();
    long from = Long.parseLong(first.header("ordo-position")) - 1;
    HttpClient http = HttpClient.newHttpClient();
    List<String[]> events = new ArrayList<>();
    var request = HttpRequest.newBuilder(app.uri("/api/v1/products/stream")).header("Last-Event-ID", Long.toString(from))
        .header("Accept", "text/event-stream").build();
    HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    app.send("PUT", "/api/v1/products/" + id + "/price", "{\"price\":600,\"reason\":\"up\"}");
    try (var reader = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8))) {
      String eventId = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
      for (String line; events.size() < 2 && System.nanoTime() < deadline && (line = reader.readLine()) != null; ) {
        if (line.startsWith("id:")) {
          eventId = line.substring(3).strip();
        } else if (line.startsWith("data:")) {
          events.add(new String[] {eventId, line.substring(5).strip()});
        }
      }
    }
    assertThat(events).hasSize(2);
    assertThat(events.get(0)[0]).isEqualTo(first.header("ordo-position"));
    assertThat(events.get(0)[1]).contains("\"type\":\"ProductRegistered\"");
    assertThat(events.get(1)[1]).contains("\"type\":\"PriceChanged\"").contains("\"price\":600");
    assertProblem(app.send("GET", "/api/v1/products/stream", null, "Last-Event-ID", "abc"), 400, "Last-Event-ID");
  }

  @Test
  void projectionsReportLagAndRebuildBlueGreenWhileQueriesKeepAnswering() throws Exception {
    String shop = store("Rebuild Mart");
    RunningApp.Response last = null;
    for (int i = 0; i < 20; i++) {
      last = product(shop, mobile, "Rebuilt " + i, 1_000 + i);
    }
    String before = consistentGet("/api/v1/products?storeId=" + shop + "&size=100", last).body();

    var projections = app.get("/api/v1/projections").json().get("projections");
    List<String> names = new ArrayList<>();
    projections.forEach(p -> names.add(p.get("name").asString()));
    assertThat(names).contains("product_read", "product_history", "order_read", "order_history");
    JsonNode productRead = projections.get(names.indexOf("product_read"));
    assertThat(productRead.get("active").get("state").asString()).isEqualTo("RUNNING");
    int generation = productRead.get("active").get("generation").asInt();

    var rebuild = app.send("POST", "/api/v1/projections/product_read/rebuild", null);
    assertThat(rebuild.status()).as(rebuild.body()).isEqualTo(202);
    assertThat(rebuild.header("location")).isEqualTo("/api/v1/projections/product_read");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (app.get("/api/v1/projections/product_read").json().get("active").get("generation").asInt() == generation) {
      assertThat(app.get("/api/v1/products?storeId=" + shop + "&size=100").status()).isEqualTo(200);
      assertThat(System.nanoTime()).as("the rebuild takes over").isLessThan(deadline);
      Thread.sleep(20);
    }
    var after = app.send("GET", "/api/v1/products?storeId=" + shop + "&size=100", null, "Ordo-Min-Position",
        last.header("ordo-position"));
    assertThat(after.body()).isEqualTo(before);

    assertThat(app.get("/api/v1/projections/product_read/dead-letters").json().get("deadLetters").size()).isZero();
    assertProblem(app.send("POST", "/api/v1/projections/product_read/dead-letters/42/retry", null), 404, null);
    assertProblem(app.send("POST", "/api/v1/projections/nope/rebuild", null), 404, null);
    var health = app.get("/actuator/health").json().get("components").get("projections");
    assertThat(health.get("status").asString()).isEqualTo("UP");
    var metrics = app.get("/actuator/prometheus");
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body()).contains("ordo_projection_lag_events{projection=\"product_read\"}");
  }

  /**
   * The detail is answered from memory once read; readers hammering it while the product changes
   * must still see each change as soon as its position is applied (eviction before the position
   * is reported, and no answer read before a change is kept after it).
   */
  @Test
  void cachedDetailsFollowEveryChangeEvenUnderConcurrentReads() throws Exception {
    String shop = store("Cache Mart");
    var registered = product(shop, mobile, "Cached", 5_000);
    String id = registered.createdId();
    consistentGet("/api/v1/products/" + id, registered);
    var readers = new ArrayList<Thread>();
    var stop = new java.util.concurrent.atomic.AtomicBoolean();
    var failures = new java.util.concurrent.ConcurrentLinkedQueue<String>();
    for (int r = 0; r < 4; r++) {
      readers.add(Thread.ofPlatform().start(() -> {
        while (!stop.get()) {
          var read = app.get("/api/v1/products/" + id);
          if (read.status() != 200) {
            failures.add(read.status() + " " + read.body());
          }
        }
      }));
    }
    try {
      long stock = 10;
      long version = 1;
      for (int i = 1; i <= 30; i++) {
        boolean restock = i % 10 == 0;
        var adjusted = app.send("POST", "/api/v1/products/" + id + "/stock-adjustments",
            restock ? "{\"delta\":10,\"reason\":\"MANUAL_ADJUSTMENT\"}" : "{\"delta\":-1,\"reason\":\"ORDER\"}");
        assertThat(adjusted.status()).as(adjusted.body()).isEqualTo(200);
        stock += restock ? 10 : -1;
        version++;
        var detail = consistentGet("/api/v1/products/" + id, adjusted);
        assertThat(detail.json().get("stockQuantity").asLong()).as("after change " + i).isEqualTo(stock);
        assertThat(detail.json().get("version").asLong()).as("after change " + i).isEqualTo(version);
        assertThat(detail.header("etag")).isEqualTo("\"" + version + "\"");
      }
      var renamed = app.send("POST", "/api/v1/stores/" + shop + "/rename", "{\"name\":\"Cache Mart Renamed\"}");
      assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
      assertThat(consistentGet("/api/v1/products/" + id, renamed).json().get("storeName").asString())
          .isEqualTo("Cache Mart Renamed");
    } finally {
      stop.set(true);
      for (Thread reader : readers) {
        reader.join();
      }
    }
    assertThat(failures).isEmpty();
    var latest = app.get("/api/v1/products/" + id);
    var notModified = app.send("GET", "/api/v1/products/" + id, null, "If-None-Match", latest.header("etag"));
    assertThat(notModified.status()).isEqualTo(304);
  }
}
