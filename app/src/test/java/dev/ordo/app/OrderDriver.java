package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandMetadata;
import dev.ordo.command.CommandResult;
import dev.ordo.ordering.Ids;
import dev.ordo.ordering.delivery.DeliveryCommand;
import dev.ordo.ordering.dispatch.DispatchCommand;
import dev.ordo.ordering.order.OrderCommand;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Orders moved through their life in a running app: clients' commands over HTTP, the fulfilment
 * process's (reservations, dispatch, delivery) straight on the command bus, as the process would
 * send them once it runs.
 */
final class OrderDriver {

  private final RunningApp app;
  private final String store;
  private final String category;
  /** The position of the last command: queries wait for it. */
  private long position;

  OrderDriver(RunningApp app, String storeName) {
    this.app = app;
    this.store = app.send("POST", "/api/v1/stores", "{\"name\":\"" + storeName + "\"}").createdId();
    this.category = app.send("POST", "/api/v1/categories", "{\"name\":\"" + storeName + " goods\"}").createdId();
  }

  /** The store the driver's products are in. */
  String store() {
    return store;
  }

  String product(String name, long price) {
    var registered = app.send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"%s","price":%d,"stockQuantity":1000}"""
        .formatted(store, category, name, price));
    return registered.createdId();
  }

  /** Places an order of {@code quantities} (product id to quantity) for {@code user}; its id. */
  String place(String user, Map<String, Integer> quantities, boolean express) {
    return place(user, quantities, express, "홍길동", "서울특별시 중구 세종대로 110");
  }

  String place(String user, Map<String, Integer> quantities, boolean express, String recipient, String address) {
    String items = quantities.entrySet().stream()
        .map(e -> "{\"productId\":\"%s\",\"quantity\":%d}".formatted(e.getKey(), e.getValue()))
        .collect(Collectors.joining(","));
    var placed = app.send("POST", "/api/v1/orders", """
        {"userId":"%s","items":[%s],"shippingAddress":{"recipient":"%s","phone":"010-1234-5678",
         "address":"%s","zipCode":"04524","express":%s}}""".formatted(user, items, recipient, address, express),
        "X-User-Id", user);
    String id = placed.createdId();
    track(placed);
    return id;
  }

  /** The catalog reserved every item: what the fulfilment process sends. */
  void reserve(String orderId, String... productIds) {
    for (String productId : productIds) {
      bus(new OrderCommand.ConfirmReservation(orderId, productId), orderId);
    }
  }

  void reject(String orderId, String productId, String reason) {
    bus(new OrderCommand.RejectOrder(orderId, productId, reason), orderId);
  }

  RunningApp.Response approve(String orderId) {
    return post("/api/v1/orders/" + orderId + "/approve", null, "admin-1");
  }

  RunningApp.Response pay(String orderId, String method) {
    return post("/api/v1/orders/" + orderId + "/pay", "{\"method\":\"" + method + "\"}", "customer");
  }

  RunningApp.Response cancel(String orderId, String reason) {
    return post("/api/v1/orders/" + orderId + "/cancel", "{\"reason\":\"" + reason + "\"}", "customer");
  }

  RunningApp.Response ship(String orderId, String trackingNumber) {
    return post("/api/v1/orders/" + orderId + "/ship", "{\"trackingNumber\":\"" + trackingNumber + "\"}", "seller");
  }

  /** Paid: the process opens the order's dispatch. */
  String openDispatch(String orderId) {
    String dispatchId = Ids.dispatch(orderId);
    bus(new DispatchCommand.OpenDispatch(dispatchId, orderId), dispatchId);
    return dispatchId;
  }

  RunningApp.Response assign(String dispatchId, String riderId) {
    return post("/api/v1/dispatches/" + dispatchId + "/assign", "{\"riderId\":\"" + riderId + "\"}", "dispatcher");
  }

  RunningApp.Response decline(String dispatchId, String reason) {
    return post("/api/v1/dispatches/" + dispatchId + "/decline", "{\"reason\":\"" + reason + "\"}", "rider");
  }

  RunningApp.Response accept(String dispatchId) {
    return post("/api/v1/dispatches/" + dispatchId + "/accept", null, "rider");
  }

  RunningApp.Response pickUp(String dispatchId) {
    return post("/api/v1/dispatches/" + dispatchId + "/pickup", null, "rider");
  }

  /** Picked up: the process starts the delivery. */
  String startDelivery(String orderId, String riderId) {
    String deliveryId = Ids.delivery(orderId);
    bus(new DeliveryCommand.StartDelivery(deliveryId, orderId, Ids.dispatch(orderId), riderId), deliveryId);
    return deliveryId;
  }

  RunningApp.Response locate(String deliveryId, double lat, double lon) {
    return post("/api/v1/deliveries/" + deliveryId + "/location", "{\"lat\":%s,\"lon\":%s}".formatted(lat, lon),
        "rider");
  }

  RunningApp.Response complete(String deliveryId) {
    return post("/api/v1/deliveries/" + deliveryId + "/complete", null, "rider");
  }

  /** Delivered: the process delivers the order. */
  void deliver(String orderId) {
    bus(new OrderCommand.DeliverOrder(orderId), orderId);
  }

  /** A paid order all the way to a delivery under way, its rider located at each of {@code path}'s points. */
  String paidAndOnItsWay(String orderId, String riderId, List<double[]> path, String... productIds) {
    reserve(orderId, productIds);
    assertThat(approve(orderId).status()).isEqualTo(200);
    assertThat(pay(orderId, "CARD").status()).isEqualTo(200);
    String dispatchId = openDispatch(orderId);
    assertThat(assign(dispatchId, riderId).status()).isEqualTo(200);
    assertThat(accept(dispatchId).status()).isEqualTo(200);
    assertThat(pickUp(dispatchId).status()).as("ships the order").isEqualTo(200);
    String deliveryId = startDelivery(orderId, riderId);
    for (double[] point : path) {
      assertThat(locate(deliveryId, point[0], point[1]).status()).isEqualTo(200);
    }
    return deliveryId;
  }

  CommandResult bus(Object command, String aggregateId) {
    CommandResult result = app.bean(CommandBus.class)
        .dispatch(CommandEnvelope.of(command, aggregateId, CommandMetadata.newCommand("process:fulfilment")));
    position = Math.max(position, result.position());
    return result;
  }

  private RunningApp.Response post(String path, String body, String actor) {
    var response = app.send("POST", path, body, "X-User-Id", actor);
    if (response.status() == 200 || response.status() == 201) {
      track(response);
    }
    return response;
  }

  private void track(RunningApp.Response response) {
    saw(Long.parseLong(response.header("ordo-position")));
  }

  /** An event appended around the commands: queries wait for it too. */
  void saw(long eventPosition) {
    position = Math.max(position, eventPosition);
  }

  /** The position of the last command so far, for {@code Ordo-Min-Position}. */
  long position() {
    return position;
  }

  /** A GET that waits for the read models to have applied every command so far. */
  RunningApp.Response read(String path) {
    var response = app.send("GET", path, null, "Ordo-Min-Position", Long.toString(position));
    assertThat(response.header("ordo-consistent")).as(path + " " + response.body()).isEqualTo("true");
    return response;
  }

  static List<String> texts(Iterable<tools.jackson.databind.JsonNode> nodes, String field) {
    List<String> values = new ArrayList<>();
    nodes.forEach(n -> values.add(n.get(field).asString()));
    return values;
  }
}
