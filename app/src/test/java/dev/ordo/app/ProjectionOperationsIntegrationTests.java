package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.test.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An event the read models cannot apply, over HTTP: parked as a dead letter, the projections stop
 * there and health goes DOWN; retrying fails while it still fails; skipping lets them go on.
 */
class ProjectionOperationsIntegrationTests {

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static JsonNode projection(RunningApp app, String name) {
    return app.get("/api/v1/projections/" + name).json();
  }

  @Test
  void anUnreadableEventIsParkedStopsTheReadModelsAndIsSkippedOverHttp() throws Exception {
    try (RunningApp app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase())) {
      String store = app.send("POST", "/api/v1/stores", "{\"name\":\"Dead Letter Mart\"}").createdId();
      String category = app.send("POST", "/api/v1/categories", "{\"name\":\"가전\"}").createdId();
      String bad = UUID.randomUUID().toString();
      try (Connection connection = app.bean(DataSource.class).getConnection();
          Statement insert = connection.createStatement()) {
        // written by a buggy producer: images is not a list
        insert.execute("""
            INSERT INTO events (stream_id, stream_version, stream_type, event_id, event_type, schema_version, data, metadata)
            VALUES ('%s', 1, 'product', gen_random_uuid(), 'ProductRegistered', 2,
                    '{"productId":"%s","storeId":"%s","categoryId":"%s","name":"Broken","price":1,
                      "stockQuantity":1,"images":"not a list"}', '{}')""".formatted(bad, bad, store, category));
      }
      var after = app.send("POST", "/api/v1/products", """
          {"storeId":"%s","categoryId":"%s","name":"After","price":100,"stockQuantity":1}""".formatted(store, category));
      String product = after.createdId();

      await("product_read to halt", () -> projection(app, "product_read").get("active").get("state").asString()
          .equals("HALTED"));
      assertThat(projection(app, "product_read").get("deadLetters").asLong()).isEqualTo(1);
      assertThat(projection(app, "product_read").get("active").get("lagEvents").asLong()).isPositive();
      var health = app.get("/actuator/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().get("components").get("projections").get("status").asString()).isEqualTo("DOWN");
      assertThat(app.get("/api/v1/products/" + product).status()).as("stopped before it").isEqualTo(404);

      JsonNode letter = app.get("/api/v1/projections/product_read/dead-letters").json().get("deadLetters").get(0);
      assertThat(letter.get("streamId").asString()).isEqualTo(bad);
      assertThat(letter.get("eventType").asString()).isEqualTo("ProductRegistered");
      assertThat(letter.get("state").asString()).isEqualTo("PARKED");
      assertThat(letter.get("blocking").asBoolean()).isTrue();
      assertThat(letter.get("attempts").asInt()).isEqualTo(5);
      long id = letter.get("id").asLong();

      var retry = app.send("POST", "/api/v1/projections/product_read/dead-letters/" + id + "/retry", null);
      assertThat(retry.status()).as(retry.body()).isEqualTo(409);
      assertThat(retry.header("content-type")).startsWith("application/problem+json");

      for (String name : new String[] {"product_read", "product_history"}) {
        await(name + " to park it", () -> app.get("/api/v1/projections/" + name + "/dead-letters").json()
            .get("deadLetters").size() == 1);
        long parked = app.get("/api/v1/projections/" + name + "/dead-letters").json().get("deadLetters").get(0)
            .get("id").asLong();
        var skipped = app.send("POST", "/api/v1/projections/" + name + "/dead-letters/" + parked + "/skip", null);
        assertThat(skipped.status()).as(skipped.body()).isEqualTo(200);
        assertThat(skipped.json().get("state").asString()).isEqualTo("SKIPPED");
      }

      var visible = app.send("GET", "/api/v1/products/" + product, null, "Ordo-Min-Position",
          after.header("ordo-position"));
      assertThat(visible.status()).isEqualTo(200);
      assertThat(visible.header("ordo-consistent")).isEqualTo("true");
      assertThat(app.get("/api/v1/products/" + bad).status()).as("the skipped event left no row").isEqualTo(404);
      await("health to come back", () -> app.get("/actuator/health").status() == 200);
      assertThat(projection(app, "product_read").get("active").get("state").asString()).isEqualTo("RUNNING");
      assertThat(projection(app, "product_read").get("deadLetters").asLong()).isZero();
    }
  }
}
