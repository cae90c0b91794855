package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.ordering.order.OrderEvent;
import dev.ordo.ordering.order.OrderItem;
import dev.ordo.ordering.order.PaymentMethod;
import dev.ordo.ordering.order.ShippingAddress;
import dev.ordo.test.TestPostgres;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code GET /dashboard} on a database of its own, so every figure is exact: orders and statuses by
 * the Seoul day they were placed, revenue (payments less refunds), the average order value and
 * the products sold by the day the money moved, and the trend against the days before.
 */
class OrderDashboardIntegrationTests {

  private static final ZoneId SEOUL = ZoneId.of("Asia/Seoul");

  @Test
  void theDashboardCountsOrdersStatusesRevenueAndTopProductsAgainstThePreviousPeriod() {
    // the figures are per Seoul day: a run across Seoul's midnight would count on two days
    var now = java.time.ZonedDateTime.now(SEOUL);
    org.junit.jupiter.api.Assumptions.assumeTrue(now.getHour() < 23 || now.getMinute() < 58,
        "not within two minutes of midnight in Seoul");
    // the test sends the fulfilment process's commands itself, each at the moment it chooses
    try (RunningApp app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.processes.enabled=false")) {
      OrderDriver orders = new OrderDriver(app, "Dashboard Mart");
      String p1 = orders.product("One", 10_000);
      String p2 = orders.product("Two", 25_000);
      String p3 = orders.product("Three", 3_000);

      String a = orders.place("u1", Map.of(p1, 2, p2, 1), false); // 45,000, paid
      orders.reserve(a, p1, p2);
      orders.approve(a);
      orders.pay(a, "CARD");
      String b = orders.place("u2", Map.of(p2, 1), false); // 25,000, paid, then cancelled: refunded
      orders.reserve(b, p2);
      orders.approve(b);
      orders.pay(b, "BANK_TRANSFER");
      assertThat(orders.cancel(b, "no longer needed").status()).isEqualTo(200);
      String c = orders.place("u3", Map.of(p3, 5), true); // 15,000, paid
      orders.reserve(c, p3);
      orders.approve(c);
      orders.pay(c, "CARD");
      orders.place("u4", Map.of(p1, 1), false); // 10,000, placed
      String e = orders.place("u5", Map.of(p3, 1), false); // 3,000, rejected
      orders.reject(e, p3, "insufficient-stock");
      String f = orders.place("u6", Map.of(p1, 1), false); // 10,000, reserved, then cancelled unpaid
      orders.reserve(f, p1);
      orders.cancel(f, "wrong size");
      LocalDate today = LocalDate.now(SEOUL);
      // paid yesterday (the time of payment is the event's): the previous day's revenue
      paidEarlier(app, orders, p1, Instant.now().minus(1, ChronoUnit.DAYS));

      JsonNode day = orders.read("/api/v1/dashboard?period=today").json();
      assertThat(day.get("period").asString()).isEqualTo("today");
      assertThat(day.get("timeZone").asString()).isEqualTo("Asia/Seoul");
      assertThat(day.get("from").asString()).isEqualTo(today.toString());
      assertThat(day.get("to").asString()).isEqualTo(today.toString());
      assertThat(day.get("orders").asLong()).isEqualTo(7);
      assertThat(day.get("orderedAmount").asLong()).isEqualTo(45_000 + 25_000 + 15_000 + 10_000 + 3_000 + 10_000 + 20_000);
      assertThat(day.get("paidOrders").asLong()).isEqualTo(3);
      assertThat(day.get("paidAmount").asLong()).isEqualTo(85_000);
      assertThat(day.get("refunds").asLong()).isEqualTo(1);
      assertThat(day.get("refundedAmount").asLong()).isEqualTo(25_000);
      assertThat(day.get("revenue").asLong()).isEqualTo(60_000);
      assertThat(day.get("averageOrderValue").asLong()).as("85,000 / 3").isEqualTo(28_333);
      JsonNode byStatus = day.get("byStatus");
      assertThat(byStatus.get("PAID").asLong()).as("a, c and the one paid yesterday").isEqualTo(3);
      assertThat(byStatus.get("CANCELLED").asLong()).isEqualTo(2);
      assertThat(byStatus.get("PLACED").asLong()).isEqualTo(1);
      assertThat(byStatus.get("REJECTED").asLong()).isEqualTo(1);
      assertThat(byStatus.get("RESERVED").asLong()).isZero();
      assertThat(byStatus.get("APPROVED").asLong()).isZero();
      assertThat(byStatus.get("DELIVERED").asLong()).isZero();
      JsonNode top = day.get("topProducts");
      assertThat(top.size()).isEqualTo(3);
      assertThat(top.get(0).get("productId").asString()).isEqualTo(p3);
      assertThat(top.get(0).get("name").asString()).isEqualTo("Three");
      assertThat(top.get(0).get("quantity").asLong()).isEqualTo(5);
      assertThat(top.get(0).get("revenue").asLong()).isEqualTo(15_000);
      assertThat(top.get(1).get("name").asString()).isEqualTo("One");
      assertThat(top.get(1).get("quantity").asLong()).isEqualTo(2);
      assertThat(top.get(1).get("revenue").asLong()).isEqualTo(20_000);
      assertThat(top.get(2).get("name").asString()).isEqualTo("Two");
      assertThat(top.get(2).get("quantity").asLong()).as("two sold, one refunded").isEqualTo(1);
      assertThat(top.get(2).get("revenue").asLong()).isEqualTo(25_000);
      JsonNode previous = day.get("previous");
      assertThat(previous.get("from").asString()).isEqualTo(today.minusDays(1).toString());
      assertThat(previous.get("orders").asLong()).isZero();
      assertThat(previous.get("revenue").asLong()).isEqualTo(20_000);
      JsonNode trend = day.get("trend");
      assertThat(trend.get("orders").get("change").asLong()).isEqualTo(7);
      assertThat(trend.get("orders").get("changePercent").isNull()).as("no percentage from nothing").isTrue();
      assertThat(trend.get("revenue").get("change").asLong()).isEqualTo(40_000);
      assertThat(trend.get("revenue").get("changePercent").asDouble()).isEqualTo(200.0);
      assertThat(trend.get("paidOrders").get("changePercent").asDouble()).isEqualTo(200.0);
      assertThat(trend.get("averageOrderValue").get("previous").asLong()).isEqualTo(20_000);
      assertThat(trend.get("averageOrderValue").get("changePercent").asDouble()).as("28,333 against 20,000")
          .isEqualTo(41.7);

      JsonNode tomorrow = orders.read("/api/v1/dashboard?period=today&date=" + today.plusDays(1)).json();
      assertThat(tomorrow.get("orders").asLong()).isZero();
      assertThat(tomorrow.get("previous").get("orders").asLong()).isEqualTo(7);
      assertThat(tomorrow.get("trend").get("orders").get("changePercent").asDouble()).isEqualTo(-100.0);
      assertThat(tomorrow.get("trend").get("revenue").get("changePercent").asDouble()).isEqualTo(-100.0);
      assertThat(tomorrow.get("topProducts").size()).isZero();

      JsonNode week = orders.read("/api/v1/dashboard?period=week&top=1").json();
      assertThat(week.get("from").asString()).isEqualTo(today.minusDays(6).toString());
      assertThat(week.get("previous").get("to").asString()).isEqualTo(today.minusDays(7).toString());
      assertThat(week.get("orders").asLong()).isEqualTo(7);
      assertThat(week.get("revenue").asLong()).as("yesterday's payment is in the week").isEqualTo(80_000);
      assertThat(week.get("paidOrders").asLong()).isEqualTo(4);
      assertThat(week.get("averageOrderValue").asLong()).as("105,000 / 4").isEqualTo(26_250);
      assertThat(week.get("topProducts").size()).isEqualTo(1);
      assertThat(week.get("topProducts").get(0).get("name").asString()).as("4 of One against 5 of Three")
          .isEqualTo("Three");
      assertThat(week.get("trend").get("revenue").get("changePercent").isNull()).isTrue();
      JsonNode month = orders.read("/api/v1/dashboard?period=month").json();
      assertThat(month.get("from").asString()).isEqualTo(today.minusDays(29).toString());
      assertThat(month.get("revenue").asLong()).isEqualTo(80_000);
    }
  }

  /** An order placed now and paid at {@code paidAt}, appended as the log would hold it. */
  private static void paidEarlier(RunningApp app, OrderDriver orders, String productId, Instant paidAt) {
    String id = UUID.randomUUID().toString();
    var items = List.of(new OrderItem(productId, "One", "store", 10_000, 2));
    var address = new ShippingAddress("임꺽정", "010-0000-0000", "경기도 양주시 1", "11400", false);
    List<OrderEvent> events = List.of(
        new OrderEvent.OrderPlaced(id, "u7", items, 20_000, address, Instant.now().plus(1, ChronoUnit.HOURS)),
        new OrderEvent.ItemReserved(id, productId),
        new OrderEvent.OrderReserved(id),
        new OrderEvent.OrderApproved(id),
        new OrderEvent.OrderPaid(id, PaymentMethod.CARD, 20_000, paidAt));
    var appended = app.bean(EventStore.class).append(id, "order", ExpectedVersion.noStream(),
        events.stream().map(event -> OrderingTypes.ORDER.codec().encode(event, EventMetadata.NONE)).toList());
    orders.saw(appended.position());
  }
}
