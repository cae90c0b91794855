package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.ordering.Ids;
import dev.ordo.test.TestPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Seed 003 §4 for ordering: with the read database down, an order's status, a dispatch's status
 * and a delivery's location are answered from the write side ({@code Ordo-Source: write-model});
 * every other order query answers 503 with Retry-After; once it is back, the read side catches up.
 */
class OrderingReadDatabaseOutageIntegrationTests {

  @TempDir
  Path pgData;

  @Test
  void criticalQueriesFallBackToTheWriteModelOthersAnswer503AndTheReadSideRecovers() throws Exception {
    EmbeddedPostgres read = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).start();
    int port = read.getPort();
    String readUrl = read.getJdbcUrl("postgres", "postgres");
    try (RunningApp app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.read.db.url=" + readUrl, "ordo.processes.enabled=false")) { // the test is the process
      OrderDriver orders = new OrderDriver(app, "Outage Mart");
      String product = orders.product("Lamp", 12_000);
      String id = orders.place("outage-user", Map.of(product, 2), false);
      String deliveryId = orders.paidAndOnItsWay(id, "rider-9", List.of(new double[] {37.1, 127.1},
          new double[] {37.2, 127.2}), product);
      String dispatchId = Ids.dispatch(id);
      assertThat(orders.read("/api/v1/orders/" + id).header("ordo-source")).isNull();

      read.close();

      assertThat(orders.locate(deliveryId, 37.3, 127.3).status()).as("commands do not need the read side")
          .isEqualTo(200);
      long start = System.nanoTime();
      var order = app.get("/api/v1/orders/" + id);
      assertThat(order.status()).as(order.body()).isEqualTo(200);
      assertThat(order.header("ordo-source")).isEqualTo("write-model");
      assertThat(order.header("etag")).isEqualTo("\"6\"");
      JsonNode view = order.json();
      assertThat(view.get("status").asString()).isEqualTo("SHIPPED");
      assertThat(view.get("paymentStatus").asString()).isEqualTo("PAID");
      assertThat(view.get("paymentMethod").asString()).isEqualTo("CARD");
      assertThat(view.get("totalAmount").asLong()).isEqualTo(24_000);
      assertThat(view.get("items").get(0).get("productName").asString()).isEqualTo("Lamp");
      assertThat(view.get("dispatch").get("status").asString()).isEqualTo("PICKED_UP");
      assertThat(view.get("delivery").get("lastLocation").get("lat").asDouble()).isEqualTo(37.3);

      var dispatch = app.get("/api/v1/dispatches/" + dispatchId);
      assertThat(dispatch.status()).as(dispatch.body()).isEqualTo(200);
      assertThat(dispatch.header("ordo-source")).isEqualTo("write-model");
      assertThat(dispatch.header("etag")).isEqualTo("\"4\"");
      assertThat(dispatch.json().get("riderId").asString()).isEqualTo("rider-9");
      assertThat(dispatch.json().get("orderId").asString()).isEqualTo(id);

      var delivery = app.get("/api/v1/deliveries/" + deliveryId);
      assertThat(delivery.status()).as(delivery.body()).isEqualTo(200);
      assertThat(delivery.header("ordo-source")).isEqualTo("write-model");
      assertThat(delivery.header("etag")).isEqualTo("\"4\"");
      assertThat(delivery.json().get("status").asString()).isEqualTo("IN_TRANSIT");
      assertThat(delivery.json().get("lastLocation").get("lat").asDouble()).isEqualTo(37.3);
      assertThat(delivery.json().get("lastLocation").get("lon").asDouble()).isEqualTo(127.3);
      assertThat(delivery.json().get("lastLocation").get("at").asString()).isNotBlank();
      assertThat(orders.complete(deliveryId).status()).isEqualTo(200);
      var completed = app.get("/api/v1/deliveries/" + deliveryId).json();
      assertThat(completed.get("status").asString()).isEqualTo("COMPLETED");
      assertThat(completed.get("lastLocation").get("lat").asDouble()).as("the location before the completion")
          .isEqualTo(37.3);

      assertThat(app.get("/api/v1/orders/" + UUID.randomUUID()).status()).as("unknown on the write side too")
          .isEqualTo(404);
      String metrics = app.get("/actuator/prometheus").body();
      for (String aggregate : new String[] {"order", "dispatch", "delivery"}) {
        assertThat(metrics).as("answers from the write model, counted").containsPattern(
            "ordo_fallback_requests_total\\{aggregate=\"" + aggregate + "\",outcome=\"write-model\"} [1-9]");
      }
      for (String path : new String[] {"/api/v1/orders?userId=outage-user", "/api/v1/orders/search?q=lamp",
          "/api/v1/orders/" + id + "/history", "/api/v1/dashboard"}) {
        var down = app.get(path);
        assertThat(down.status()).as(path + " " + down.body()).isEqualTo(503);
        assertThat(down.header("retry-after")).isNotBlank();
        assertThat(down.header("content-type")).startsWith("application/problem+json");
      }
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("nothing hangs").isLessThan(Duration.ofSeconds(30));

      read = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(port).start();

      var back = app.send("GET", "/api/v1/deliveries/" + deliveryId, null, "Ordo-Min-Position",
          Long.toString(orders.position()));
      for (int i = 0; i < 50 && (back.status() != 200 || back.header("ordo-source") != null
          || !"true".equals(back.header("ordo-consistent"))); i++) {
        Thread.sleep(200);
        back = app.send("GET", "/api/v1/deliveries/" + deliveryId, null, "Ordo-Min-Position",
            Long.toString(orders.position()));
      }
      assertThat(back.header("ordo-source")).as("answered by the read side again").isNull();
      assertThat(back.json().get("status").asString()).isEqualTo("COMPLETED");
      assertThat(back.json().get("lastLocation").get("lat").asDouble()).isEqualTo(37.3);
      var history = orders.read("/api/v1/orders/" + id + "/history?size=100");
      assertThat(history.json().get("events").size()).as("every event, those of the outage too (position pings aside)")
          .isEqualTo(12);
    } finally {
      read.close();
    }
  }
}
