package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.test.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Seed 003 §4's fallback: with the read database down, a product's detail is folded from the
 * write side ({@code Ordo-Source: write-model}); other queries answer 503 with Retry-After;
 * nothing hangs; commands go on; once it is back, the read side catches up by itself.
 */
class ReadDatabaseOutageIntegrationTests {

  @TempDir
  Path pgData;

  @Test
  void detailFallsBackToTheWriteModelOtherQueriesAnswer503AndTheReadSideRecovers() throws Exception {
    EmbeddedPostgres read = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).start();
    int port = read.getPort();
    String readUrl = read.getJdbcUrl("postgres", "postgres");
    try (RunningApp app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.read.db.url=" + readUrl)) {
      String store = app.send("POST", "/api/v1/stores", "{\"name\":\"Fallback Mart\"}").json().get("id").asString();
      String category = app.send("POST", "/api/v1/categories", "{\"name\":\"가구\"}").json().get("id").asString();
      var registered = app.send("POST", "/api/v1/products", """
          {"storeId":"%s","categoryId":"%s","name":"Chair","price":30000,"stockQuantity":4}""".formatted(store, category));
      String id = registered.json().get("id").asString();
      var fromRead = app.send("GET", "/api/v1/products/" + id, null, "Ordo-Min-Position", registered.header("ordo-position"));
      assertThat(fromRead.header("ordo-source")).isNull();

      read.close();

      var changed = app.send("PUT", "/api/v1/products/" + id + "/price", "{\"price\":25000}");
      assertThat(changed.status()).as("commands do not need the read side").isEqualTo(200);
      long start = System.nanoTime();
      // until the outage is noticed (a failed batch, the runner's lost lock session) the detail may
      // still come from the cache, as the read model last stood; then from the write model
      var detail = app.get("/api/v1/products/" + id);
      while (detail.header("ordo-source") == null && System.nanoTime() - start < Duration.ofSeconds(5).toNanos()) {
        assertThat(detail.status()).as(detail.body()).isEqualTo(200);
        assertThat(detail.json().get("price").asLong()).as("the read model as it last stood").isEqualTo(30_000);
        Thread.sleep(50);
        detail = app.get("/api/v1/products/" + id);
      }
      assertThat(detail.status()).as(detail.body()).isEqualTo(200);
      assertThat(detail.header("ordo-source")).isEqualTo("write-model");
      assertThat(detail.header("etag")).isEqualTo("\"2\"");
      assertThat(detail.json().get("price").asLong()).isEqualTo(25_000);
      assertThat(detail.json().get("storeName").asString()).isEqualTo("Fallback Mart");
      assertThat(detail.json().get("categoryPath").asString()).isEqualTo("가구");
      var list = app.get("/api/v1/products");
      assertThat(list.status()).isEqualTo(503);
      assertThat(list.header("retry-after")).isNotBlank();
      assertThat(list.header("content-type")).startsWith("application/problem+json");
      assertThat(app.get("/api/v1/products/search?q=chair").status()).isEqualTo(503);
      for (String path : new String[] {"/api/v1/stores/" + store, "/api/v1/categories", "/api/v1/categories/" + category}) {
        var down = app.get(path);
        assertThat(down.status()).as(path).isEqualTo(503);
        assertThat(down.header("retry-after")).isNotBlank();
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("nothing hangs").isLessThan(Duration.ofSeconds(15));
      assertThat(app.get("/actuator/health").status()).isEqualTo(503);

      read = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(port).start();

      var back = app.send("GET", "/api/v1/products/" + id, null, "Ordo-Min-Position", changed.header("ordo-position"));
      for (int i = 0; i < 50 && (back.status() != 200 || back.header("ordo-source") != null
          || !"true".equals(back.header("ordo-consistent"))); i++) {
        Thread.sleep(200);
        back = app.send("GET", "/api/v1/products/" + id, null, "Ordo-Min-Position", changed.header("ordo-position"));
      }
      assertThat(back.header("ordo-source")).as("answered by the read side again").isNull();
      assertThat(back.header("ordo-consistent")).isEqualTo("true");
      assertThat(back.json().get("price").asLong()).isEqualTo(25_000);
    } finally {
      read.close();
    }
  }
}
