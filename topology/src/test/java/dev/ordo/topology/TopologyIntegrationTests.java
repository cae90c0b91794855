package dev.ordo.topology;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole distributed topology on this machine, on free ports in a temporary directory, and an
 * order walked from the catalog to its delivery through the gateway's port only: the catalog,
 * order, dispatch and delivery services and the read-model service each in its own JVM and
 * databases, talking through Kafka. Needs {@code app/target/ordo-app.jar} and
 * {@code gateway/target/ordo-gateway.jar} ({@code ./mvnw -pl app,gateway,topology -am install -DskipTests}).
 */
@Timeout(600)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TopologyIntegrationTests {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final Duration STEP = Duration.ofSeconds(30);

  @TempDir
  static Path directory;
  private static Topology topology;
  private static URI gateway;

  @BeforeAll
  static void start() {
    topology = Topology.start(Options.defaults()
        .withDirectory(directory)
        .withJars(Path.of(System.getProperty("ordo.app.jar")), Path.of(System.getProperty("ordo.gateway.jar")))
        .withPorts(Ports.free())
        .withProgress(line -> System.out.println("[topology] " + line)));
    System.out.println("[topology] up in " + topology.startupTime().toMillis() + " ms on "
        + Runtime.getRuntime().availableProcessors() + " cores");
    System.out.print(topology.table());
    gateway = topology.url(Topology.GATEWAY);
  }

  @AfterAll
  static void stop() {
    if (topology != null) {
      topology.close();
    }
  }

  @Test
  @Order(1)
  void everyServiceIsUpAndAnswersHealthy() {
    for (Service service : topology.services()) {
      assertThat(service.running()).as(service.name()).isTrue();
      assertThat(service.healthy()).as(service.name() + "\n" + service.logTail(20)).isTrue();
    }
    assertThat(topology.broker().running()).isTrue();
    assertThat(topology.broker().pid()).isPositive();
    assertThat(topology.postgres().running()).isTrue();
    assertThat(topology.postgres().pid()).isPositive();
  }

  @Test
  @Order(2)
  void aSecondTopologyOnTheSameDirectoryIsRefusedAndLeavesTheFirstRunning() {
    assertThatThrownBy(() -> Topology.start(Options.defaults().withDirectory(directory).withPorts(Ports.free())))
        .hasMessageContaining("another topology runs on " + topology.directory());
    assertThat(topology.service(Topology.GATEWAY).healthy()).isTrue();
  }

  @Test
  @Order(3)
  void anOrderGoesFromTheCatalogToItsDeliveryThroughTheGateway() {
    String store = created(send("POST", "/api/v1/stores", "{\"name\":\"Topology Mart\"}"), "catalog");
    String category = created(send("POST", "/api/v1/categories", "{\"name\":\"전자제품\"}"), "catalog");
    String product = created(send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"갤럭시 S25","price":1200000,"stockQuantity":20}"""
        .formatted(store, category)), "catalog");

    // the order service prices from its own copy of the catalog, which comes through Kafka: until
    // then it does not know the product
    String orderBody = """
        {"userId":"kim","items":[{"productId":"%s","quantity":2}],"shippingAddress":{"recipient":"김철수",
         "phone":"010-1234-5678","address":"서울시 강남구 테헤란로 1","zipCode":"06236","express":false}}"""
        .formatted(product);
    Answer placed = send("POST", "/api/v1/orders", orderBody);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (placed.status() == 422 && "unknown-product".equals(placed.json().path("rule").asString())
        && System.nanoTime() < deadline) {
      pause();
      placed = send("POST", "/api/v1/orders", orderBody);
    }
    String order = created(placed, "order", "catalog");
    String token = placed.header("Ordo-Token");
    assertThat(token).as(placed.describe()).isEqualTo(order + "@1");

    // read your write on another service, through the gateway
    Answer read = send("GET", "/api/v1/orders/" + order, null, "Ordo-Min-Position", token);
    expect(read, 200, "read-model", "order");
    assertThat(read.header("Ordo-Consistent")).as(read.describe() + logs("read-model")).isEqualTo("true");
    assertThat(read.json().get("totalAmount").asLong()).isEqualTo(2_400_000);

    awaitOrder(order, "the catalog reserving the stock", o -> "RESERVED".equals(o.path("status").asString()),
        "catalog", "order", "read-model");
    expect(send("POST", "/api/v1/orders/" + order + "/approve", null), 200, "order");
    expect(send("POST", "/api/v1/orders/" + order + "/pay", "{\"method\":\"CARD\"}"), 200, "order");

    JsonNode paid = awaitOrder(order, "a dispatch opened for the payment",
        o -> !o.path("dispatch").path("id").isMissingNode() && !o.path("dispatch").path("id").isNull(),
        "dispatch", "order", "read-model");
    String dispatch = paid.get("dispatch").get("id").asString();
    await("GET /api/v1/dispatches/" + dispatch + " answering 200",
        () -> send("GET", "/api/v1/dispatches/" + dispatch, null).status() == 200, "dispatch", "read-model");
    expect(send("POST", "/api/v1/dispatches/" + dispatch + "/assign", "{\"riderId\":\"rider-1\"}"), 200, "dispatch");
    expect(send("POST", "/api/v1/dispatches/" + dispatch + "/accept", null), 200, "dispatch");
    expect(send("POST", "/api/v1/dispatches/" + dispatch + "/pickup", null), 200, "dispatch");

    JsonNode shipped = awaitOrder(order, "a delivery started by the pick-up",
        o -> !o.path("delivery").path("id").isMissingNode() && !o.path("delivery").path("id").isNull(),
        "delivery", "dispatch", "order", "read-model");
    String delivery = shipped.get("delivery").get("id").asString();
    expect(send("POST", "/api/v1/deliveries/" + delivery + "/location", "{\"lat\":37.5,\"lon\":127.0}"), 200,
        "delivery");
    expect(send("POST", "/api/v1/deliveries/" + delivery + "/complete", null), 200, "delivery");

    JsonNode delivered = awaitOrder(order, "the order delivered",
        o -> "DELIVERED".equals(o.path("status").asString()), "order", "delivery", "read-model");
    assertThat(delivered.get("paymentStatus").asString()).isEqualTo("PAID");
    assertThat(delivered.get("dispatch").get("riderId").asString()).isEqualTo("rider-1");
    assertThat(delivered.get("delivery").get("status").asString()).isEqualTo("COMPLETED");
  }

  /**
   * Seed 003 phase 4: with the read-model service down, the gateway answers the critical queries
   * from the write service that owns them, and only those.
   */
  @Test
  @Order(10)
  void theReadModelServiceDownTheGatewayAnswersCriticalQueriesFromTheWriteService() {
    String order = reservedOrder("폴백 스토어", "lee");
    topology.service("read-model").stop();
    try {
      Answer answer = expect(send("GET", "/api/v1/orders/" + order, null), 200, "gateway", "order");
      assertThat(answer.json().get("status").asString()).isEqualTo("RESERVED");
      Answer listing = send("GET", "/api/v1/orders?userId=lee", null);
      assertThat(listing.status()).as(listing.describe()).isEqualTo(503);
      assertThat(listing.header("Content-Type")).startsWith("application/problem+json");
      assertThat(listing.header("Retry-After")).isNotBlank();
      assertThat(send("GET", "/actuator/prometheus", null).response().body())
          .containsPattern("ordo_gateway_fallback_total\\{[^}]*route=\"order-query\"[^}]*\\} [1-9]");
    } finally {
      topology.service("read-model").start();
    }
    awaitOrder(order, "the read-model service answering again", o -> "RESERVED".equals(o.path("status").asString()),
        "read-model");
  }

  /**
   * Seed 003 phase 4: a write service down opens its route's circuit, so commands to it are
   * answered 503 at once, and the circuit closes again once the service is back.
   */
  @Test
  @Order(11)
  void aWriteServiceDownOpensItsCircuitAndItClosesAfterTheServiceReturns() {
    String store = created(send("POST", "/api/v1/stores", "{\"name\":\"Breaker Mart\"}"), "catalog");
    String rename = "{\"name\":\"Breaker Mart 2\"}";
    topology.service("catalog").stop();
    try {
      for (int i = 0; i < 12; i++) { // the breaker judges after 10 calls
        Answer down = send("POST", "/api/v1/stores/" + store + "/rename", rename);
        assertThat(down.status()).as(down.describe()).isEqualTo(503);
        assertThat(down.header("Retry-After")).isNotBlank();
        assertThat(down.header("Content-Type")).startsWith("application/problem+json");
      }
      long start = System.nanoTime();
      Answer fast = send("POST", "/api/v1/stores/" + store + "/rename", rename);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertThat(fast.status()).isEqualTo(503);
      assertThat(millis).as("an open circuit answers without trying the service").isLessThan(500);
      assertThat(send("GET", "/actuator/prometheus", null).response().body())
          .contains("name=\"catalog-commands\",state=\"open\"} 1.0");
    } finally {
      topology.service("catalog").start();
    }
    // half open after its wait (10 s), closed by the calls that go through
    await("the catalog's circuit closed again",
        () -> send("POST", "/api/v1/stores/" + store + "/rename", rename).status() == 200, "catalog", "gateway");
  }

  /**
   * Seed 000 §9.2: the catalog service killed (SIGKILL) while commands flow and its relay publishes
   * them; started again, it relays from its checkpoint, and the read-model service ends with every
   * event once: none acknowledged is lost, none applied twice.
   */
  @Test
  @Order(12)
  void aWriteServiceKilledWhileItRelaysLosesNothingAndAppliesNothingTwice() throws Exception {
    String store = created(send("POST", "/api/v1/stores", "{\"name\":\"Kill Mart\"}"), "catalog");
    String category = created(send("POST", "/api/v1/categories", "{\"name\":\"생활\"}"), "catalog");
    String product = created(send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"물티슈","price":3000,"stockQuantity":100000}"""
        .formatted(store, category)), "catalog");
    URI catalog = topology.url("catalog");
    var acknowledged = new AtomicInteger();
    var running = new AtomicBoolean(true);
    List<Thread> clients = new ArrayList<>();
    for (int c = 0; c < 4; c++) {
      clients.add(Thread.ofVirtual().start(() -> {
        while (running.get()) {
          try {
            var response = HTTP.send(HttpRequest.newBuilder(catalog.resolve("/api/v1/products/" + product
                    + "/stock-adjustments")).timeout(Duration.ofSeconds(5)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + adminToken())
                .POST(HttpRequest.BodyPublishers.ofString("{\"delta\":-1,\"reason\":\"ORDER\"}")).build(),
                HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() == 200) {
              acknowledged.incrementAndGet();
            }
          } catch (IOException e) {
            pause(); // the service is down
          } catch (InterruptedException e) {
            return;
          }
        }
      }));
    }
    Thread.sleep(2_000);
    topology.service("catalog").kill();
    int beforeKill = acknowledged.get();
    topology.service("catalog").start();
    Thread.sleep(1_000);
    running.set(false);
    for (Thread t : clients) {
      t.join();
    }
    assertThat(beforeKill).as("commands acknowledged before the kill").isPositive();
    JsonNode written = JSON.readTree(HTTP.send(HttpRequest.newBuilder(catalog.resolve("/api/v1/streams/" + product))
        .header("Authorization", "Bearer " + adminToken()).build(), HttpResponse.BodyHandlers.ofString()).body());
    long version = written.get("version").asLong();
    assertThat(version - 1).as("every acknowledged adjustment is in the log").isGreaterThanOrEqualTo(acknowledged.get());
    await("the read-model service holding the product's every event",
        () -> send("GET", "/api/v1/products/" + product, null).json().path("version").asLong() == version,
        "catalog", "read-model");
    JsonNode read = send("GET", "/api/v1/products/" + product, null).json();
    assertThat(read.get("stockQuantity").asLong()).as("each adjustment applied once").isEqualTo(100_000 - (version - 1));
    JsonNode copied = send("GET", "/api/v1/streams/" + product, null).json();
    assertThat(copied.get("events").findValuesAsString("eventId"))
        .containsExactlyElementsOf(written.get("events").findValuesAsString("eventId"));
  }

  /** A product with stock, and an order for it that the catalog has reserved. */
  private static String reservedOrder(String storeName, String user) {
    String store = created(send("POST", "/api/v1/stores", "{\"name\":\"" + storeName + "\"}"), "catalog");
    String category = created(send("POST", "/api/v1/categories", "{\"name\":\"공구\"}"), "catalog");
    String product = created(send("POST", "/api/v1/products", """
        {"storeId":"%s","categoryId":"%s","name":"드릴","price":89000,"stockQuantity":5}"""
        .formatted(store, category)), "catalog");
    String body = """
        {"userId":"%s","items":[{"productId":"%s","quantity":1}],"shippingAddress":{"recipient":"이영희",
         "phone":"010-9876-5432","address":"부산시 해운대구 1","zipCode":"48099","express":false}}"""
        .formatted(user, product);
    Answer placed = send("POST", "/api/v1/orders", body);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (placed.status() == 422 && System.nanoTime() < deadline) {
      pause();
      placed = send("POST", "/api/v1/orders", body);
    }
    String order = created(placed, "order", "catalog");
    awaitOrder(order, "the order reserved", o -> "RESERVED".equals(o.path("status").asString()),
        "catalog", "order", "read-model");
    return order;
  }

  // ---- HTTP through the gateway

  record Answer(String request, int status, HttpResponse<String> response) {

    String header(String name) {
      return response.headers().firstValue(name).orElse(null);
    }

    JsonNode json() {
      return JSON.readTree(response.body());
    }

    String describe() {
      return request + " answered " + status + " " + response.headers().map() + "\n" + response.body();
    }
  }

  private static String token;

  /** An admin's token of the key every service verifies with (made by the first service to start). */
  private static synchronized String adminToken() {
    if (token == null) {
      try {
        RSAKey key = RSAKey.parse(Files.readString(topology.signingKey()));
        var claims = new JWTClaimsSet.Builder().subject("topology-admin").issuer("ordo-local").audience("ordo")
            .expirationTime(new Date(System.currentTimeMillis() + 3_600_000)).claim("roles", List.of("admin"))
            .build();
        var jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        token = jwt.serialize();
      } catch (Exception e) {
        throw new AssertionError("no token of " + topology.signingKey(), e);
      }
    }
    return token;
  }

  private static Answer send(String method, String path, String body, String... headers) {
    var request = HttpRequest.newBuilder(gateway.resolve(path)).timeout(Duration.ofSeconds(20))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    request.header("Authorization", "Bearer " + adminToken());
    try {
      HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(method + " " + path, response.statusCode(), response);
    } catch (IOException e) {
      throw new AssertionError(method + " " + path + " failed: " + e + logs("gateway"), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static Answer expect(Answer answer, int status, String... services) {
    assertThat(answer.status()).as(answer.describe() + logs(services)).isEqualTo(status);
    return answer;
  }

  private static String created(Answer answer, String... services) {
    return expect(answer, 201, services).json().get("id").asString();
  }

  /** The order as the read-model service answers it, once {@code condition} holds. */
  private static JsonNode awaitOrder(String order, String what, Predicate<JsonNode> condition, String... services) {
    JsonNode[] last = new JsonNode[1];
    Answer[] answer = new Answer[1];
    await(what, () -> {
      answer[0] = send("GET", "/api/v1/orders/" + order, null);
      last[0] = answer[0].status() == 200 ? answer[0].json() : null;
      return last[0] != null && condition.test(last[0]);
    }, services, () -> answer[0] == null ? "" : "\nlast answer: " + answer[0].describe());
    return last[0];
  }

  private static void await(String what, java.util.function.BooleanSupplier condition, String... services) {
    await(what, condition, services, () -> "");
  }

  private static void await(String what, java.util.function.BooleanSupplier condition, String[] services,
      java.util.function.Supplier<String> detail) {
    long deadline = System.nanoTime() + STEP.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("waited " + STEP.toSeconds() + " s for " + what + detail.get() + logs(services));
      }
      pause();
    }
  }

  private static void pause() {
    try {
      Thread.sleep(100);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The last lines of each service's log (and the gateway's), for an assertion's message. */
  private static String logs(String... services) {
    return Arrays.stream(services).distinct()
        .map(name -> "\n---- " + name + " (" + topology.service(name).log() + "), last lines:\n"
            + topology.service(name).logTail(30))
        .collect(Collectors.joining()) + "\n---- gateway, last lines:\n" + topology.service(Topology.GATEWAY).logTail(10);
  }
}
