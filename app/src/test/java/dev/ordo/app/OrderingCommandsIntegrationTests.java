package dev.ordo.app;

import static dev.ordo.app.OrderingFlowIntegrationTests.await;
import static dev.ordo.app.OrderingFlowIntegrationTests.awaitStatus;
import static dev.ordo.app.OrderingFlowIntegrationTests.newProduct;
import static dev.ordo.app.OrderingFlowIntegrationTests.order;
import static dev.ordo.app.OrderingFlowIntegrationTests.orderBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.ordering.Ids;
import dev.ordo.ordering.order.OrderStatus;
import dev.ordo.spring.query.ReadModels;
import dev.ordo.test.TestPostgres;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Ordering's commands over real HTTP (API.md "Commands — common rules", "Ordering"): every route,
 * every bad input as a 400 naming its field, an unknown aggregate as a 404, every broken rule a
 * client can reach as a 422 with its rule, and If-Match, Idempotency-Key and respond-async on
 * ordering's commands. After every refused command the aggregate's stream is as it was.
 */
class OrderingCommandsIntegrationTests {

  private static final String ADDRESS = """
      {"recipient":"김철수","phone":"010-1234-5678","address":"서울시 강남구 테헤란로 1","zipCode":"06236"}""";

  private static RunningApp app;
  private static String store;
  private static String category;
  /** Enough stock for every order of this class. */
  private static String product;

  // aggregates that only refused commands are sent to, made once when a test first needs them
  private static String approvedOrder;
  private static String paidOrder;
  private static String deliveryOrder;

  @BeforeAll
  static void start() {
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase());
    store = app.send("POST", "/api/v1/stores", "{\"name\":\"Command Mart\"}").createdId();
    category = app.send("POST", "/api/v1/categories", "{\"name\":\"생활용품\"}").createdId();
    product = newProduct(app, store, category, "텀블러", 12_000, 1_000_000);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  // ---- success on every route

  @Test
  void placingAnOrderAnswers201WithLocationETagPositionAndRecordsTheActor() {
    var placed = post("/api/v1/orders", orderBody("success-user", false, product, 2), "X-User-Id", "alice",
        "X-Request-Id", "req-order-1");
    String id = placed.createdId();
    assertSuccess(placed, id, 1);
    assertThat(placed.header("location")).isEqualTo("/api/v1/orders/" + id);

    JsonNode event = app.get("/api/v1/streams/" + id).json().get("events").get(0);
    assertThat(event.get("type").asString()).isEqualTo("OrderPlaced");
    assertThat(event.get("streamType").asString()).isEqualTo("order");
    assertThat(event.get("data").get("totalAmount").asLong()).as("the catalog's price").isEqualTo(24_000);
    assertThat(event.get("metadata").get("actor").asString()).isEqualTo("alice");
    assertThat(event.get("metadata").get("correlationId").asString()).isEqualTo("req-order-1");
  }

  @Test
  void everyOrderDispatchAndDeliveryRouteAnswers200WithIdVersionAndPosition() {
    String order = reservedOrder("route-user");
    long version = version(order);
    assertSuccess(post("/api/v1/orders/" + order + "/approve", null), order, ++version);
    assertSuccess(post("/api/v1/orders/" + order + "/pay", "{\"method\":\"MOBILE\"}"), order, ++version);

    String dispatch = Ids.dispatch(order);
    awaitStream(dispatch);
    assertSuccess(post("/api/v1/dispatches/" + dispatch + "/assign", "{\"riderId\":\"rider-1\"}"), dispatch, 2);
    assertSuccess(post("/api/v1/dispatches/" + dispatch + "/decline", "{\"reason\":\"too far\"}"), dispatch, 3);
    assertSuccess(post("/api/v1/dispatches/" + dispatch + "/assign", "{\"riderId\":\"rider-2\"}"), dispatch, 4);
    assertSuccess(post("/api/v1/dispatches/" + dispatch + "/accept", null), dispatch, 5);
    assertSuccess(post("/api/v1/dispatches/" + dispatch + "/pickup", "{}"), dispatch, 6);

    String delivery = Ids.delivery(order);
    awaitStream(delivery);
    assertSuccess(post("/api/v1/deliveries/" + delivery + "/location", "{\"lat\":37.5665,\"lon\":126.978}"),
        delivery, 2);
    assertSuccess(post("/api/v1/deliveries/" + delivery + "/location", "{\"lat\":-90,\"lon\":180}"), delivery, 3);
    assertSuccess(post("/api/v1/deliveries/" + delivery + "/complete", null), delivery, 4);
    awaitStatus(app, order, OrderStatus.DELIVERED);
  }

  @Test
  void shippingAPaidOrderRecordsItsTrackingNumber() {
    String order = paidOrder("ship-user");
    long before = version(order);
    var shipped = post("/api/v1/orders/" + order + "/ship", "{\"trackingNumber\":\" CJ-1234-5678 \"}");
    assertSuccess(shipped, order, before + 1);
    assertThat(lastEvent(order).get("type").asString()).isEqualTo("OrderShipped");
    assertThat(lastEvent(order).get("data").get("trackingNumber").asString()).isEqualTo("CJ-1234-5678");
  }

  @Test
  void cancellingAnOrderRecordsItsReason() {
    String order = reservedOrder("cancel-user");
    long before = version(order);
    var cancelled = post("/api/v1/orders/" + order + "/cancel", "{\"reason\":\"changed my mind\"}");
    assertSuccess(cancelled, order, before + 1);
    assertThat(lastEvent(order).get("type").asString()).isEqualTo("OrderCancelled");
    assertThat(lastEvent(order).get("data").get("reason").asString()).isEqualTo("changed my mind");
    assertThat(post("/api/v1/orders/" + reservedOrder("cancel-user") + "/cancel", null).status())
        .as("the reason is optional").isEqualTo(200);
  }

  // ---- 400: placing an order

  @Test
  void anOrderWithoutAUserIdIs400NamingIt() {
    assertInvalid(notPlaced("", () -> place("{\"items\":[" + item(product, 1) + "],\"shippingAddress\":" + ADDRESS
        + "}")), "userId");
    assertInvalid(notPlaced("  ", () -> place(orderJson("\"  \"", "[" + item(product, 1) + "]", ADDRESS))), "userId");
    assertInvalid(notPlaced("", () -> place(orderJson("null", "[" + item(product, 1) + "]", ADDRESS))), "userId");
  }

  @Test
  void anOrderWithoutItemsIs400NamingThem() {
    assertInvalid(notPlaced("no-items", () -> place(orderJson("\"no-items\"", "[]", ADDRESS))), "items");
    assertInvalid(notPlaced("no-items", () -> place("{\"userId\":\"no-items\",\"shippingAddress\":" + ADDRESS
        + "}")), "items");
  }

  @Test
  void anOrderOfMoreThanAHundredItemsIs400NamingThem() {
    List<String> items = new ArrayList<>();
    for (int i = 0; i < 101; i++) {
      items.add(item(UUID.randomUUID().toString(), 1));
    }
    assertInvalid(notPlaced("many-items", () -> place(orderJson("\"many-items\"", items.toString(), ADDRESS))),
        "items");
  }

  @Test
  void aQuantityOfZeroIs400NamingIt() {
    assertInvalid(notPlaced("zero", () -> place(orderJson("\"zero\"", "[" + item(product, 0) + "]", ADDRESS))),
        "items[0].quantity");
  }

  @Test
  void aNegativeQuantityIs400NamingIt() {
    assertInvalid(notPlaced("negative", () -> place(orderJson("\"negative\"",
        "[" + item(product, 1) + "," + item(UUID.randomUUID().toString(), -3) + "]", ADDRESS))), "items[1].quantity");
  }

  @Test
  void aQuantityThatIsNotAWholeNumberIs400NamingIt() {
    for (String quantity : new String[] {"\"two\"", "\"2\"", "1.5", "2.0", "true", "99999999999999999999",
        "null"}) {
      String items = "[{\"productId\":\"" + product + "\",\"quantity\":" + quantity + "}]";
      assertInvalid(notPlaced("nan", () -> place(orderJson("\"nan\"", items, ADDRESS))), "items[0].quantity");
    }
  }

  @Test
  void aQuantityOverTenThousandIs400NamingIt() {
    assertInvalid(notPlaced("bulk", () -> place(orderJson("\"bulk\"", "[" + item(product, 10_001) + "]", ADDRESS))),
        "items[0].quantity");
  }

  @Test
  void anItemWithoutAProductIdIs400NamingIt() {
    assertInvalid(notPlaced("no-product", () -> place(orderJson("\"no-product\"", "[{\"quantity\":1}]", ADDRESS))),
        "items[0].productId");
    assertInvalid(notPlaced("no-product", () -> place(orderJson("\"no-product\"",
        "[{\"productId\":\" \",\"quantity\":1}]", ADDRESS))), "items[0].productId");
  }

  @Test
  void aNullItemIs400NamingIt() {
    assertInvalid(notPlaced("null-item", () -> place(orderJson("\"null-item\"", "[" + item(product, 1) + ",null]",
        ADDRESS))), "items[1]");
  }

  @Test
  void anOrderWithoutAShippingAddressIs400NamingIt() {
    assertInvalid(notPlaced("nowhere", () -> place("{\"userId\":\"nowhere\",\"items\":[" + item(product, 1) + "]}")),
        "shippingAddress");
  }

  @Test
  void aShippingAddressWithoutItsFieldsIs400NamingEach() {
    assertInvalid(notPlaced("half-address", () -> place(orderJson("\"half-address\"", "[" + item(product, 1) + "]",
        "{}"))), "shippingAddress.recipient", "shippingAddress.phone", "shippingAddress.address",
        "shippingAddress.zipCode");
    assertInvalid(notPlaced("half-address", () -> place(orderJson("\"half-address\"", "[" + item(product, 1) + "]",
        ADDRESS.replace("\"김철수\"", "\"\"")))), "shippingAddress.recipient");
  }

  @Test
  void aBadPhoneNumberIs400NamingIt() {
    for (String phone : new String[] {"call me", "12", "010-1234-5678<script>"}) {
      String address = ADDRESS.replace("010-1234-5678", phone);
      assertInvalid(notPlaced("phone", () -> place(orderJson("\"phone\"", "[" + item(product, 1) + "]", address))),
          "shippingAddress.phone");
    }
  }

  @Test
  void aBadZipCodeIs400NamingIt() {
    for (String zip : new String[] {"0623", "062366", "ABCDE"}) {
      String address = ADDRESS.replace("06236", zip);
      assertInvalid(notPlaced("zip", () -> place(orderJson("\"zip\"", "[" + item(product, 1) + "]", address))),
          "shippingAddress.zipCode");
    }
  }

  @Test
  void aClientCannotNameAPriceOrAnyOtherUnknownField() {
    assertInvalid(notPlaced("pricer", () -> place(orderJson("\"pricer\"",
        "[{\"productId\":\"" + product + "\",\"quantity\":1,\"unitPrice\":1}]", ADDRESS))), "items[0].unitPrice");
    assertInvalid(notPlaced("pricer", () -> place(orderJson("\"pricer\"", "[" + item(product, 1) + "]", ADDRESS)
        .replace("{\"userId\"", "{\"totalAmount\":1,\"userId\""))), "totalAmount");
    assertInvalid(notPlaced("pricer", () -> place(orderJson("\"pricer\"", "[" + item(product, 1) + "]",
        ADDRESS.replace("}", ",\"floor\":3}")))), "shippingAddress.floor");
  }

  @Test
  void anExpressFlagThatIsNotABooleanIs400NamingIt() {
    for (String express : new String[] {"\"yes\"", "\"true\"", "1"}) {
      String address = ADDRESS.replace("}", ",\"express\":" + express + "}");
      assertInvalid(notPlaced("express", () -> place(orderJson("\"express\"", "[" + item(product, 1) + "]",
          address))), "shippingAddress.express");
    }
  }

  @Test
  void aMalformedBodyIs400() {
    for (String body : new String[] {"{\"userId\":\"broken\",\"items\":[", "[1,2]", "null", "\"order\"",
        orderBody("broken", false, product, 1) + orderBody("broken", false, product, 1)}) {
      assertInvalid(notPlaced("broken", () -> place(body)), "body");
    }
  }

  @Test
  void aBodyThatIsNotJsonIs400NamingTheContentType() {
    for (String type : new String[] {"text/plain", "application/x-www-form-urlencoded", "application/xml"}) {
      assertInvalid(notPlaced("typed", () -> sendAs(type, "/api/v1/orders",
          orderBody("typed", false, product, 1))), "Content-Type");
    }
  }

  @Test
  void aFormPostedToACommandWithoutFieldsIs400AndChangesNothing() {
    String order = reservedOrder("form-user");
    assertInvalid(unchanged(order, () -> sendAs("application/x-www-form-urlencoded",
        "/api/v1/orders/" + order + "/approve", "approved=true")), "Content-Type");
    assertInvalid(unchanged(order, () -> sendAs("text/plain", "/api/v1/orders/" + order + "/cancel", "please")),
        "Content-Type");
  }

  // ---- 400: the other routes

  @Test
  void payingWithoutAMethodIs400NamingIt() {
    String order = approvedOrder();
    assertInvalid(unchanged(order, () -> post("/api/v1/orders/" + order + "/pay", "{}")), "method");
    assertInvalid(unchanged(order, () -> post("/api/v1/orders/" + order + "/pay", null)), "method");
    assertInvalid(unchanged(order, () -> post("/api/v1/orders/" + order + "/pay", "{\"method\":null}")), "method");
  }

  @Test
  void payingWithAnUnknownMethodIs400NamingIt() {
    String order = approvedOrder("unknown-method-user");
    for (String method : new String[] {"\"BITCOIN\"", "\"card\"", "\"\"", "3"}) {
      assertInvalid(unchanged(order, () -> post("/api/v1/orders/" + order + "/pay", "{\"method\":" + method + "}")),
          "method");
    }
  }

  @Test
  void aClientCannotSetThePaymentTime() {
    String order = approvedOrder("payment-time-user");
    assertInvalid(unchanged(order, () -> post("/api/v1/orders/" + order + "/pay",
        "{\"method\":\"CARD\",\"at\":\"2000-01-01T00:00:00Z\"}")), "at");
  }

  @Test
  void shippingWithoutATrackingNumberIs400NamingIt() {
    String order = paidOrder();
    assertInvalid(unchanged(order, () -> post("/api/v1/orders/" + order + "/ship", "{}")), "trackingNumber");
    assertInvalid(unchanged(order, () -> post("/api/v1/orders/" + order + "/ship", "{\"trackingNumber\":\" \"}")),
        "trackingNumber");
  }

  @Test
  void assigningWithoutARiderIs400NamingIt() {
    String dispatch = Ids.dispatch(paidOrder());
    assertInvalid(unchanged(dispatch, () -> post("/api/v1/dispatches/" + dispatch + "/assign", "{}")), "riderId");
    assertInvalid(unchanged(dispatch, () -> post("/api/v1/dispatches/" + dispatch + "/assign",
        "{\"riderId\":\"\"}")), "riderId");
  }

  @Test
  void aLocationWithoutLatitudeOrLongitudeIs400NamingThem() {
    String delivery = deliveryInTransit();
    String path = "/api/v1/deliveries/" + delivery + "/location";
    assertInvalid(unchanged(delivery, () -> post(path, "{\"lon\":126.978}")), "lat");
    assertInvalid(unchanged(delivery, () -> post(path, "{\"lat\":37.5}")), "lon");
    assertInvalid(unchanged(delivery, () -> post(path, "{}")), "lat", "lon");
  }

  @Test
  void aLatitudeBeyondNinetyIs400NamingIt() {
    String delivery = deliveryInTransit();
    String path = "/api/v1/deliveries/" + delivery + "/location";
    assertInvalid(unchanged(delivery, () -> post(path, "{\"lat\":91,\"lon\":126.978}")), "lat");
    assertInvalid(unchanged(delivery, () -> post(path, "{\"lat\":-90.0001,\"lon\":126.978}")), "lat");
  }

  @Test
  void aLongitudeBeyondOneEightyIs400NamingIt() {
    String delivery = deliveryInTransit();
    String path = "/api/v1/deliveries/" + delivery + "/location";
    assertInvalid(unchanged(delivery, () -> post(path, "{\"lat\":37.5,\"lon\":-181}")), "lon");
    assertInvalid(unchanged(delivery, () -> post(path, "{\"lat\":37.5,\"lon\":1e400}")), "lon");
  }

  @Test
  void aLatitudeGivenAsAStringIs400NamingIt() {
    String delivery = deliveryInTransit();
    String path = "/api/v1/deliveries/" + delivery + "/location";
    assertInvalid(unchanged(delivery, () -> post(path, "{\"lat\":\"north\",\"lon\":126.978}")), "lat");
    assertInvalid(unchanged(delivery, () -> post(path, "{\"lat\":\"37.5\",\"lon\":126.978}")), "lat");
  }

  // ---- 404

  @Test
  void everyOrderRouteAnswers404ForAnUnknownOrder() {
    String unknown = UUID.randomUUID().toString();
    for (String[] call : new String[][] {{"approve", "{}"}, {"pay", "{\"method\":\"CARD\"}"},
        {"ship", "{\"trackingNumber\":\"T-1\"}"}, {"cancel", "{\"reason\":\"x\"}"}}) {
      assertProblem(post("/api/v1/orders/" + unknown + "/" + call[0], call[1]), 404);
      assertProblem(post("/api/v1/orders/not-an-id/" + call[0], call[1]), 404);
      assertProblem(post("/api/v1/orders/" + store + "/" + call[0], call[1]), 404);
    }
    assertThat(app.get("/api/v1/streams/" + unknown).status()).as("nothing written").isEqualTo(404);
    assertThat(version(store)).isEqualTo(1);
  }

  @Test
  void everyDispatchRouteAnswers404ForAnUnknownDispatch() {
    String unknown = UUID.randomUUID().toString();
    String order = approvedOrder();
    long orderVersion = version(order);
    for (String[] call : new String[][] {{"assign", "{\"riderId\":\"rider-1\"}"}, {"accept", "{}"},
        {"decline", "{\"reason\":\"x\"}"}, {"pickup", "{}"}}) {
      assertProblem(post("/api/v1/dispatches/" + unknown + "/" + call[0], call[1]), 404);
      assertProblem(post("/api/v1/dispatches/" + order + "/" + call[0], call[1]), 404);
      assertProblem(post("/api/v1/dispatches/" + Ids.dispatch(order) + "/" + call[0], call[1]), 404);
    }
    assertThat(app.get("/api/v1/streams/" + unknown).status()).as("nothing written").isEqualTo(404);
    assertThat(app.get("/api/v1/streams/" + Ids.dispatch(order)).status()).isEqualTo(404);
    assertThat(version(order)).isEqualTo(orderVersion);
  }

  @Test
  void everyDeliveryRouteAnswers404ForAnUnknownDelivery() {
    String unknown = UUID.randomUUID().toString();
    String order = paidOrder();
    for (String[] call : new String[][] {{"location", "{\"lat\":37.5,\"lon\":127}"}, {"complete", "{}"}}) {
      assertProblem(post("/api/v1/deliveries/" + unknown + "/" + call[0], call[1]), 404);
      assertProblem(post("/api/v1/deliveries/" + Ids.dispatch(order) + "/" + call[0], call[1]), 404);
      assertProblem(post("/api/v1/deliveries/" + Ids.delivery(order) + "/" + call[0], call[1]), 404);
    }
    assertThat(app.get("/api/v1/streams/" + unknown).status()).as("nothing written").isEqualTo(404);
    assertThat(app.get("/api/v1/streams/" + Ids.delivery(order)).status()).isEqualTo(404);
  }

  // ---- 422: the order

  @Test
  void approvingAnOrderTwiceBreaksOrderNotApprovable() {
    String order = approvedOrder();
    assertRule(unchanged(order, () -> post("/api/v1/orders/" + order + "/approve", null)), "order-not-approvable");
  }

  @Test
  void payingAnOrderNotApprovedBreaksOrderNotPayable() {
    String order = reservedOrder("unapproved");
    assertRule(unchanged(order, () -> post("/api/v1/orders/" + order + "/pay", "{\"method\":\"CARD\"}")),
        "order-not-payable");
    String paid = paidOrder();
    assertRule(unchanged(paid, () -> post("/api/v1/orders/" + paid + "/pay", "{\"method\":\"CARD\"}")),
        "order-not-payable");
  }

  @Test
  void payingAfterTheDeadlineBreaksPaymentDeadlinePassed() throws Exception {
    // payments are due a second after placing, and no poller expires the order in the meantime
    try (var late = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.ordering.payment-timeout=1s", "ordo.ordering.deadline-poll-interval=1h")) {
      String shop = late.send("POST", "/api/v1/stores", "{\"name\":\"Late Mart\"}").createdId();
      String kind = late.send("POST", "/api/v1/categories", "{\"name\":\"시계\"}").createdId();
      String watch = newProduct(late, shop, kind, "탁상시계", 30_000, 5);
      String order = late.send("POST", "/api/v1/orders", orderBody("late-user", false, watch, 1)).createdId();
      awaitStatus(late, order, OrderStatus.RESERVED);
      assertThat(late.send("POST", "/api/v1/orders/" + order + "/approve", null).status()).isEqualTo(200);
      Instant due = order(late, order).paymentDueAt();
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), due).toMillis() + 100));

      long before = late.get("/api/v1/streams/" + order).json().get("version").asLong();
      var refused = late.send("POST", "/api/v1/orders/" + order + "/pay", "{\"method\":\"CARD\"}");
      assertRule(refused, "payment-deadline-passed");
      assertThat(late.get("/api/v1/streams/" + order).json().get("version").asLong()).isEqualTo(before);
      assertThat(order(late, order).status()).isEqualTo(OrderStatus.APPROVED);
    }
  }

  @Test
  void shippingAnUnpaidOrderBreaksOrderNotShippable() {
    String order = approvedOrder();
    assertRule(unchanged(order, () -> post("/api/v1/orders/" + order + "/ship", "{\"trackingNumber\":\"T-1\"}")),
        "order-not-shippable");
  }

  @Test
  void cancellingAShippedOrderBreaksOrderAlreadyShipped() {
    String order = paidOrder("shipped-user");
    assertThat(post("/api/v1/orders/" + order + "/ship", "{\"trackingNumber\":\"T-2\"}").status()).isEqualTo(200);
    assertRule(unchanged(order, () -> post("/api/v1/orders/" + order + "/cancel", "{\"reason\":\"late\"}")),
        "order-already-shipped");
    assertRule(unchanged(order, () -> post("/api/v1/orders/" + order + "/ship", "{\"trackingNumber\":\"T-3\"}")),
        "order-not-shippable");
  }

  @Test
  void cancellingACancelledOrderBreaksOrderClosed() {
    String order = reservedOrder("closed-user");
    assertThat(post("/api/v1/orders/" + order + "/cancel", null).status()).isEqualTo(200);
    assertRule(unchanged(order, () -> post("/api/v1/orders/" + order + "/cancel", "{\"reason\":\"again\"}")),
        "order-closed");
    assertRule(unchanged(order, () -> post("/api/v1/orders/" + order + "/approve", null)), "order-not-approvable");
  }

  @Test
  void orderingAnUnknownProductBreaksUnknownProduct() {
    for (String unknown : new String[] {UUID.randomUUID().toString(), store, "no-such-product"}) {
      assertRule(notPlaced("unknown-product", () -> place(orderBody("unknown-product", false, product, 1, unknown,
          1))), "unknown-product");
    }
  }

  @Test
  void orderingAHiddenProductBreaksProductNotAvailable() throws InterruptedException {
    String hidden = newProduct(app, store, category, "숨긴 텀블러", 9_000, 5);
    var hide = post("/api/v1/products/" + hidden + "/hide", null);
    assertThat(hide.status()).isEqualTo(200);
    assertThat(app.bean(ReadModels.class).awaitApplied(Long.parseLong(hide.header("ordo-position")),
        Duration.ofSeconds(20))).as("the hide reached ordering's view of the catalog").isTrue();

    assertRule(notPlaced("hidden-buyer", () -> place(orderBody("hidden-buyer", false, hidden, 1))),
        "product-not-available");
  }

  @Test
  void orderingOneProductTwiceBreaksDuplicateProduct() {
    assertRule(notPlaced("twice", () -> place(orderBody("twice", false, product, 1, product, 2))),
        "duplicate-product");
  }

  // ---- 422: the dispatch and the delivery

  @Test
  void assigningAnAssignedDispatchBreaksDispatchNotWaiting() {
    String dispatch = assignedDispatch("reassign-user");
    assertRule(unchanged(dispatch, () -> post("/api/v1/dispatches/" + dispatch + "/assign",
        "{\"riderId\":\"rider-9\"}")), "dispatch-not-waiting");
  }

  @Test
  void acceptingOrDecliningAWaitingDispatchBreaksDispatchNotAssigned() {
    String dispatch = Ids.dispatch(paidOrder());
    assertRule(unchanged(dispatch, () -> post("/api/v1/dispatches/" + dispatch + "/accept", null)),
        "dispatch-not-assigned");
    assertRule(unchanged(dispatch, () -> post("/api/v1/dispatches/" + dispatch + "/decline", "{\"reason\":\"x\"}")),
        "dispatch-not-assigned");
  }

  @Test
  void pickingUpADispatchNotAcceptedBreaksDispatchNotAccepted() {
    String dispatch = assignedDispatch("early-pickup-user");
    assertRule(unchanged(dispatch, () -> post("/api/v1/dispatches/" + dispatch + "/pickup", null)),
        "dispatch-not-accepted");
    String waiting = Ids.dispatch(paidOrder());
    assertRule(unchanged(waiting, () -> post("/api/v1/dispatches/" + waiting + "/pickup", null)),
        "dispatch-not-accepted");
  }

  @Test
  void aDispatchOfACancelledOrderBreaksDispatchCancelled() {
    String order = paidOrder("cancelled-dispatch-user");
    String dispatch = Ids.dispatch(order);
    assertThat(post("/api/v1/orders/" + order + "/cancel", "{\"reason\":\"no longer needed\"}").status())
        .isEqualTo(200);
    await("dispatch cancelled", () -> lastEvent(dispatch).get("type").asString().equals("DispatchCancelled"));
    for (String[] call : new String[][] {{"assign", "{\"riderId\":\"rider-1\"}"}, {"accept", "{}"},
        {"decline", "{}"}, {"pickup", "{}"}}) {
      assertRule(unchanged(dispatch, () -> post("/api/v1/dispatches/" + dispatch + "/" + call[0], call[1])),
          "dispatch-cancelled");
    }
  }

  @Test
  void aCompletedDeliveryBreaksDeliveryCompleted() {
    String order = deliveryInTransit("completed-user");
    String delivery = Ids.delivery(order);
    assertThat(post("/api/v1/deliveries/" + delivery + "/complete", null).status()).isEqualTo(200);
    assertRule(unchanged(delivery, () -> post("/api/v1/deliveries/" + delivery + "/location",
        "{\"lat\":37.5,\"lon\":127}")), "delivery-completed");
    assertRule(unchanged(delivery, () -> post("/api/v1/deliveries/" + delivery + "/complete", null)),
        "delivery-completed");
  }

  // ---- the common rules

  @Test
  void aWrongIfMatchIs412AndChangesNothing() {
    String order = reservedOrder("if-match-user");
    long version = version(order);
    var stale = unchanged(order, () -> post("/api/v1/orders/" + order + "/approve", null, "If-Match",
        "\"" + (version - 1) + "\""));
    JsonNode problem = assertProblem(stale, 412);
    assertThat(problem.get("expectedVersion").asLong()).isEqualTo(version - 1);
    assertThat(problem.get("actualVersion").asLong()).isEqualTo(version);
    assertProblem(unchanged(order, () -> post("/api/v1/orders/" + order + "/cancel", null, "If-Match",
        "\"" + (version + 1) + "\"")), 412);

    var current = post("/api/v1/orders/" + order + "/approve", null, "If-Match", "\"" + version + "\"");
    assertThat(current.status()).isEqualTo(200);
    assertThat(current.header("etag")).isEqualTo("\"" + (version + 1) + "\"");
  }

  @Test
  void aRepeatedPlaceOrderWithItsIdempotencyKeyGetsTheFirstAnswerAndPlacesOneOrder() {
    String body = orderBody("idempotent-user", false, product, 3);
    var first = post("/api/v1/orders", body, "Idempotency-Key", "\"order-once\"");
    var again = post("/api/v1/orders", body, "Idempotency-Key", "\"order-once\"");

    assertThat(first.status()).isEqualTo(201);
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.header("location")).isEqualTo(first.header("location"));
    assertThat(again.header("etag")).isEqualTo(first.header("etag"));
    assertThat(again.header("ordo-position")).isEqualTo(first.header("ordo-position"));
    assertThat(again.header("idempotent-replayed")).isEqualTo("true");
    assertThat(first.header("idempotent-replayed")).isNull();
    assertThat(ordersPlacedBy("idempotent-user", true)).isEqualTo(1);
  }

  @Test
  void aRepeatedPaymentWithItsIdempotencyKeyGetsTheFirstAnswerAndPaysOnce() {
    String order = approvedOrder("idempotent-payer");
    String body = "{\"method\":\"CARD\"}";
    var first = post("/api/v1/orders/" + order + "/pay", body, "Idempotency-Key", "pay-once");
    assertThat(first.status()).isEqualTo(200);
    var again = unchanged(order, () -> post("/api/v1/orders/" + order + "/pay", body, "Idempotency-Key", "pay-once"));

    assertThat(again.status()).isEqualTo(200);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.header("etag")).isEqualTo(first.header("etag"));
    assertThat(again.header("idempotent-replayed")).isEqualTo("true");
    assertThat(types(order).stream().filter("OrderPaid"::equals)).hasSize(1);
  }

  @Test
  void anIdempotencyKeyUsedWithAnotherBodyIs422AndChangesNothing() {
    String order = reservedOrder("key-reuser");
    assertThat(post("/api/v1/orders/" + order + "/approve", null, "Idempotency-Key", "reused-key").status())
        .isEqualTo(200);
    assertRule(unchanged(order, () -> post("/api/v1/orders/" + order + "/pay", "{\"method\":\"CARD\"}",
        "Idempotency-Key", "reused-key")), "idempotency-key-reused");

    var placed = post("/api/v1/orders", orderBody("key-reuser", false, product, 1), "Idempotency-Key", "reused-order");
    assertThat(placed.status()).isEqualTo(201);
    assertRule(post("/api/v1/orders", orderBody("key-reuser", false, product, 2), "Idempotency-Key", "reused-order"),
        "idempotency-key-reused");
    assertThat(ordersPlacedBy("key-reuser", true)).as("one by reservedOrder, one with the key").isEqualTo(2);
  }

  @Test
  void aRefusedCommandsAnswerIsKeptForItsIdempotencyKey() {
    String order = reservedOrder("refused-key-user");
    String body = "{\"method\":\"CARD\"}";
    var first = post("/api/v1/orders/" + order + "/pay", body, "Idempotency-Key", "pay-too-early");
    assertRule(first, "order-not-payable");
    assertThat(post("/api/v1/orders/" + order + "/approve", null).status()).isEqualTo(200);

    var again = unchanged(order, () -> post("/api/v1/orders/" + order + "/pay", body, "Idempotency-Key",
        "pay-too-early"));
    assertThat(again.status()).isEqualTo(422);
    assertThat(again.body()).isEqualTo(first.body());
    assertThat(again.header("idempotent-replayed")).isEqualTo("true");
  }

  @Test
  void anOrderPlacedWithRespondAsyncIs202AndItsCommandSucceeds() throws InterruptedException {
    var accepted = post("/api/v1/orders", orderBody("async-user", true, product, 1), "Prefer", "respond-async");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String location = accepted.header("location");
    assertThat(location).startsWith("/api/v1/commands/");

    JsonNode status = awaitDone(location);
    assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("SUCCEEDED");
    assertThat(status.get("statusCode").asInt()).isEqualTo(201);
    String order = status.get("result").get("id").asString();
    assertThat(status.get("result").get("version").asLong()).isEqualTo(1);
    assertThat(types(order).getFirst()).isEqualTo("OrderPlaced");
    JsonNode placed = app.get("/api/v1/streams/" + order).json().get("events").get(0).get("data");
    assertThat(placed.get("userId").asString()).isEqualTo("async-user");
    assertThat(placed.get("shippingAddress").get("express").asBoolean()).isTrue();
    awaitStatus(app, order, OrderStatus.RESERVED);
  }

  @Test
  void aPaymentWithRespondAsyncIs202AndItsCommandSucceeds() throws InterruptedException {
    String order = approvedOrder("async-payer");
    var accepted = post("/api/v1/orders/" + order + "/pay", "{\"method\":\"POINTS\"}", "Prefer", "respond-async");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    JsonNode status = awaitDone(accepted.header("location"));
    assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("SUCCEEDED");
    assertThat(status.get("result").get("id").asString()).isEqualTo(order);
    assertThat(lastEvent(order).get("type").asString()).isEqualTo("OrderPaid");
    assertThat(lastEvent(order).get("data").get("method").asString()).isEqualTo("POINTS");
    assertThat(Instant.parse(lastEvent(order).get("data").get("paidAt").asString()))
        .isBetween(Instant.now().minusSeconds(60), Instant.now());
  }

  @Test
  void anAsyncCommandThatBreaksARuleEndsFailedWithItsRule() throws InterruptedException {
    String order = reservedOrder("async-refused");
    long before = version(order);
    var accepted = post("/api/v1/orders/" + order + "/ship", "{\"trackingNumber\":\"T-9\"}", "Prefer",
        "respond-async");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    JsonNode status = awaitDone(accepted.header("location"));
    assertThat(status.get("status").asString()).as(status.toString()).isEqualTo("FAILED");
    assertThat(status.get("statusCode").asInt()).isEqualTo(422);
    assertThat(status.get("problem").get("rule").asString()).isEqualTo("order-not-shippable");
    assertThat(version(order)).isEqualTo(before);
  }

  @Test
  void anInvalidCommandWithRespondAsyncIs400AtOnce() {
    assertInvalid(notPlaced("", () -> post("/api/v1/orders", "{\"items\":[]}", "Prefer", "respond-async")),
        "items", "shippingAddress", "userId");
    String delivery = deliveryInTransit();
    assertInvalid(unchanged(delivery, () -> post("/api/v1/deliveries/" + delivery + "/location",
        "{\"lat\":91,\"lon\":0}", "Prefer", "respond-async")), "lat");
  }

  // ---- fixtures

  /** An order whose stock is reserved, with no process step still to come. */
  private static String reservedOrder(String user) {
    String order = place(orderBody(user, false, product, 1)).createdId();
    awaitStatus(app, order, OrderStatus.RESERVED);
    return order;
  }

  private static String approvedOrder(String user) {
    String order = reservedOrder(user);
    assertThat(post("/api/v1/orders/" + order + "/approve", null).status()).isEqualTo(200);
    return order;
  }

  /** A paid order; its dispatch is open and waiting for a rider. */
  private static String paidOrder(String user) {
    String order = approvedOrder(user);
    assertThat(post("/api/v1/orders/" + order + "/pay", "{\"method\":\"CARD\"}").status()).isEqualTo(200);
    awaitStream(Ids.dispatch(order));
    return order;
  }

  private static String assignedDispatch(String user) {
    String dispatch = Ids.dispatch(paidOrder(user));
    assertThat(post("/api/v1/dispatches/" + dispatch + "/assign", "{\"riderId\":\"rider-1\"}").status())
        .isEqualTo(200);
    return dispatch;
  }

  /** A shipped order whose delivery is under way. */
  private static String deliveryInTransit(String user) {
    String order = paidOrder(user);
    String dispatch = Ids.dispatch(order);
    assertThat(post("/api/v1/dispatches/" + dispatch + "/assign", "{\"riderId\":\"rider-1\"}").status())
        .isEqualTo(200);
    assertThat(post("/api/v1/dispatches/" + dispatch + "/accept", null).status()).isEqualTo(200);
    assertThat(post("/api/v1/dispatches/" + dispatch + "/pickup", null).status()).isEqualTo(200);
    awaitStream(Ids.delivery(order));
    awaitStatus(app, order, OrderStatus.SHIPPED);
    return order;
  }

  private static synchronized String approvedOrder() {
    if (approvedOrder == null) {
      approvedOrder = approvedOrder("approved-fixture");
    }
    return approvedOrder;
  }

  private static synchronized String paidOrder() {
    if (paidOrder == null) {
      paidOrder = paidOrder("paid-fixture");
    }
    return paidOrder;
  }

  /** The id of a delivery under way. */
  private static synchronized String deliveryInTransit() {
    if (deliveryOrder == null) {
      deliveryOrder = deliveryInTransit("delivery-fixture");
    }
    return Ids.delivery(deliveryOrder);
  }

  // ---- requests and answers

  private static RunningApp.Response post(String path, String body, String... headers) {
    return app.send("POST", path, body, headers);
  }

  private static RunningApp.Response place(String body) {
    return post("/api/v1/orders", body);
  }

  private static String orderJson(String userJson, String itemsJson, String addressJson) {
    return "{\"userId\":" + userJson + ",\"items\":" + itemsJson + ",\"shippingAddress\":" + addressJson + "}";
  }

  private static String item(String productId, int quantity) {
    return "{\"productId\":\"" + productId + "\",\"quantity\":" + quantity + "}";
  }

  /** A request whose body is declared as {@code contentType}. */
  private static RunningApp.Response sendAs(String contentType, String path, String body) {
    var request = HttpRequest.newBuilder(app.uri(path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", contentType)
        .header("Authorization", "Bearer " + app.token("test-admin", List.of("admin"), List.of())).POST(HttpRequest.BodyPublishers.ofString(body)).build();
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
      Map<String, String> headers = new LinkedHashMap<>();
      response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(), String.join(",", values)));
      return new RunningApp.Response(response.statusCode(), headers, response.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static void assertSuccess(RunningApp.Response response, String id, long version) {
    assertThat(response.status()).as(response.body()).isEqualTo(version == 1 ? 201 : 200);
    assertThat(response.header("content-type")).startsWith("application/json");
    JsonNode body = response.json();
    assertThat(body.propertyNames()).containsExactly("id", "version", "position");
    assertThat(body.get("id").asString()).isEqualTo(id);
    assertThat(body.get("version").asLong()).isEqualTo(version);
    assertThat(response.header("etag")).isEqualTo("\"" + version + "\"");
    assertThat(response.header("ordo-position")).isEqualTo(body.get("position").asString());
  }

  private static JsonNode assertProblem(RunningApp.Response response, int status) {
    assertThat(response.status()).as(response.body()).isEqualTo(status);
    assertThat(response.header("content-type")).as(response.body()).startsWith("application/problem+json");
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    JsonNode problem = response.json();
    assertThat(problem.get("type").asString()).startsWith("https://ordo.dev/problems/");
    assertThat(problem.get("title").asString()).isNotBlank();
    assertThat(problem.get("status").asInt()).isEqualTo(status);
    assertThat(problem.get("detail").asString()).isNotBlank();
    return problem;
  }

  /** A 400 whose {@code errors} name every one of {@code fields}. */
  private static void assertInvalid(RunningApp.Response response, String... fields) {
    JsonNode problem = assertProblem(response, 400);
    List<String> named = new ArrayList<>();
    problem.get("errors").forEach(error -> {
      named.add(error.get("field").asString());
      assertThat(error.get("message").asString()).isNotBlank();
    });
    assertThat(named).as(response.body()).contains(fields);
  }

  private static void assertRule(RunningApp.Response response, String rule) {
    assertThat(assertProblem(response, 422).get("rule").asString()).as(response.body()).isEqualTo(rule);
  }

  /** Runs a command the test expects refused and checks the aggregate's stream is as it was. */
  private static RunningApp.Response unchanged(String stream, Supplier<RunningApp.Response> command) {
    long before = version(stream);
    var response = command.get();
    assertThat(version(stream)).as("no write to " + stream + " after " + response.body()).isEqualTo(before);
    return response;
  }

  /** Runs a place order the test expects refused and checks no order of {@code user} was placed. */
  private static RunningApp.Response notPlaced(String user, Supplier<RunningApp.Response> command) {
    var response = command.get();
    assertThat(ordersPlacedBy(user, false)).as("no order placed by " + user + " after " + response.body()).isZero();
    return response;
  }

  /** A stream's version, 0 when it does not exist. */
  private static long version(String stream) {
    var response = app.get("/api/v1/streams/" + stream);
    if (response.status() == 404) {
      return 0;
    }
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().get("version").asLong();
  }

  private static List<String> types(String stream) {
    List<String> types = new ArrayList<>();
    app.get("/api/v1/streams/" + stream).json().get("events").forEach(e -> types.add(e.get("type").asString()));
    return types;
  }

  private static JsonNode lastEvent(String stream) {
    JsonNode events = app.get("/api/v1/streams/" + stream).json().get("events");
    return events.get(events.size() - 1);
  }

  private static void awaitStream(String stream) {
    await("stream " + stream, () -> app.get("/api/v1/streams/" + stream).status() == 200);
  }

  /**
   * OrderPlaced events of a user over the whole log. A page of the log ends early while an older
   * transaction is still open, so when one is expected the log is read again until it shows.
   */
  private static long ordersPlacedBy(String user, boolean expectSome) {
    long count = 0;
    for (int attempt = 0; attempt < 50; attempt++) {
      count = 0;
      long after = 0;
      while (true) {
        JsonNode page = app.get("/api/v1/events?limit=1000&after=" + after).json();
        JsonNode events = page.get("events");
        if (events.isEmpty()) {
          break;
        }
        count += events.valueStream().filter(e -> e.get("type").asString().equals("OrderPlaced")
            && e.get("data").path("userId").asString("").equals(user.strip())).count();
        after = page.get("next").asLong();
      }
      if (count > 0 || !expectSome) {
        return count;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    return count;
  }

  private static JsonNode awaitDone(String location) throws InterruptedException {
    for (int i = 0; i < 200; i++) {
      JsonNode status = app.get(location).json();
      if (!status.get("status").asString().equals("PENDING")) {
        return status;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(location + " still pending");
  }
}
