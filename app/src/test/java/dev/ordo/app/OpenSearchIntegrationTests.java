package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.search.node.LocalOpenSearch;
import dev.ordo.test.TestPostgres;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The app with {@code ordo.search.url}: product search answered by OpenSearch (a real node in a
 * child JVM), from PostgreSQL while the node is down, and by OpenSearch again once it is back,
 * without anyone telling the app.
 */
class OpenSearchIntegrationTests {

  @TempDir
  static Path data;

  private static LocalOpenSearch node;
  private static RunningApp app;
  private static String phone;
  private static RunningApp.Response last;

  @BeforeAll
  static void start() {
    long started = System.nanoTime();
    node = LocalOpenSearch.start(data.resolve("opensearch"));
    System.out.printf("OpenSearch node green in %d ms%n", Duration.ofNanos(System.nanoTime() - started).toMillis());
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(), "ordo.search.url=" + node.url());
    String category = app.send("POST", "/api/v1/categories", "{\"name\":\"모바일\"}").createdId();
    String store = app.send("POST", "/api/v1/stores", "{\"name\":\"삼성전자 공식스토어\"}").createdId();
    last = app.send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"삼성 갤럭시 S25 스마트폰","price":1250000,"stockQuantity":10,"tags":[]}"""
        .formatted(store, category), "X-User-Id", "seller-1");
    phone = last.createdId();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
    if (node != null) {
      node.close();
    }
  }

  private static RunningApp.Response search(String query) {
    var response = app.send("GET", "/api/v1/products/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8),
        null, "Ordo-Min-Position", last.header("ordo-position"));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response;
  }

  private static JsonNode health() {
    return app.get("/actuator/health").json().get("components").get("search").get("details").get("product_search");
  }

  private static boolean found(RunningApp.Response response) {
    for (JsonNode item : response.json().get("items")) {
      if (item.get("id").asString().equals(phone)) {
        return true;
      }
    }
    return false;
  }

  @Test
  void searchAnswersFromOpenSearchFromPostgresqlWhileItIsDownAndFromOpenSearchAgainOnceItIsBack() {
    RunningApp.eventually(Duration.ofSeconds(60), () -> assertThat(search("핸드폰").header("ordo-search-engine"))
        .isEqualTo("opensearch"));
    var answered = search("핸드폰");
    assertThat(found(answered)).isTrue();
    assertThat(answered.json().get("items").get(0).get("highlightedName").asString())
        .isEqualTo("삼성 갤럭시 S25 <em>스마트폰</em>");
    assertThat(health().get("engine").asString()).isEqualTo("opensearch");
    assertThat(health().get("answers").asBoolean()).isTrue();

    node.stop();
    for (int i = 0; i < 3; i++) {
      var fallback = search("갤럭시");
      assertThat(fallback.header("ordo-search-engine")).isEqualTo("postgres");
      assertThat(found(fallback)).isTrue();
    }
    assertThat(health().get("answers").asBoolean()).isFalse();
    assertThat(health().get("available").asBoolean()).isFalse();

    // an app started meanwhile starts all the same and answers from PostgreSQL until the node is back
    RunningApp another = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.search.url=" + node.url());
    try {
      var meanwhile = another.get("/api/v1/products/search?q=" + URLEncoder.encode("폰", StandardCharsets.UTF_8));
      assertThat(meanwhile.status()).as(meanwhile.body()).isEqualTo(200);
      assertThat(meanwhile.header("ordo-search-engine")).isEqualTo("postgres");

      long restarted = System.nanoTime();
      node.restart();
      System.out.printf("OpenSearch node green again in %d ms%n",
          Duration.ofNanos(System.nanoTime() - restarted).toMillis());
      RunningApp.eventually(Duration.ofSeconds(60), () -> {
        var back = search("핸드폰");
        assertThat(back.header("ordo-search-engine")).isEqualTo("opensearch");
        assertThat(found(back)).isTrue();
      });
      assertThat(health().get("answers").asBoolean()).isTrue();
      RunningApp.eventually(Duration.ofSeconds(60), () -> assertThat(another.get("/api/v1/products/search?q="
          + URLEncoder.encode("폰", StandardCharsets.UTF_8)).header("ordo-search-engine")).isEqualTo("opensearch"));
    } finally {
      another.close();
    }
  }

}
