package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.spring.search.Searches;
import dev.ordo.test.TestPostgres;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Korean search over HTTP, answered by the embedded Lucene index the app feeds from its log: the
 * queries of issue 13 that PostgreSQL did not answer, highlight, facets, paging, suggestions,
 * related products, the fallback to PostgreSQL and back, and a rebuild beside the serving index.
 */
class ProductSearchIntegrationTests {

  private static RunningApp app;
  private static String mobile;
  private static String electronics;
  private static String phone;
  private static String phoneCase;
  private static String laptop;
  private static RunningApp.Response last;

  @BeforeAll
  static void start() {
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase());
    electronics = app.send("POST", "/api/v1/categories", "{\"name\":\"전자제품\"}").createdId();
    mobile = app.send("POST", "/api/v1/categories", "{\"name\":\"모바일\",\"parentId\":\"" + electronics + "\"}")
        .createdId();
    String computers = app.send("POST", "/api/v1/categories", "{\"name\":\"컴퓨터\",\"parentId\":\"" + electronics
        + "\"}").createdId();
    String samsung = app.send("POST", "/api/v1/stores", "{\"name\":\"삼성전자 공식스토어\"}").createdId();
    String accessories = app.send("POST", "/api/v1/stores", "{\"name\":\"케이스마켓\"}").createdId();
    phone = product(samsung, mobile, "삼성 갤럭시 S25 스마트폰", 1_250_000, "[\"자급제\", \"가성비폰\"]");
    phoneCase = product(accessories, mobile, "갤럭시 S25 투명 젤리 케이스", 12_000, "[]");
    laptop = product(samsung, computers, "삼성 갤럭시북4 프로 노트북", 1_890_000, "[]");
    product(accessories, computers, "노트북 파우치 15인치", 25_000, "[]");
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static String product(String store, String category, String name, long price, String tags) {
    last = app.send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"%s","price":%d,"stockQuantity":10,"tags":%s}"""
        .formatted(store, category, name, price, tags), "X-User-Id", "seller-1");
    return last.createdId();
  }

  private static RunningApp.Response search(String query, String more) {
    var response = app.send("GET", "/api/v1/products/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8)
        + more, null, "Ordo-Min-Position", last.header("ordo-position"));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response;
  }

  private static List<String> ids(RunningApp.Response response) {
    List<String> ids = new ArrayList<>();
    response.json().get("items").forEach(item -> ids.add(item.get("id").asString()));
    return ids;
  }

  @ParameterizedTest
  @ValueSource(strings = {"갤럭시를", "스마트폰을", "삼성갤럭시", "핸드폰", "휴대폰", "galaxy", "겔럭시", "가성비폰"})
  void theQueriesThatFoundNothingInPostgresqlFindThePhone(String query) {
    var response = search(query, "");
    assertThat(response.header("ordo-search-engine")).isEqualTo("lucene");
    assertThat(response.header("ordo-consistent")).isEqualTo("true");
    assertThat(ids(response)).as(query).contains(phone);
  }

  @Test
  void thePhoneComesBeforeItsCaseAndTheMatchIsHighlighted() {
    var response = search("갤럭시", "");
    assertThat(ids(response)).startsWith(phone).contains(phoneCase);
    assertThat(response.json().get("items").get(0).get("highlightedName").asString())
        .isEqualTo("삼성 <em>갤럭시</em> S25 스마트폰");
    assertThat(response.json().get("corrected").asBoolean()).isFalse();
    assertThat(search("겔럭시", "").json().get("corrected").asBoolean()).isTrue();
  }

  @Test
  void facetsCountEveryMatchAndFiltersNarrowToACategorySubtreeAndPrices() {
    JsonNode all = search("삼성", "&size=1").json();
    assertThat(all.get("total").asLong()).isEqualTo(2);
    assertThat(all.get("items")).hasSize(1);
    List<String> paths = new ArrayList<>();
    all.get("facets").get("categories").forEach(c -> paths.add(c.get("categoryPath").asString()));
    assertThat(paths).containsExactlyInAnyOrder("전자제품 > 모바일", "전자제품 > 컴퓨터");
    assertThat(ids(search("삼성", "&categoryId=" + mobile))).containsExactly(phone);
    assertThat(ids(search("삼성", "&categoryId=" + electronics))).containsExactlyInAnyOrder(phone, laptop);
    assertThat(ids(search("갤럭시", "&maxPrice=100000"))).containsExactly(phoneCase);
  }

  @Test
  void pagesFollowOneAnotherByCursor() {
    JsonNode first = search("갤럭시", "&sort=price_asc&size=2").json();
    String cursor = first.get("nextCursor").asString();
    JsonNode second = search("갤럭시", "&sort=price_asc&size=2&cursor=" + cursor).json();
    List<String> seen = new ArrayList<>();
    first.get("items").forEach(i -> seen.add(i.get("id").asString()));
    second.get("items").forEach(i -> seen.add(i.get("id").asString()));
    assertThat(seen).containsExactly(phoneCase, phone, laptop);
    assertThat(second.get("nextCursor").isNull()).isTrue();
  }

  @Test
  void suggestionsCompleteASyllableBeingTyped() {
    var response = app.send("GET", "/api/v1/products/suggest?q=" + URLEncoder.encode("갤러", StandardCharsets.UTF_8),
        null);
    assertThat(response.header("ordo-search-engine")).isEqualTo("lucene");
    List<String> products = new ArrayList<>();
    response.json().get("suggestions").forEach(s -> products.add(s.path("productId").asString("")));
    assertThat(products).contains(phone, phoneCase, laptop);
  }

  @Test
  void relatedProductsShareWords() {
    var response = app.get("/api/v1/products/" + phone + "/related");
    assertThat(ids(response)).contains(phoneCase).doesNotContain(phone);
    var unknown = app.get("/api/v1/products/no-such-product/related");
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.header("content-type")).startsWith("application/problem+json");
    var detail = app.get("/api/v1/products/" + phone + "?include=related");
    assertThat(detail.status()).as(detail.body()).isEqualTo(200);
    assertThat(detail.json().get("name").asString()).isEqualTo("삼성 갤럭시 S25 스마트폰");
    List<String> related = new ArrayList<>();
    detail.json().get("related").forEach(item -> related.add(item.get("id").asString()));
    assertThat(related).contains(phoneCase).doesNotContain(phone);
    assertThat(detail.header("etag")).isNull();
    assertThat(app.get("/api/v1/products/" + phone).json().has("related")).isFalse();
  }

  @Test
  void withTheIndexClosedSearchAnswersFromPostgresqlAndSaysSoThenReturnsByItself() {
    Searches searches = app.bean(Searches.class);
    searches.stop();
    try {
      var fallback = search("갤럭시", "");
      assertThat(fallback.header("ordo-search-engine")).isEqualTo("postgres");
      assertThat(ids(fallback)).contains(phone);
      assertThat(app.get("/actuator/prometheus").body()).as("counted")
          .containsPattern("ordo_search_fallback_total\\{index=\"product_search\"} [1-9]");
      assertThat(app.get("/actuator/health").json().get("components").get("search").get("details")
          .get("product_search").get("available").asBoolean()).isFalse();
    } finally {
      searches.start();
    }
    RunningApp.eventually(Duration.ofSeconds(30), () ->
        assertThat(search("갤럭시", "").header("ordo-search-engine")).isEqualTo("lucene"));
  }

  @Test
  void aRebuildBuildsBesideTheServingIndexAndTakesOver() {
    var listed = app.get("/api/v1/projections/product_search").json();
    assertThat(listed.get("kind").asString()).isEqualTo("search");
    var rebuild = app.send("POST", "/api/v1/projections/product_search/rebuild", null);
    assertThat(rebuild.status()).as(rebuild.body()).isEqualTo(202);
    int generation = rebuild.json().get("generation").asInt();
    RunningApp.eventually(Duration.ofSeconds(30), () ->
        assertThat(app.get("/actuator/health").json().get("components").get("search").get("details")
            .get("product_search").get("serving").asInt()).isEqualTo(generation));
    assertThat(ids(search("핸드폰", ""))).contains(phone);
  }
}
