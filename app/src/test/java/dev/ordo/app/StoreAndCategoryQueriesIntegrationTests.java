package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.test.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The {@code Location} of a created store or category answers: API.md "Catalog → Queries". */
class StoreAndCategoryQueriesIntegrationTests {

  private static RunningApp app;

  @BeforeAll
  static void start() {
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase());
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  /** GET the location a command answered, once the read side has applied the last command. */
  private static RunningApp.Response follow(String location, RunningApp.Response after) {
    var response = app.send("GET", location, null, "Ordo-Min-Position", after.header("ordo-position"));
    assertThat(response.status()).as(location + " " + response.body()).isEqualTo(200);
    assertThat(response.header("ordo-consistent")).isEqualTo("true");
    return response;
  }

  private static void assertNotFound(RunningApp.Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(404);
    assertThat(response.header("content-type")).startsWith("application/problem+json");
    assertThat(response.json().get("type").asString()).endsWith("/not-found");
  }

  private static List<String> names(JsonNode nodes) {
    List<String> names = new ArrayList<>();
    nodes.forEach(node -> names.add(node.get("name").asString()));
    return names;
  }

  @Test
  void aCreatedStoreIsAtItsLocationWithItsNameAndProductCount() {
    var created = app.send("POST", "/api/v1/stores", "{\"name\":\"Location Mart\"}");
    String id = created.createdId();
    assertThat(created.header("location")).isEqualTo("/api/v1/stores/" + id);
    var store = follow(created.header("location"), created).json();
    assertThat(store.get("id").asString()).isEqualTo(id);
    assertThat(store.get("name").asString()).isEqualTo("Location Mart");
    assertThat(store.get("productCount").asLong()).isZero();

    String category = app.send("POST", "/api/v1/categories", "{\"name\":\"잡화\"}").createdId();
    List<String> products = new ArrayList<>();
    for (String name : List.of("Cup", "Plate")) {
      products.add(app.send("POST", "/api/v1/products", """
          {"storeId":"%s","categoryId":"%s","name":"%s","price":1000,"stockQuantity":1}"""
          .formatted(id, category, name)).createdId());
    }
    app.send("DELETE", "/api/v1/products/" + products.get(0), "{}");
    var renamed = app.send("POST", "/api/v1/stores/" + id + "/rename", "{\"name\":\"Renamed Mart\"}");
    assertThat(renamed.status()).as(renamed.body()).isEqualTo(200);
    store = follow("/api/v1/stores/" + id, renamed).json();
    assertThat(store.get("name").asString()).isEqualTo("Renamed Mart");
    assertThat(store.get("productCount").asLong()).as("a deleted product is not counted").isEqualTo(1);

    assertNotFound(app.get("/api/v1/stores/" + UUID.randomUUID()));
    assertNotFound(app.get("/api/v1/stores/not-a-uuid"));
  }

  @Test
  void categoriesAnswerAsATreeAndOneByOneWithPathParentAndChildren() {
    var home = app.send("POST", "/api/v1/categories", "{\"name\":\"가정\"}");
    String homeId = home.createdId();
    String kitchen = app.send("POST", "/api/v1/categories", "{\"name\":\"주방\",\"parentId\":\"" + homeId + "\"}")
        .createdId();
    String bath = app.send("POST", "/api/v1/categories", "{\"name\":\"욕실\",\"parentId\":\"" + homeId + "\"}")
        .createdId();
    var knives = app.send("POST", "/api/v1/categories", "{\"name\":\"칼\",\"parentId\":\"" + kitchen + "\"}");
    String knivesId = knives.createdId();
    assertThat(knives.header("location")).isEqualTo("/api/v1/categories/" + knivesId);

    var one = follow("/api/v1/categories/" + kitchen, knives).json();
    assertThat(one.get("name").asString()).isEqualTo("주방");
    assertThat(one.get("path").asString()).isEqualTo("가정 > 주방");
    assertThat(one.get("depth").asInt()).isEqualTo(2);
    assertThat(one.get("parent").get("id").asString()).isEqualTo(homeId);
    assertThat(one.get("parent").get("name").asString()).isEqualTo("가정");
    assertThat(names(one.get("children"))).containsExactly("칼");
    assertThat(one.get("children").get(0).get("path").asString()).isEqualTo("가정 > 주방 > 칼");

    var root = follow(home.header("location"), knives).json();
    assertThat(root.get("parent").isNull()).isTrue();
    assertThat(names(root.get("children"))).containsExactly("욕실", "주방");
    assertThat(names(root.get("children").get(1).get("children"))).containsExactly("칼");

    var leaf = follow(knives.header("location"), knives).json();
    assertThat(leaf.get("children").isEmpty()).isTrue();
    assertThat(leaf.get("parent").get("name").asString()).isEqualTo("주방");

    var tree = follow("/api/v1/categories", knives).json().get("categories");
    JsonNode homeNode = null;
    for (JsonNode node : tree) {
      assertThat(node.get("parentId").isNull()).as("only roots at the top").isTrue();
      if (node.get("id").asString().equals(homeId)) {
        homeNode = node;
      }
    }
    assertThat(homeNode).isNotNull();
    assertThat(names(homeNode.get("children"))).containsExactly("욕실", "주방");
    assertThat(homeNode.get("children").get(0).get("id").asString()).isEqualTo(bath);
    assertThat(homeNode.get("children").get(1).get("children").get(0).get("id").asString()).isEqualTo(knivesId);

    assertNotFound(app.get("/api/v1/categories/" + UUID.randomUUID()));
    assertNotFound(app.get("/api/v1/categories/not-a-uuid"));
  }
}
