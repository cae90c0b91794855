package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.catalog.product.Product;
import dev.ordo.command.Aggregates;
import dev.ordo.ordering.Ids;
import dev.ordo.ordering.order.Order;
import dev.ordo.ordering.order.OrderStatus;
import dev.ordo.test.TestPostgres;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * An order from placing to delivery over HTTP, with the fulfilment process and the catalog's stock
 * reservation running as they do in the app: issue "Ordering", deliverables 1, 2 and 4.
 */
class OrderingFlowIntegrationTests {

  private static RunningApp app;
  private static String store;
  private static String category;

  @BeforeAll
  static void start() {
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase());
    store = app.send("POST", "/api/v1/stores", "{\"name\":\"Flow Mart\"}").createdId();
    category = app.send("POST", "/api/v1/categories", "{\"name\":\"전자제품\"}").createdId();
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  static String newProduct(RunningApp app, String store, String category, String name, long price, long stock) {
    return app.send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"%s","price":%d,"stockQuantity":%d}"""
        .formatted(store, category, name, price, stock)).createdId();
  }

  static String orderBody(String user, boolean express, Object... productsAndQuantities) {
    var items = new StringBuilder();
    for (int i = 0; i < productsAndQuantities.length; i += 2) {
      items.append(i == 0 ? "" : ",").append("{\"productId\":\"%s\",\"quantity\":%d}"
          .formatted(productsAndQuantities[i], productsAndQuantities[i + 1]));
    }
    return """
        {"userId":"%s","items":[%s],"shippingAddress":{"recipient":"김철수","phone":"010-1234-5678",
         "address":"서울시 강남구 테헤란로 1","zipCode":"06236","express":%s}}""".formatted(user, items, express);
  }

  @SuppressWarnings("unchecked")
  static Order order(RunningApp app, String id) {
    return ((Aggregates<?, Order, ?>) app.context.getBean("orders", Aggregates.class)).load(id).state();
  }

  @SuppressWarnings("unchecked")
  static Product product(RunningApp app, String id) {
    return ((Aggregates<?, Product, ?>) app.context.getBean("products", Aggregates.class)).load(id).state();
  }

  static void await(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waited for " + what).isLessThan(deadline);
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  static void awaitStatus(RunningApp app, String orderId, OrderStatus status) {
    await("order " + orderId + " " + status, () -> order(app, orderId).status() == status);
  }

  private static RunningApp.Response post(String path, String body) {
    var response = app.send("POST", path, body);
    assertThat(response.status()).as(path + " " + response.body()).isEqualTo(200);
    return response;
  }

  @Test
  void anOrderGoesFromPlacedToDeliveredAndEveryStepIsAnEvent() {
    String phone = newProduct(app, store, category, "갤럭시 S25", 1_200_000, 5);
    String cover = newProduct(app, store, category, "갤럭시 케이스", 15_000, 10);

    var placed = app.send("POST", "/api/v1/orders", orderBody("alice", true, phone, 1, cover, 2));
    String id = placed.createdId();
    assertThat(placed.header("location")).isEqualTo("/api/v1/orders/" + id);
    awaitStatus(app, id, OrderStatus.RESERVED);
    Order reserved = order(app, id);
    assertThat(reserved.total()).as("the catalog's prices, exact").isEqualTo(1_200_000 + 2 * 15_000);
    assertThat(product(app, phone).stock()).isEqualTo(4);
    assertThat(product(app, cover).stock()).isEqualTo(8);

    post("/api/v1/orders/" + id + "/approve", "{}");
    post("/api/v1/orders/" + id + "/pay", "{\"method\":\"CARD\"}");
    String dispatch = Ids.dispatch(id);
    await("dispatch opened", () -> app.get("/api/v1/streams/" + dispatch).status() == 200);
    post("/api/v1/dispatches/" + dispatch + "/assign", "{\"riderId\":\"rider-1\"}");
    post("/api/v1/dispatches/" + dispatch + "/decline", "{\"reason\":\"too far\"}");
    post("/api/v1/dispatches/" + dispatch + "/assign", "{\"riderId\":\"rider-2\"}");
    post("/api/v1/dispatches/" + dispatch + "/accept", "{}");
    post("/api/v1/dispatches/" + dispatch + "/pickup", "{}");
    awaitStatus(app, id, OrderStatus.SHIPPED);
    String delivery = Ids.delivery(id);
    await("delivery started", () -> app.get("/api/v1/streams/" + delivery).status() == 200);
    post("/api/v1/deliveries/" + delivery + "/location", "{\"lat\":37.5665,\"lon\":126.978}");
    post("/api/v1/deliveries/" + delivery + "/location", "{\"lat\":37.5700,\"lon\":126.982}");
    post("/api/v1/deliveries/" + delivery + "/complete", "{}");
    awaitStatus(app, id, OrderStatus.DELIVERED);

    List<String> types = types("/api/v1/streams/" + id);
    assertThat(types).containsExactly("OrderPlaced", "ItemReserved", "ItemReserved", "OrderReserved", "OrderApproved",
        "OrderPaid", "OrderShipped", "OrderDelivered");
    assertThat(types("/api/v1/streams/" + dispatch)).containsExactly("DispatchOpened", "RiderAssigned",
        "DispatchDeclined", "RiderAssigned", "DispatchAccepted", "DispatchPickedUp");
    assertThat(types("/api/v1/streams/" + delivery)).containsExactly("DeliveryStarted", "LocationUpdated",
        "LocationUpdated", "DeliveryCompleted");
    assertThat(product(app, phone).stock()).as("sold, not given back").isEqualTo(4);
  }

  @Test
  void aPaidOrderCancelledIsRefundedItsStockGivenBackAndItsDispatchCancelled() {
    String product = newProduct(app, store, category, "노트북", 2_000_000, 3);
    String id = app.send("POST", "/api/v1/orders", orderBody("bob", false, product, 2)).createdId();
    awaitStatus(app, id, OrderStatus.RESERVED);
    post("/api/v1/orders/" + id + "/approve", "{}");
    post("/api/v1/orders/" + id + "/pay", "{\"method\":\"BANK_TRANSFER\"}");
    await("dispatch opened", () -> app.get("/api/v1/streams/" + Ids.dispatch(id)).status() == 200);
    assertThat(product(app, product).stock()).isEqualTo(1);

    post("/api/v1/orders/" + id + "/cancel", "{\"reason\":\"changed my mind\"}");
    await("stock given back", () -> product(app, product).stock() == 3);
    await("dispatch cancelled", () -> types("/api/v1/streams/" + Ids.dispatch(id)).contains("DispatchCancelled"));
    assertThat(types("/api/v1/streams/" + id)).endsWith("OrderCancelled", "OrderRefunded");
    JsonNode events = app.get("/api/v1/streams/" + id).json().get("events");
    JsonNode refund = events.get(events.size() - 1).get("data");
    assertThat(refund.get("amount").asLong()).isEqualTo(4_000_000);
    assertThat(refund.get("method").asString()).isEqualTo("BANK_TRANSFER");
    var again = app.send("POST", "/api/v1/orders/" + id + "/cancel", "{}");
    assertThat(again.status()).isEqualTo(422);
    assertThat(again.json().get("rule").asString()).isEqualTo("order-closed");
  }

  @Test
  void anOrderWithOneItemShortIsRejectedWithItsReasonAndGivesBackWhatWasReserved() {
    String plenty = newProduct(app, store, category, "충전기", 20_000, 10);
    String scarce = newProduct(app, store, category, "한정판 이어폰", 300_000, 1);
    String id = app.send("POST", "/api/v1/orders", orderBody("carol", false, plenty, 3, scarce, 2)).createdId();
    awaitStatus(app, id, OrderStatus.REJECTED);
    JsonNode events = app.get("/api/v1/streams/" + id).json().get("events");
    JsonNode rejected = events.get(events.size() - 1).get("data");
    assertThat(rejected.get("reason").asString()).isEqualTo("insufficient-stock");
    assertThat(rejected.get("productId").asString()).isEqualTo(scarce);
    await("the reserved item given back", () -> product(app, plenty).stock() == 10);
    assertThat(product(app, scarce).stock()).isEqualTo(1);
  }

  @Test
  void pricesComeFromTheCatalogAndBrokenRulesAre422() {
    String product = newProduct(app, store, category, "모니터", 300_000, 5);
    var priced = app.send("POST", "/api/v1/orders",
        orderBody("dave", false, product, 1).replace("\"quantity\":1", "\"quantity\":1,\"unitPrice\":1"));
    assertThat(priced.status()).as("a client cannot name a price").isEqualTo(400);

    var unknown = app.send("POST", "/api/v1/orders", orderBody("dave", false, "no-such-product", 1));
    assertThat(unknown.status()).isEqualTo(422);
    assertThat(unknown.json().get("rule").asString()).isEqualTo("unknown-product");

    String hidden = newProduct(app, store, category, "숨긴 상품", 1_000, 5);
    post("/api/v1/products/" + hidden + "/hide", "{}");
    var notAvailable = app.send("POST", "/api/v1/orders", orderBody("dave", false, hidden, 1),
        "Ordo-Min-Position", "0");
    await("the hide reaches ordering", () -> app.send("POST", "/api/v1/orders", orderBody("dave", false, hidden, 1))
        .status() == 422);
    var refused = app.send("POST", "/api/v1/orders", orderBody("dave", false, hidden, 1));
    assertThat(refused.json().get("rule").asString()).isEqualTo("product-not-available");
    assertThat(notAvailable.status()).isIn(201, 422);

    String id = app.send("POST", "/api/v1/orders", orderBody("dave", false, product, 1)).createdId();
    var early = app.send("POST", "/api/v1/orders/" + id + "/pay", "{\"method\":\"CARD\"}");
    assertThat(early.status()).isEqualTo(422);
    assertThat(early.json().get("rule").asString()).isEqualTo("order-not-payable");
  }

  @Test
  void aPickUpAfterTheCustomerCancelledIsRefusedAndNoParcelLeaves() {
    String product = newProduct(app, store, category, "태블릿", 800_000, 4);
    String id = app.send("POST", "/api/v1/orders", orderBody("heidi", false, product, 1)).createdId();
    awaitStatus(app, id, OrderStatus.RESERVED);
    post("/api/v1/orders/" + id + "/approve", "{}");
    post("/api/v1/orders/" + id + "/pay", "{\"method\":\"CARD\"}");
    String dispatch = Ids.dispatch(id);
    await("dispatch opened", () -> app.get("/api/v1/streams/" + dispatch).status() == 200);
    post("/api/v1/dispatches/" + dispatch + "/assign", "{\"riderId\":\"rider-1\"}");
    post("/api/v1/dispatches/" + dispatch + "/accept", "{}");

    post("/api/v1/orders/" + id + "/cancel", "{\"reason\":\"changed my mind\"}");
    var pickUp = app.send("POST", "/api/v1/dispatches/" + dispatch + "/pickup", "{}");
    assertThat(pickUp.status()).as(pickUp.body()).isEqualTo(422);
    assertThat(pickUp.json().get("rule").asString()).isIn("order-not-shippable", "dispatch-cancelled");
    await("dispatch cancelled", () -> types("/api/v1/streams/" + dispatch).contains("DispatchCancelled"));
    assertThat(types("/api/v1/streams/" + dispatch)).doesNotContain("DispatchPickedUp");
    assertThat(app.get("/api/v1/streams/" + Ids.delivery(id)).status()).as("no delivery").isEqualTo(404);
    await("stock given back", () -> product(app, product).stock() == 4);
  }

  @Test
  void anOrderShippedByCourierCancelsItsDispatch() {
    String product = newProduct(app, store, category, "프린터", 250_000, 2);
    String id = app.send("POST", "/api/v1/orders", orderBody("ivan", false, product, 1)).createdId();
    awaitStatus(app, id, OrderStatus.RESERVED);
    post("/api/v1/orders/" + id + "/approve", "{}");
    post("/api/v1/orders/" + id + "/pay", "{\"method\":\"CARD\"}");
    post("/api/v1/orders/" + id + "/ship", "{\"trackingNumber\":\"CJ-1234\"}");
    String dispatch = Ids.dispatch(id);
    await("dispatch cancelled", () -> types("/api/v1/streams/" + dispatch).contains("DispatchCancelled"));
    assertThat(product(app, product).stock()).as("sold").isEqualTo(1);
  }

  private static List<String> types(String stream) {
    var response = app.get(stream);
    if (response.status() != 200) {
      return List.of();
    }
    List<String> types = new java.util.ArrayList<>();
    response.json().get("events").forEach(e -> types.add(e.get("type").asString()));
    return types;
  }
}
