package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.ordering.Ids;
import dev.ordo.test.TestPostgres;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * API.md "Ordering" queries over real HTTP: an order's view through its life with its dispatch and
 * delivery, lists and search with keyset paging, the audit trail, the live stream, bad input.
 * The live window is kept small, so a resuming client reads the log before it reaches the window.
 */
class OrderQueriesIntegrationTests {

  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");
  private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder()
      .build();

  private static RunningApp app;
  private static OrderDriver orders;
  private static String widget;
  private static String gadget;

  @BeforeAll
  static void start() {
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(), "ordo.live.window=8",
        // the test sends the fulfilment process's commands itself, each at the moment it chooses
        "ordo.processes.enabled=false");
    orders = new OrderDriver(app, "Order Mart");
    widget = orders.product("Searchable 갤럭시 Widget", 10_000);
    gadget = orders.product("Gadget", 25_000);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  private static Map<String, Integer> items(Object... productsAndQuantities) {
    Map<String, Integer> items = new LinkedHashMap<>();
    for (int i = 0; i < productsAndQuantities.length; i += 2) {
      items.put((String) productsAndQuantities[i], (Integer) productsAndQuantities[i + 1]);
    }
    return items;
  }

  private static JsonNode order(String id) {
    var response = orders.read("/api/v1/orders/" + id);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.header("ordo-source")).isNull();
    assertThat(response.header("etag")).isEqualTo("\"" + response.json().get("version").asLong() + "\"");
    assertThat(response.header("cache-control")).as("the delivery moves under the order's ETag").contains("no-store");
    return response.json();
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
  void anOrderReadsAsItGoesFromPlacedToDeliveredWithItsDispatchAndDelivery() {
    String id = orders.place("life-user", items(widget, 2, gadget, 1), true);
    JsonNode placed = order(id);
    assertThat(placed.get("status").asString()).isEqualTo("PLACED");
    assertThat(placed.get("userId").asString()).isEqualTo("life-user");
    assertThat(placed.get("itemCount").asInt()).isEqualTo(3);
    assertThat(placed.get("totalAmount").asLong()).isEqualTo(45_000);
    JsonNode first = placed.get("items").get(0);
    assertThat(first.get("productId").asString()).isEqualTo(widget);
    assertThat(first.get("productName").asString()).isEqualTo("Searchable 갤럭시 Widget");
    assertThat(first.get("unitPrice").asLong()).isEqualTo(10_000);
    assertThat(first.get("quantity").asInt()).isEqualTo(2);
    assertThat(first.get("lineTotal").asLong()).isEqualTo(20_000);
    assertThat(first.get("storeId").asString()).isNotBlank();
    assertThat(placed.get("paymentStatus").asString()).isEqualTo("UNPAID");
    assertThat(placed.get("paymentMethod").isNull()).isTrue();
    assertThat(placed.get("shippingAddress").get("recipient").asString()).isEqualTo("홍길동");
    assertThat(placed.get("shippingAddress").get("express").asBoolean()).isTrue();
    Instant placedAt = Instant.parse(placed.get("placedAt").asString());
    assertThat(placed.get("estimatedDelivery").asString())
        .isEqualTo(placedAt.atZone(SEOUL).toLocalDate().plusDays(2).toString());
    assertThat(placed.get("paymentDueAt").asString()).isNotNull();
    assertThat(placed.get("dispatch").isNull()).isTrue();
    assertThat(placed.get("delivery").isNull()).isTrue();
    assertThat(placed.get("version").asLong()).isEqualTo(1);

    orders.reserve(id, widget, gadget);
    JsonNode reserved = order(id);
    assertThat(reserved.get("status").asString()).isEqualTo("RESERVED");
    assertThat(reserved.get("reservedAt").asString()).isNotNull();
    assertThat(reserved.get("version").asLong()).isEqualTo(4);

    assertThat(orders.approve(id).status()).isEqualTo(200);
    assertThat(order(id).get("approvedAt").isNull()).isFalse();
    assertThat(orders.pay(id, "CARD").status()).isEqualTo(200);
    JsonNode paid = order(id);
    assertThat(paid.get("status").asString()).isEqualTo("PAID");
    assertThat(paid.get("paymentStatus").asString()).isEqualTo("PAID");
    assertThat(paid.get("paymentMethod").asString()).isEqualTo("CARD");
    assertThat(paid.get("paidAmount").asLong()).isEqualTo(45_000);
    assertThat(paid.get("paidAt").asString()).isNotNull();

    String dispatchId = orders.openDispatch(id);
    JsonNode waiting = order(id).get("dispatch");
    assertThat(waiting.get("id").asString()).isEqualTo(dispatchId);
    assertThat(waiting.get("status").asString()).isEqualTo("WAITING");
    assertThat(orders.assign(dispatchId, "rider-1").status()).isEqualTo(200);
    assertThat(order(id).get("dispatch").get("riderId").asString()).isEqualTo("rider-1");
    assertThat(orders.decline(dispatchId, "too far").status()).isEqualTo(200);
    JsonNode declined = order(id).get("dispatch");
    assertThat(declined.get("status").asString()).isEqualTo("WAITING");
    assertThat(declined.get("riderId").isNull()).isTrue();
    assertThat(declined.get("declines").asInt()).isEqualTo(1);
    assertThat(declined.get("declineReason").asString()).isEqualTo("too far");
    assertThat(orders.assign(dispatchId, "rider-2").status()).isEqualTo(200);
    assertThat(orders.accept(dispatchId).status()).isEqualTo(200);
    assertThat(orders.pickUp(dispatchId).status()).as("ships the order").isEqualTo(200);
    String deliveryId = orders.startDelivery(id, "rider-2");
    assertThat(orders.locate(deliveryId, 37.5665, 126.978).status()).isEqualTo(200);
    assertThat(orders.locate(deliveryId, 37.57, 126.99).status()).isEqualTo(200);

    JsonNode shipped = order(id);
    assertThat(shipped.get("status").asString()).isEqualTo("SHIPPED");
    assertThat(shipped.get("trackingNumber").asString()).as("the delivery's id").isEqualTo(deliveryId);
    assertThat(shipped.get("dispatch").get("status").asString()).isEqualTo("PICKED_UP");
    assertThat(shipped.get("dispatch").get("deliveryId").asString()).isEqualTo(deliveryId);
    JsonNode underWay = shipped.get("delivery");
    assertThat(underWay.get("id").asString()).isEqualTo(deliveryId);
    assertThat(underWay.get("status").asString()).isEqualTo("IN_TRANSIT");
    assertThat(underWay.get("riderId").asString()).isEqualTo("rider-2");
    assertThat(underWay.get("lastLocation").get("lat").asDouble()).isEqualTo(37.57);
    assertThat(underWay.get("lastLocation").get("lon").asDouble()).isEqualTo(126.99);

    var delivery = orders.read("/api/v1/deliveries/" + deliveryId);
    assertThat(delivery.status()).isEqualTo(200);
    assertThat(delivery.header("etag")).isEqualTo("\"3\"");
    assertThat(delivery.json().get("orderId").asString()).isEqualTo(id);
    assertThat(delivery.json().get("dispatchId").asString()).isEqualTo(dispatchId);
    assertThat(delivery.json().get("lastLocation").get("lat").asDouble()).isEqualTo(37.57);
    assertThat(delivery.json().get("lastLocation").get("at").asString()).isNotNull();

    assertThat(orders.complete(deliveryId).status()).isEqualTo(200);
    orders.deliver(id);
    JsonNode delivered = order(id);
    assertThat(delivered.get("status").asString()).isEqualTo("DELIVERED");
    assertThat(delivered.get("deliveredAt").isNull()).isFalse();
    assertThat(delivered.get("delivery").get("status").asString()).isEqualTo("COMPLETED");
    assertThat(delivered.get("delivery").get("completedAt").isNull()).isFalse();

    var dispatch = orders.read("/api/v1/dispatches/" + dispatchId);
    assertThat(dispatch.status()).isEqualTo(200);
    assertThat(dispatch.header("etag")).isEqualTo("\"6\"");
    assertThat(dispatch.json().get("orderId").asString()).isEqualTo(id);
    assertThat(dispatch.json().get("status").asString()).isEqualTo("PICKED_UP");
    assertThat(dispatch.json().get("riderId").asString()).isEqualTo("rider-2");
    assertThat(dispatch.json().get("pickedUpAt").isNull()).isFalse();

    // the audit trail: every event of the order, its dispatch and its delivery, in log order (the
    // rider's position pings aside: the delivery keeps the last one)
    var history = orders.read("/api/v1/orders/" + id + "/history?size=100");
    assertThat(history.status()).as(history.body()).isEqualTo(200);
    JsonNode events = history.json().get("events");
    assertThat(OrderDriver.texts(events, "type")).containsExactly("OrderPlaced", "ItemReserved", "ItemReserved",
        "OrderReserved", "OrderApproved", "OrderPaid", "DispatchOpened", "RiderAssigned", "DispatchDeclined",
        "RiderAssigned", "DispatchAccepted", "OrderShipped", "DispatchPickedUp", "DeliveryStarted",
        "DeliveryCompleted", "OrderDelivered");
    assertThat(events.get(0).get("summary").asString()).contains("3 item(s)").contains("45000 won").contains("express");
    assertThat(events.get(0).get("actor").asString()).isEqualTo("life-user");
    assertThat(events.get(4).get("actor").asString()).isEqualTo("admin-1");
    assertThat(events.get(5).get("summary").asString()).isEqualTo("paid 45000 won by CARD");
    assertThat(events.get(8).get("summary").asString()).isEqualTo("rider rider-1 declined (too far)");
    assertThat(events.get(8).get("streamType").asString()).isEqualTo("dispatch");
    assertThat(events.get(13).get("streamId").asString()).isEqualTo(deliveryId);
    assertThat(events.get(13).get("type").asString()).isEqualTo("DeliveryStarted");
    assertThat(history.json().get("nextCursor").isNull()).isTrue();
    List<String> paged = new ArrayList<>();
    String cursor = null;
    do {
      var page = app.get("/api/v1/orders/" + id + "/history?size=5" + (cursor == null ? "" : "&cursor=" + cursor));
      paged.addAll(OrderDriver.texts(page.json().get("events"), "type"));
      JsonNode next = page.json().get("nextCursor");
      cursor = next.isNull() ? null : next.asString();
    } while (cursor != null);
    assertThat(paged).isEqualTo(OrderDriver.texts(events, "type"));

    // nothing there: 404s, a malformed id names nothing either
    assertProblem(app.get("/api/v1/orders/" + UUID.randomUUID()), 404, null);
    assertProblem(app.get("/api/v1/orders/not-an-id"), 404, null);
    assertProblem(app.get("/api/v1/orders/" + UUID.randomUUID() + "/history"), 404, null);
    assertProblem(app.get("/api/v1/dispatches/" + UUID.randomUUID()), 404, null);
    assertProblem(app.get("/api/v1/deliveries/" + Ids.delivery(UUID.randomUUID().toString())), 404, null);
    assertThat(app.get("/api/v1/orders/" + id.toUpperCase()).status()).as("ids in any case").isEqualTo(200);
  }

  @Test
  void rejectedCancelledAndRefundedOrdersSayWhyAndWhen() {
    String rejected = orders.place("why-user", items(widget, 1), false);
    orders.reject(rejected, widget, "insufficient-stock");
    JsonNode rejection = order(rejected);
    assertThat(rejection.get("status").asString()).isEqualTo("REJECTED");
    assertThat(rejection.get("rejectReason").asString()).isEqualTo("insufficient-stock");
    assertThat(rejection.get("rejectedProductId").asString()).isEqualTo(widget);
    assertThat(rejection.get("rejectedAt").isNull()).isFalse();
    Instant placedAt = Instant.parse(rejection.get("placedAt").asString());
    assertThat(rejection.get("estimatedDelivery").asString())
        .isEqualTo(placedAt.atZone(SEOUL).toLocalDate().plusDays(5).toString());

    String refunded = orders.place("why-user", items(gadget, 2), false);
    orders.reserve(refunded, gadget);
    orders.approve(refunded);
    orders.pay(refunded, "MOBILE");
    orders.openDispatch(refunded);
    assertThat(orders.cancel(refunded, "changed my mind").status()).isEqualTo(200);
    JsonNode cancellation = order(refunded);
    assertThat(cancellation.get("status").asString()).isEqualTo("CANCELLED");
    assertThat(cancellation.get("cancelReason").asString()).isEqualTo("changed my mind");
    assertThat(cancellation.get("paymentStatus").asString()).isEqualTo("REFUNDED");
    assertThat(cancellation.get("paymentMethod").asString()).isEqualTo("MOBILE");
    assertThat(cancellation.get("refundedAmount").asLong()).isEqualTo(50_000);
    assertThat(cancellation.get("refundedAt").isNull()).isFalse();
  }

  @Test
  void listsPageNewestFirstByUserAndByStatusWithinPlacingTimes() {
    List<String> placed = new ArrayList<>();
    for (int i = 0; i < 7; i++) {
      placed.add(orders.place("list-user", items(widget, i + 1), false));
    }
    String other = orders.place("list-other", items(gadget, 1), false);
    orders.reserve(placed.get(1), widget);
    orders.reserve(placed.get(4), widget);

    List<String> newestFirst = new ArrayList<>(placed.reversed());
    List<String> seen = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      var page = (cursor == null ? orders.read("/api/v1/orders?userId=list-user&size=3")
          : app.get("/api/v1/orders?userId=list-user&size=3&cursor=" + cursor));
      assertThat(page.status()).as(page.body()).isEqualTo(200);
      seen.addAll(OrderDriver.texts(page.json().get("items"), "id"));
      JsonNode next = page.json().get("nextCursor");
      cursor = next.isNull() ? null : next.asString();
      pages++;
    } while (cursor != null);
    assertThat(seen).as("newest first, no repeats, none skipped").isEqualTo(newestFirst);
    assertThat(pages).isEqualTo(3);

    var reserved = orders.read("/api/v1/orders?userId=list-user&status=RESERVED");
    assertThat(OrderDriver.texts(reserved.json().get("items"), "id")).containsExactly(placed.get(4), placed.get(1));
    var byStatus = orders.read("/api/v1/orders?status=PLACED&size=100");
    assertThat(OrderDriver.texts(byStatus.json().get("items"), "id")).contains(other, placed.get(0))
        .doesNotContain(placed.get(1));
    byStatus.json().get("items").forEach(o -> assertThat(o.get("status").asString()).isEqualTo("PLACED"));

    String third = order(placed.get(2)).get("placedAt").asString();
    var fromThird = orders.read("/api/v1/orders?userId=list-user&from=" + third);
    assertThat(OrderDriver.texts(fromThird.json().get("items"), "id")).isEqualTo(newestFirst.subList(0, 5));
    var beforeThird = orders.read("/api/v1/orders?userId=list-user&to=" + third);
    assertThat(OrderDriver.texts(beforeThird.json().get("items"), "id")).isEqualTo(newestFirst.subList(5, 7));
    LocalDate today = Instant.parse(third).atZone(SEOUL).toLocalDate();
    assertThat(orders.read("/api/v1/orders?userId=list-user&from=" + today + "&to=" + today).json().get("items")
        .size()).as("a date is a whole Seoul day").isEqualTo(7);
    assertThat(orders.read("/api/v1/orders?userId=list-user&to=" + today.minusDays(1)).json().get("items").size())
        .isZero();
    JsonNode item = fromThird.json().get("items").get(0);
    assertThat(item.get("userId").asString()).isEqualTo("list-user");
    assertThat(item.get("totalAmount").asLong()).isEqualTo(70_000);
  }

  @Test
  void searchFindsOrdersByIdUserProductRecipientAddressAndTrackingNumber() {
    String id = orders.place("search-user-42", items(widget, 1, gadget, 1), false, "김철수", "서울시 강남구 테헤란로 123");
    String other = orders.place("search-user-43", items(gadget, 1), false, "이영희", "부산광역시 해운대구 우동 1");
    assertThat(search(id)).containsExactly(id);
    assertThat(search("search-user-42")).containsExactly(id);
    assertThat(search("SEARCH-USER-4")).contains(id, other);
    assertThat(search("갤럭시 widget")).contains(id).doesNotContain(other);
    assertThat(search("김철수")).containsExactly(id);
    assertThat(search("테헤란로")).containsExactly(id);
    assertThat(search("해운대")).containsExactly(other);
    assertThat(search("no such thing anywhere")).isEmpty();
    assertThat(search("100%_")).isEmpty();
    orders.reserve(id, widget, gadget);
    orders.approve(id);
    orders.pay(id, "POINTS");
    orders.ship(id, "CJ-998877");
    assertThat(search("cj-998877")).containsExactly(id);

    var first = orders.read("/api/v1/orders/search?q=search-user&size=1");
    assertThat(first.json().get("query").asString()).isEqualTo("search-user");
    assertThat(OrderDriver.texts(first.json().get("items"), "id")).containsExactly(other);
    var second = app.get("/api/v1/orders/search?q=search-user&size=1&cursor=" + first.json().get("nextCursor").asString());
    assertThat(OrderDriver.texts(second.json().get("items"), "id")).containsExactly(id);
  }

  private static List<String> search(String q) {
    var found = orders.read("/api/v1/orders/search?size=100&q=" + URLEncoder.encode(q, StandardCharsets.UTF_8));
    assertThat(found.status()).as(found.body()).isEqualTo(200);
    return OrderDriver.texts(found.json().get("items"), "id");
  }

  @Test
  void theStreamSendsOrderChangesFollowsOneUserAndResumesAfterTheLastEventId() throws Exception {
    long before = orders.position();
    HttpClient http = HttpClient.newHttpClient();
    // one client follows stream-user from now, one everybody from before (read from the log: the
    // live window holds the last 8 frames only)
    var followsUser = open(http, "/api/v1/orders/stream?userId=stream-user", null);
    String id = orders.place("stream-user", items(widget, 1), false);
    String others = orders.place("stream-other", items(widget, 1), false);
    orders.reserve(others, widget);
    orders.reserve(id, widget);
    for (int i = 0; i < 10; i++) {
      orders.place("stream-noise", items(gadget, 1), false);
    }
    orders.approve(id);

    List<String[]> userEvents = frames(followsUser, 4);
    assertThat(userEvents).extracting(e -> e[1]).containsExactly("OrderPlaced", "ItemReserved", "OrderReserved",
        "OrderApproved");
    userEvents.forEach(e -> assertThat(e[2]).isEqualTo("stream-user"));

    var fromLog = open(http, "/api/v1/orders/stream?userId=stream-user", Long.toString(before));
    List<String[]> resumed = frames(fromLog, 4);
    assertThat(resumed).extracting(e -> e[0]).isEqualTo(userEvents.stream().map(e -> e[0]).toList());
    assertThat(resumed.get(3)[3]).as("the order as the read model has it").contains("\"status\":\"APPROVED\"");

    var everything = open(http, "/api/v1/orders/stream", userEvents.get(0)[0]);
    List<String[]> all = frames(everything, 16);
    assertThat(all).extracting(e -> e[1] + " " + e[2]).startsWith("OrderPlaced stream-other",
        "ItemReserved stream-other", "OrderReserved stream-other", "ItemReserved stream-user",
        "OrderReserved stream-user", "OrderPlaced stream-noise").endsWith("OrderApproved stream-user");
    Set<String> positions = new HashSet<>(all.stream().map(e -> e[0]).toList());
    assertThat(positions).hasSize(16);

    assertProblem(app.send("GET", "/api/v1/orders/stream", null, "Last-Event-ID", "abc"), 400, "Last-Event-ID");
    assertProblem(app.get("/api/v1/orders/stream?userId=" + "u".repeat(101)), 400, "userId");
  }

  /** A stream, open once its answer's head has come: the feed knows where the client starts. */
  private static BufferedReader open(HttpClient http, String path, String lastEventId) throws Exception {
    var request = HttpRequest.newBuilder(app.uri(path)).header("Accept", "text/event-stream")
        .header("Authorization", "Bearer " + app.token("stream-admin", List.of("admin"), List.of()));
    if (lastEventId != null) {
      request.header("Last-Event-ID", lastEventId);
    }
    HttpResponse<InputStream> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
        .get(10, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/event-stream");
    return new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  /** The next {@code count} events of a stream: id, type, user, data; the stream is closed then. */
  private static List<String[]> frames(BufferedReader stream, int count) throws Exception {
    List<String[]> frames = new java.util.concurrent.CopyOnWriteArrayList<>();
    var reading = java.util.concurrent.CompletableFuture.runAsync(() -> {
      try {
        String eventId = null;
        for (String line; frames.size() < count && (line = stream.readLine()) != null; ) {
          if (line.startsWith("id:")) {
            eventId = line.substring(3).strip();
          } else if (line.startsWith("data:")) {
            JsonNode data = JSON.readTree(line.substring(5));
            JsonNode order = data.get("order");
            frames.add(new String[] {eventId, data.get("type").asString(),
                order == null || order.isNull() ? null : order.get("userId").asString(), line});
          }
        }
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    try {
      reading.get(15, TimeUnit.SECONDS);
      stream.close();
    } catch (java.util.concurrent.TimeoutException e) {
      // fewer frames came than expected (the assertion below says which); the reader, blocked, ends
      // with the app
    }
    assertThat(frames).extracting(f -> f[1] + " " + f[2]).hasSize(count);
    return frames;
  }

  @Test
  void badQueryInputIsA400NamingTheParameter() {
    assertProblem(app.get("/api/v1/orders?status=GONE"), 400, "status");
    assertProblem(app.get("/api/v1/orders?size=0"), 400, "size");
    assertProblem(app.get("/api/v1/orders?size=101"), 400, "size");
    assertProblem(app.get("/api/v1/orders?size=ten"), 400, "size");
    assertProblem(app.get("/api/v1/orders?cursor=not-a-cursor"), 400, "cursor");
    assertProblem(app.get("/api/v1/orders?cursor=" + new dev.ordo.spring.query.QueryInput.Cursor("newest", "yesterday",
        "x").encode()), 400, "cursor");
    assertProblem(app.get("/api/v1/orders?from=yesterday"), 400, "from");
    assertProblem(app.get("/api/v1/orders?to=2026-13-01"), 400, "to");
    assertProblem(app.get("/api/v1/orders?from=2026-12-02&to=2026-12-01"), 400, "from");
    assertProblem(app.get("/api/v1/orders?userId=" + "u".repeat(101)), 400, "userId");
    assertProblem(app.get("/api/v1/orders?minPosition=-1"), 400, "minPosition");
    assertProblem(app.get("/api/v1/orders/search"), 400, "q");
    assertProblem(app.get("/api/v1/orders/search?q=%20"), 400, "q");
    assertProblem(app.get("/api/v1/orders/search?q=" + "x".repeat(101)), 400, "q");
    assertProblem(app.get("/api/v1/orders/search?q=x&size=1000"), 400, "size");
    assertProblem(app.get("/api/v1/orders/" + UUID.randomUUID() + "/history?cursor=-1"), 400, "cursor");
    assertProblem(app.get("/api/v1/dashboard?period=year"), 400, "period");
    assertProblem(app.get("/api/v1/dashboard?date=2026-02-30"), 400, "date");
    assertProblem(app.get("/api/v1/dashboard?top=0"), 400, "top");
    assertProblem(app.get("/api/v1/dashboard?top=101"), 400, "top");
    assertProblem(app.send("GET", "/api/v1/orders/" + UUID.randomUUID(), null, "Ordo-Min-Position", "x"), 400,
        "Ordo-Min-Position");
  }
}
