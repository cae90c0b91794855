package dev.ordo.app;

import static dev.ordo.app.OrderingFlowIntegrationTests.await;
import static dev.ordo.app.OrderingFlowIntegrationTests.awaitStatus;
import static dev.ordo.app.OrderingFlowIntegrationTests.newProduct;
import static dev.ordo.app.OrderingFlowIntegrationTests.order;
import static dev.ordo.app.OrderingFlowIntegrationTests.orderBody;
import static dev.ordo.app.OrderingFlowIntegrationTests.product;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.command.CommandBus;
import dev.ordo.ordering.order.Order;
import dev.ordo.ordering.order.OrderStatus;
import dev.ordo.test.TestPostgres;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

/**
 * The fulfilment process's proofs (issue "Ordering", deliverables 2 and 3): under concurrency stock
 * is sold exactly once and never below zero; killed between its steps it resumes on the next start
 * and never reserves or releases twice; payment deadlines survive a restart.
 */
class OrderingProofsIntegrationTests {

  @Test
  void aHundredConcurrentOrdersForTenUnitsSellExactlyTen() throws Exception {
    try (var app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase())) {
      String store = app.send("POST", "/api/v1/stores", "{\"name\":\"Rush Mart\"}").createdId();
      String category = app.send("POST", "/api/v1/categories", "{\"name\":\"한정판\"}").createdId();
      String product = newProduct(app, store, category, "한정판 운동화", 199_000, 10);

      ExecutorService clients = Executors.newFixedThreadPool(32);
      List<Future<String>> placing = new ArrayList<>();
      for (int i = 0; i < 100; i++) {
        String user = "user-" + i;
        placing.add(clients.submit(() -> app.send("POST", "/api/v1/orders", orderBody(user, false, product, 1))
            .createdId()));
      }
      List<String> orders = new ArrayList<>();
      for (Future<String> f : placing) {
        orders.add(f.get(60, TimeUnit.SECONDS));
      }
      clients.shutdown();
      await("every order reserved or rejected", () -> orders.stream()
          .allMatch(id -> order(app, id).status() != OrderStatus.PLACED));

      Map<OrderStatus, List<String>> byStatus = orders.stream()
          .collect(Collectors.groupingBy(id -> order(app, id).status()));
      assertThat(byStatus.get(OrderStatus.RESERVED)).hasSize(10);
      assertThat(byStatus.get(OrderStatus.REJECTED)).hasSize(90);
      for (String rejected : byStatus.get(OrderStatus.REJECTED)) {
        assertThat(lastEvent(app, rejected).get("reason").asString()).isEqualTo("insufficient-stock");
      }
      assertThat(product(app, product).stock()).isZero();
      assertThat(stockAfters(app, product)).as("stock never below zero").allMatch(stock -> stock >= 0);

      // three of the ten give their stock back; the invariant holds
      for (String cancelled : byStatus.get(OrderStatus.RESERVED).subList(0, 3)) {
        assertThat(app.send("POST", "/api/v1/orders/" + cancelled + "/cancel", "{}").status()).isEqualTo(200);
      }
      await("stock given back", () -> product(app, product).stock() == 3);
      long held = orders.stream().map(id -> order(app, id)).filter(o -> holdsStock(o.status()))
          .mapToLong(o -> o.items().getFirst().quantity()).sum();
      assertThat(product(app, product).stock()).isEqualTo(10 - held);
    }
  }

  @Test
  void killedBetweenItsStepsTheProcessResumesAndNeverReservesOrReleasesTwice() throws Exception {
    String database = TestPostgres.createDatabase();
    String order;
    List<String> products = new ArrayList<>();
    Crash.arm("ReserveStock", 2);
    var first = RunningApp.start(Crash.class, "ordo.db.url=" + database);
    try {
      String store = first.send("POST", "/api/v1/stores", "{\"name\":\"Crash Mart\"}").createdId();
      String category = first.send("POST", "/api/v1/categories", "{\"name\":\"잡화\"}").createdId();
      for (int i = 0; i < 3; i++) {
        products.add(newProduct(first, store, category, "상품 " + i, 1_000, 5));
      }
      order = first.send("POST", "/api/v1/orders", orderBody("erin", false, products.get(0), 1, products.get(1), 2,
          products.get(2), 3)).createdId();
      assertThat(Crash.stopped.await(20, TimeUnit.SECONDS)).as("killed after two reservations").isTrue();
    } finally {
      first.close();
    }
    Crash.arm("ReleaseStock", 1);
    var second = RunningApp.start(Crash.class, "ordo.db.url=" + database);
    try {
      awaitStatus(second, order, OrderStatus.RESERVED);
      assertThat(second.send("POST", "/api/v1/orders/" + order + "/cancel", "{}").status()).isEqualTo(200);
      assertThat(Crash.stopped.await(20, TimeUnit.SECONDS)).as("killed after one release").isTrue();
    } finally {
      second.close();
    }
    Crash.disarm();
    try (var third = RunningApp.start(null, "ordo.db.url=" + database)) {
      for (String product : products) {
        await("stock of " + product + " back", () -> product(third, product).stock() == 5);
        List<String> types = types(third, product);
        assertThat(types.stream().filter("StockReserved"::equals)).as("reserved once").hasSize(1);
        assertThat(types.stream().filter("StockReleased"::equals)).as("released once").hasSize(1);
      }
      Thread.sleep(500);
      for (String product : products) {
        assertThat(product(third, product).stock()).isEqualTo(5);
      }
    }
  }

  @Test
  void paymentDeadlinesSurviveARestartAndAPaymentAMomentBeforeItsDeadlineStands() throws Exception {
    String database = TestPostgres.createDatabase();
    String[] args = {"ordo.db.url=" + database, "ordo.ordering.payment-timeout=4s"};
    String unpaid;
    String paid;
    String product;
    Instant paidDue;
    try (var first = RunningApp.start(null, args)) {
      String store = first.send("POST", "/api/v1/stores", "{\"name\":\"Clock Mart\"}").createdId();
      String category = first.send("POST", "/api/v1/categories", "{\"name\":\"시계\"}").createdId();
      product = newProduct(first, store, category, "손목시계", 50_000, 10);
      unpaid = first.send("POST", "/api/v1/orders", orderBody("frank", false, product, 2)).createdId();
      paid = first.send("POST", "/api/v1/orders", orderBody("grace", false, product, 1)).createdId();
      awaitStatus(first, paid, OrderStatus.RESERVED);
      assertThat(first.send("POST", "/api/v1/orders/" + paid + "/approve", "{}").status()).isEqualTo(200);
      paidDue = order(first, paid).paymentDueAt();
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), paidDue).toMillis() - 400));
      var payment = first.send("POST", "/api/v1/orders/" + paid + "/pay", "{\"method\":\"CARD\"}");
      assertThat(payment.status()).as(payment.body()).isEqualTo(200);
    }
    try (var second = RunningApp.start(null, args)) {
      awaitStatus(second, unpaid, OrderStatus.EXPIRED);
      Order expired = order(second, unpaid);
      JsonNode events = second.get("/api/v1/streams/" + unpaid).json().get("events");
      Instant expiredAt = Instant.parse(events.get(events.size() - 1).get("occurredAt").asString());
      assertThat(expiredAt).as("on time after the restart")
          .isBetween(expired.paymentDueAt(), expired.paymentDueAt().plusSeconds(3));
      await("its stock given back", () -> product(second, product).stock() == 9);
      Thread.sleep(Math.max(0, Duration.between(Instant.now(), paidDue.plusSeconds(2)).toMillis()));
      assertThat(order(second, paid).status()).as("paid before the deadline: never expires")
          .isIn(OrderStatus.PAID, OrderStatus.SHIPPED);
      assertThat(product(second, product).stock()).isEqualTo(9);
    }
  }

  private static boolean holdsStock(OrderStatus status) {
    return switch (status) {
      case RESERVED, APPROVED, PAID, SHIPPED, DELIVERED -> true;
      default -> false;
    };
  }

  private static JsonNode lastEvent(RunningApp app, String stream) {
    JsonNode events = app.get("/api/v1/streams/" + stream).json().get("events");
    return events.get(events.size() - 1).get("data");
  }

  private static List<Long> stockAfters(RunningApp app, String product) {
    List<Long> stocks = new ArrayList<>();
    app.get("/api/v1/streams/" + product).json().get("events").forEach(e -> {
      if (e.get("data").has("stockAfter")) {
        stocks.add(e.get("data").get("stockAfter").asLong());
      }
    });
    return stocks;
  }

  private static List<String> types(RunningApp app, String stream) {
    List<String> types = new ArrayList<>();
    app.get("/api/v1/streams/" + stream).json().get("events").forEach(e -> types.add(e.get("type").asString()));
    return types;
  }

  /**
   * Stops the process dead after its {@code after}-th command of one type took effect, as a kill
   * would: the command is done, the process's checkpoint has not moved, and nothing more runs
   * until the application is closed.
   */
  @Configuration(proxyBeanMethods = false)
  static class Crash {

    static volatile String type;
    static volatile int after;
    static final AtomicInteger seen = new AtomicInteger();
    static volatile CountDownLatch stopped = new CountDownLatch(1);

    static void arm(String commandType, int afterCommands) {
      type = commandType;
      after = afterCommands;
      seen.set(0);
      stopped = new CountDownLatch(1);
    }

    static void disarm() {
      type = null;
    }

    @Bean
    static BeanPostProcessor crashingBus() {
      return new BeanPostProcessor() {
        @Override
        public Object postProcessAfterInitialization(Object bean, String name) {
          if (bean instanceof CommandBus bus) {
            bus.intercept((command, next) -> {
              var result = next.proceed(command);
              if (command.command().getClass().getSimpleName().equals(type) && seen.incrementAndGet() >= after) {
                stopped.countDown();
                try {
                  Thread.sleep(Long.MAX_VALUE);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                throw new IllegalStateException("killed");
              }
              return result;
            });
          }
          return bean;
        }
      };
    }
  }

}
