package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.test.TestPostgres;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Deny by default, route by route (issue 14): every route the app serves, asked by an anonymous
 * caller, the order's customer, a seller of the store, a seller of another store, the rider the
 * dispatch is assigned to and an admin, answers what the matrix says; a refused command writes
 * nothing. A route the matrix does not name fails the test, so a new one cannot slip in unjudged.
 */
class AccessMatrixIntegrationTests {

  enum Who { ANONYMOUS, CUSTOMER, SELLER, OTHER_SELLER, RIDER, ADMIN }

  /** {@code -1}: let through (any answer but 401, 403 and a 5xx: the route's own rules then speak). */
  private static final int THROUGH = -1;

  private record Row(String method, String pattern, String path, String body, Map<Who, Integer> expected) {}

  private static RunningApp app;
  private static OrderDriver orders;
  private static final Map<Who, String> users = new EnumMap<>(Who.class);
  private static final Map<Who, String> tokens = new EnumMap<>(Who.class);
  private static String s1;
  private static String s2;
  private static String category;
  private static String p1;
  private static String p2;
  private static String o1;
  private static String d1;
  private static String o2;
  private static String v2;
  private static String customersCommand;

  @BeforeAll
  static void start() throws Exception {
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase());
    orders = new OrderDriver(app, "Matrix Mart");
    s1 = orders.store();
    s2 = app.send("POST", "/api/v1/stores", "{\"name\":\"Elsewhere\"}").createdId();
    category = app.send("POST", "/api/v1/categories", "{\"name\":\"Matrix goods\"}").createdId();
    p1 = orders.product("Matrix Lamp", 10_000);
    p2 = orders.product("Matrix Chair", 20_000);
    users.put(Who.CUSTOMER, "c1");
    users.put(Who.SELLER, "seller-1");
    users.put(Who.OTHER_SELLER, "seller-2");
    users.put(Who.RIDER, "rider-1");
    users.put(Who.ADMIN, "admin-1");
    tokens.put(Who.CUSTOMER, app.token("c1", List.of("customer"), List.of()));
    tokens.put(Who.SELLER, app.token("seller-1", List.of("seller"), List.of(s1)));
    tokens.put(Who.OTHER_SELLER, app.token("seller-2", List.of("seller"), List.of(s2)));
    tokens.put(Who.RIDER, app.token("rider-1", List.of("rider"), List.of()));
    tokens.put(Who.ADMIN, app.token("admin-1", List.of("admin"), List.of()));
    // an order paid and waiting for its rider; another on its way with the same rider
    o1 = orders.place("c1", Map.of(p1, 1), false);
    orders.reserve(o1, p1);
    assertThat(orders.approve(o1).status()).isEqualTo(200);
    assertThat(orders.pay(o1, "CARD").status()).isEqualTo(200);
    d1 = orders.openDispatch(o1);
    assertThat(orders.assign(d1, "rider-1").status()).isEqualTo(200);
    o2 = orders.place("c1", Map.of(p1, 2), false);
    v2 = orders.paidAndOnItsWay(o2, "rider-1", List.of(new double[] {37.5, 127.0}), p1);
    // a command of the customer's own, accepted to run later: its status is theirs to read
    var accepted = app.send("POST", "/api/v1/products/" + p1 + "/reviews", "{\"rating\":5}",
        "Authorization", "Bearer " + tokens.get(Who.CUSTOMER), "Prefer", "respond-async");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    customersCommand = accepted.header("location").substring("/api/v1/commands/".length());
    RunningApp.eventually(Duration.ofSeconds(10), () -> assertThat(app.get("/api/v1/commands/" + customersCommand)
        .json().get("status").asString()).isEqualTo("SUCCEEDED"));
    orders.read("/api/v1/orders/" + o2);
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void everyRouteAnswersEachCallerAsTheMatrixSaysAndARefusedCommandWritesNothing() throws Exception {
    List<Row> rows = matrix();
    Set<String> judged = new TreeSet<>();
    rows.forEach(row -> judged.add(row.method() + " " + row.pattern()));
    Set<String> served = served();
    assertThat(served).as("the command routes and the queries").hasSizeGreaterThan(50)
        .contains("PUT /api/v1/products/{id}/price", "GET /api/v1/orders/{id}");
    assertThat(judged).as("routes the matrix does not judge").containsAll(served);

    List<String> wrong = new ArrayList<>();
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
      for (Row row : rows) {
        // the refused first: what the allowed do may change what a later row finds
        List<Who> order = new ArrayList<>(row.expected().keySet());
        order.sort((a, b) -> Boolean.compare(row.expected().get(a) == THROUGH, row.expected().get(b) == THROUGH));
        for (Who who : order) {
          int expected = row.expected().get(who);
          long writtenBefore = written(who);
          int status = status(http, row, who);
          boolean right = expected == THROUGH ? status != 401 && status != 403 && status < 500 : status == expected;
          if (!right) {
            wrong.add(row.method() + " " + row.path() + " as " + who + ": " + status + ", not "
                + (expected == THROUGH ? "let through" : expected));
          }
          if (expected != THROUGH && !row.method().equals("GET")) {
            assertThat(written(who)).as("events written by a refused " + who + " at " + row.method() + " " + row.path())
                .isEqualTo(writtenBefore);
          }
        }
      }
    }
    assertThat(wrong).isEmpty();
  }

  @Test
  void aRefusedCommandAcceptedToRunLaterFailsWith403AndChangesNothing() {
    var accepted = app.send("POST", "/api/v1/stores/" + s1 + "/rename", "{\"name\":\"Taken Over\"}",
        "Authorization", "Bearer " + tokens.get(Who.OTHER_SELLER), "Prefer", "respond-async");
    assertThat(accepted.status()).as(accepted.body()).isEqualTo(202);
    String status = accepted.header("location");
    RunningApp.eventually(Duration.ofSeconds(10), () -> {
      var answer = app.send("GET", status, null, "Authorization", "Bearer " + tokens.get(Who.OTHER_SELLER));
      assertThat(answer.json().get("status").asString()).isEqualTo("FAILED");
      assertThat(answer.json().get("problem").get("status").asInt()).isEqualTo(403);
    });
    assertThat(app.get("/api/v1/stores/" + s1).json().get("name").asString()).isNotEqualTo("Taken Over");
    // and another's command's status is not theirs to read
    assertThat(app.send("GET", status, null, "Authorization", "Bearer " + tokens.get(Who.CUSTOMER)).status())
        .isEqualTo(404);
  }

  @Test
  void anAdminSeesWhatAnActorDidAcrossStreamsInLogOrder() {
    var price = app.send("PUT", "/api/v1/products/" + p1 + "/price", "{\"price\":12000,\"reason\":\"audit\"}",
        "Authorization", "Bearer " + tokens.get(Who.SELLER));
    assertThat(price.status()).as(price.body()).isEqualTo(200);
    var history = app.send("GET", "/api/v1/actors/seller-1/history?limit=1000", null,
        "Authorization", "Bearer " + tokens.get(Who.ADMIN));
    assertThat(history.status()).as(history.body()).isEqualTo(200);
    var events = history.json().get("events");
    assertThat(events.size()).isPositive();
    long previous = 0;
    for (var event : events) {
      assertThat(event.get("metadata").get("actor").asString()).isEqualTo("seller-1");
      assertThat(event.get("position").asLong()).isGreaterThan(previous);
      previous = event.get("position").asLong();
    }
    assertThat(events.findValuesAsString("type")).contains("PriceChanged");
    assertThat(history.json().get("next").asLong()).isEqualTo(previous);
    // paged: after the last one, nothing more
    assertThat(app.send("GET", "/api/v1/actors/seller-1/history?after=" + previous, null,
        "Authorization", "Bearer " + tokens.get(Who.ADMIN)).json().get("events").size()).isZero();
    assertThat(app.send("GET", "/api/v1/actors/nobody-at-all/history", null,
        "Authorization", "Bearer " + tokens.get(Who.ADMIN)).json().get("events").size()).isZero();
  }

  private static List<Row> matrix() {
    String product = "{\"storeId\":\"%s\",\"categoryId\":\"%s\",\"name\":\"Matrix New %s\",\"price\":1000,\"stockQuantity\":5}";
    String order = """
        {"userId":"c1","items":[{"productId":"%s","quantity":1}],"shippingAddress":{"recipient":"Kim",
         "phone":"010-1234-5678","address":"Seoul","zipCode":"04524"}}""".formatted(p1);
    String unknown = UUID.randomUUID().toString();
    List<Row> rows = new ArrayList<>();
    // catalog commands: admins, and sellers of the product's store; customers review
    rows.add(row("POST", "/api/v1/stores", "/api/v1/stores", "{\"name\":\"New Store\"}", "401 403 403 403 403 ok"));
    rows.add(row("POST", "/api/v1/stores/{id}/rename", "/api/v1/stores/" + s1 + "/rename", "{\"name\":\"Matrix Mart 2\"}",
        "401 403 ok 403 403 ok"));
    rows.add(row("POST", "/api/v1/categories", "/api/v1/categories", "{\"name\":\"New Goods\"}", "401 403 403 403 403 ok"));
    rows.add(row("POST", "/api/v1/categories/{id}/rename", "/api/v1/categories/" + category + "/rename",
        "{\"name\":\"Matrix goods 2\"}", "401 403 403 403 403 ok"));
    rows.add(row("POST", "/api/v1/products", "/api/v1/products", product.formatted(s1, category, "a"),
        "401 403 ok 403 403 ok"));
    rows.add(row("PATCH", "/api/v1/products/{id}", "/api/v1/products/" + p1, "{\"description\":\"bright\"}",
        "401 403 ok 403 403 ok"));
    rows.add(row("PUT", "/api/v1/products/{id}/price", "/api/v1/products/" + p1 + "/price",
        "{\"price\":11000,\"reason\":\"matrix\"}", "401 403 ok 403 403 ok"));
    rows.add(row("POST", "/api/v1/products/{id}/stock-adjustments", "/api/v1/products/" + p1 + "/stock-adjustments",
        "{\"delta\":1,\"reason\":\"MANUAL_ADJUSTMENT\"}", "401 403 ok 403 403 ok"));
    rows.add(row("POST", "/api/v1/products/{id}/hide", "/api/v1/products/" + p2 + "/hide", null, "401 403 ok 403 403 ok"));
    rows.add(row("POST", "/api/v1/products/{id}/restore", "/api/v1/products/" + p2 + "/restore", null,
        "401 403 ok 403 403 ok"));
    rows.add(row("POST", "/api/v1/products/{id}/reviews", "/api/v1/products/" + p1 + "/reviews",
        "{\"rating\":4,\"comment\":\"fine\"}", "401 ok 403 403 403 ok"));
    rows.add(row("DELETE", "/api/v1/products/{id}", "/api/v1/products/" + p2, null, "401 403 ok 403 403 ok"));
    // catalog queries: public, but a product's audit trail
    for (String[] query : new String[][] {
        {"/api/v1/stores/{id}", "/api/v1/stores/" + s1},
        {"/api/v1/categories", "/api/v1/categories"},
        {"/api/v1/categories/{id}", "/api/v1/categories/" + category},
        {"/api/v1/products", "/api/v1/products?storeId=" + s1},
        {"/api/v1/products/{id}", "/api/v1/products/" + p1},
        {"/api/v1/products/{id}/price-history", "/api/v1/products/" + p1 + "/price-history"},
        {"/api/v1/products/{id}/reviews", "/api/v1/products/" + p1 + "/reviews"},
        {"/api/v1/products/{id}/related", "/api/v1/products/" + p1 + "/related"},
        {"/api/v1/products/search", "/api/v1/products/search?q=Matrix"},
        {"/api/v1/products/suggest", "/api/v1/products/suggest?q=Mat"},
        {"/api/v1/products/stream", "/api/v1/products/stream"},
        {"/api/v1/search/popular", "/api/v1/search/popular"}}) {
      rows.add(row("GET", query[0], query[1], null, "ok ok ok ok ok ok"));
    }
    rows.add(row("GET", "/api/v1/products/{id}/history", "/api/v1/products/" + p1 + "/history", null,
        "401 403 ok 403 403 ok"));
    // orders: the customer places, pays and cancels their own; the store's seller approves and ships
    rows.add(row("POST", "/api/v1/orders", "/api/v1/orders", order, "401 ok 403 403 403 ok"));
    rows.add(row("POST", "/api/v1/orders/{id}/approve", "/api/v1/orders/" + o1 + "/approve", null,
        "401 403 ok 403 403 ok"));
    rows.add(row("POST", "/api/v1/orders/{id}/pay", "/api/v1/orders/" + o1 + "/pay", "{\"method\":\"CARD\"}",
        "401 ok 403 403 403 ok"));
    rows.add(row("POST", "/api/v1/orders/{id}/ship", "/api/v1/orders/" + o1 + "/ship", "{\"trackingNumber\":\"T-1\"}",
        "401 403 ok 403 403 ok"));
    // dispatches and deliveries: admins assign, the assigned rider does the rest
    rows.add(row("POST", "/api/v1/dispatches/{id}/assign", "/api/v1/dispatches/" + d1 + "/assign",
        "{\"riderId\":\"rider-1\"}", "401 403 403 403 403 ok"));
    rows.add(row("POST", "/api/v1/dispatches/{id}/accept", "/api/v1/dispatches/" + d1 + "/accept", null,
        "401 403 403 403 ok ok"));
    rows.add(row("POST", "/api/v1/dispatches/{id}/decline", "/api/v1/dispatches/" + d1 + "/decline",
        "{\"reason\":\"rain\"}", "401 403 403 403 ok ok"));
    rows.add(row("POST", "/api/v1/dispatches/{id}/pickup", "/api/v1/dispatches/" + d1 + "/pickup", null,
        "401 403 403 403 ok ok"));
    rows.add(row("POST", "/api/v1/deliveries/{id}/location", "/api/v1/deliveries/" + v2 + "/location",
        "{\"lat\":37.51,\"lon\":127.01}", "401 403 403 403 ok ok"));
    rows.add(row("POST", "/api/v1/deliveries/{id}/complete", "/api/v1/deliveries/" + v2 + "/complete", null,
        "401 403 403 403 ok ok"));
    rows.add(row("POST", "/api/v1/orders/{id}/cancel", "/api/v1/orders/" + o1 + "/cancel", "{\"reason\":\"matrix\"}",
        "401 ok 403 403 403 ok"));
    rows.add(row("DELETE", "/api/v1/customers/{id}/personal-data", "/api/v1/customers/c9/personal-data", null,
        "401 403 403 403 403 ok"));
    // order queries: the order's customer, its store's sellers, its rider, admins
    rows.add(row("GET", "/api/v1/orders/{id}", "/api/v1/orders/" + o2, null, "401 ok ok 403 ok ok"));
    rows.add(row("GET", "/api/v1/orders/{id}/history", "/api/v1/orders/" + o2 + "/history", null, "401 ok ok 403 ok ok"));
    rows.add(row("GET", "/api/v1/orders", "/api/v1/orders?userId=c1", null, "401 ok 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/orders/search", "/api/v1/orders/search?q=Matrix", null, "401 ok ok ok ok ok"));
    rows.add(row("GET", "/api/v1/orders/stream", "/api/v1/orders/stream?userId=c1", null, "401 ok 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/dispatches/{id}", "/api/v1/dispatches/" + d1, null, "401 403 403 403 ok ok"));
    rows.add(row("GET", "/api/v1/deliveries/{id}", "/api/v1/deliveries/" + v2, null, "401 403 403 403 ok ok"));
    rows.add(row("GET", "/api/v1/dashboard", "/api/v1/dashboard", null, "401 403 403 403 403 ok"));
    // operations: admins; a command's status: whoever sent it (another's is as if there were none)
    rows.add(row("GET", "/api/v1/commands/{commandId}", "/api/v1/commands/" + customersCommand, null,
        "401 ok 404 404 404 ok"));
    rows.add(row("GET", "/api/v1/events", "/api/v1/events?limit=5", null, "401 403 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/streams/{streamId}", "/api/v1/streams/" + o2, null, "401 403 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/actors/{actor}/history", "/api/v1/actors/seller-1/history", null,
        "401 403 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/projections", "/api/v1/projections", null, "401 403 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/projections/{name}", "/api/v1/projections/product_read", null,
        "401 403 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/projections/{name}/dead-letters", "/api/v1/projections/product_read/dead-letters",
        null, "401 403 403 403 403 ok"));
    rows.add(row("POST", "/api/v1/projections/{name}/rebuild", "/api/v1/projections/no-such-projection/rebuild", null,
        "401 403 403 403 403 ok"));
    rows.add(row("POST", "/api/v1/projections/{name}/dead-letters/{id}/retry",
        "/api/v1/projections/product_read/dead-letters/" + unknown + "/retry", null, "401 403 403 403 403 ok"));
    rows.add(row("POST", "/api/v1/projections/{name}/dead-letters/{id}/skip",
        "/api/v1/projections/product_read/dead-letters/" + unknown + "/skip", null, "401 403 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/streams/{streamId}/state", "/api/v1/streams/" + o2 + "/state?version=1", null,
        "401 403 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/flags", "/api/v1/flags", null, "401 403 403 403 403 ok"));
    rows.add(row("PUT", "/api/v1/flags/{family}", "/api/v1/flags/order-detail", "{\"source\":\"read-model\"}",
        "401 403 403 403 403 ok"));
    rows.add(row("POST", "/api/v1/verifications", "/api/v1/verifications", "{\"readModel\":\"order_read\"}",
        "401 403 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/verifications", "/api/v1/verifications", null, "401 403 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/verifications/{id}", "/api/v1/verifications/" + unknown, null,
        "401 403 403 403 403 ok"));
    // legacy imports: admins; an admin's bad URL is a 400 before anything connects
    rows.add(row("POST", "/api/v1/imports", "/api/v1/imports",
        "{\"url\":\"jdbc:mysql://legacy/shop\",\"user\":\"u\",\"password\":\"p\"}", "401 403 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/imports", "/api/v1/imports", null, "401 403 403 403 403 ok"));
    rows.add(row("GET", "/api/v1/imports/{id}", "/api/v1/imports/" + unknown, null, "401 403 403 403 403 ok"));
    rows.add(row("POST", "/api/v1/imports/{id}/cancel", "/api/v1/imports/" + unknown + "/cancel", null,
        "401 403 403 403 403 ok"));
    // actuator: health and metrics for probes and scrapers, the rest for admins
    rows.add(row("GET", "/actuator/health", "/actuator/health", null, "ok ok ok ok ok ok"));
    rows.add(row("GET", "/actuator/prometheus", "/actuator/prometheus", null, "ok ok ok ok ok ok"));
    rows.add(row("GET", "/actuator/info", "/actuator/info", null, "401 403 403 403 403 ok"));
    // the API's documentation: public
    rows.add(row("GET", "/v3/api-docs", "/v3/api-docs", null, "ok ok ok ok ok ok"));
    rows.add(row("GET", "/v3/api-docs.yaml", "/v3/api-docs.yaml", null, "ok ok ok ok ok ok"));
    rows.add(row("GET", "/v3/api-docs/swagger-config", "/v3/api-docs/swagger-config", null, "ok ok ok ok ok ok"));
    rows.add(row("GET", "/swagger-ui.html", "/swagger-ui.html", null, "ok ok ok ok ok ok"));
    rows.add(row("GET", "/swagger-ui/**", "/swagger-ui/index.html", null, "ok ok ok ok ok ok"));
    // a path nobody allows
    rows.add(row("GET", "/api/v1/nothing", "/api/v1/nothing", null, "401 403 403 403 403 403"));
    return rows;
  }

  private static Row row(String method, String pattern, String path, String body, String expected) {
    String[] answers = expected.split(" ");
    Map<Who, Integer> byWho = new EnumMap<>(Who.class);
    for (Who who : Who.values()) {
      String answer = answers[who.ordinal()];
      byWho.put(who, answer.equals("ok") ? THROUGH : Integer.parseInt(answer));
    }
    return new Row(method, pattern, path, body, byWho);
  }

  /** Every method and path pattern the app's controllers and command endpoint serve. */
  private static Set<String> served() {
    var mappings = app.context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    Set<String> routes = new TreeSet<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      for (String pattern : info.getPatternValues()) {
        if (pattern.equals("/error")) {
          continue;
        }
        assertThat(info.getMethodsCondition().getMethods()).as(pattern + " takes every method").isNotEmpty();
        info.getMethodsCondition().getMethods().forEach(method -> routes.add(method.name() + " " + pattern));
      }
    }
    return routes;
  }

  /** The status only: a stream's answer is not waited for to its end. */
  private static int status(HttpClient http, Row row, Who who) throws Exception {
    var request = HttpRequest.newBuilder(app.uri(row.path())).timeout(Duration.ofSeconds(20))
        .method(row.method(), row.body() == null ? HttpRequest.BodyPublishers.noBody()
            : HttpRequest.BodyPublishers.ofString(row.body()));
    if (row.body() != null) {
      request.header("Content-Type", "application/json");
    }
    if (who != Who.ANONYMOUS) {
      request.header("Authorization", "Bearer " + tokens.get(who));
    }
    HttpResponse<InputStream> response = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofInputStream())
        .get(20, TimeUnit.SECONDS);
    try (InputStream body = response.body()) {
      if (response.statusCode() == 401 || response.statusCode() == 403) {
        assertThat(response.headers().firstValue("Content-Type")).as(row.path()).contains("application/problem+json");
      }
    }
    return response.statusCode();
  }

  /** Events whose actor is the caller's user: what a refused command must not add to. */
  private static long written(Who who) throws Exception {
    if (who == Who.ANONYMOUS) {
      return 0;
    }
    try (Connection connection = app.bean(DataSource.class).getConnection();
        PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM events WHERE metadata ->> 'actor' = ?")) {
      count.setString(1, users.get(who));
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }
}
