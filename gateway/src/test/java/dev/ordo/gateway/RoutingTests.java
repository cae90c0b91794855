package dev.ordo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each family of requests lands on the service that owns it, and the answer comes back whole. */
class RoutingTests extends GatewayWithBackends {

  private static byte[] gzip(String text) throws java.io.IOException {
    var bytes = new java.io.ByteArrayOutputStream();
    try (var gzip = new java.util.zip.GZIPOutputStream(bytes)) {
      gzip.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return bytes.toByteArray();
  }

  static final String ID = "0f8c5a52-8d1e-4c1b-9a3e-7b2f4c6d8e90";

  static Stream<Arguments> commands() {
    return Stream.of(
        Arguments.of("POST", "/api/v1/stores", catalog),
        Arguments.of("POST", "/api/v1/stores/" + ID + "/rename", catalog),
        Arguments.of("POST", "/api/v1/categories", catalog),
        Arguments.of("PATCH", "/api/v1/products/" + ID, catalog),
        Arguments.of("PUT", "/api/v1/products/" + ID + "/price", catalog),
        Arguments.of("DELETE", "/api/v1/products/" + ID, catalog),
        Arguments.of("POST", "/api/v1/orders", order),
        Arguments.of("POST", "/api/v1/orders/" + ID + "/pay", order),
        Arguments.of("POST", "/api/v1/dispatches/" + ID + "/assign", dispatch),
        Arguments.of("POST", "/api/v1/deliveries/" + ID + "/location", delivery),
        Arguments.of("POST", "/api/v1/projections/product-detail/rebuild", readModel));
  }

  @ParameterizedTest(name = "{0} {1} goes to {2}")
  @MethodSource("commands")
  void aCommandGoesToTheServiceThatOwnsIt(String method, String path, Backend owner) throws Exception {
    owner.answer(call -> new Backend.Answer(201,
        Map.of("Content-Type", "application/json", "Location", "/api/v1/things/1", "ETag", "\"1\""),
        "{\"id\":\"1\",\"version\":1}"));

    HttpResponse<String> response = send(request(path + "?dryRun=false")
        .method(method, BodyPublishers.ofString("{\"name\":\"카페\"}"))
        .header("Content-Type", "application/json")
        .header("X-User-Id", "user-7")
        .header("If-Match", "\"3\""));

    assertThat(owner.calls()).singleElement().satisfies(call -> {
      assertThat(call.method()).isEqualTo(method);
      assertThat(call.path()).isEqualTo(path);
      assertThat(call.query()).isEqualTo("dryRun=false");
      assertThat(call.body()).isEqualTo("{\"name\":\"카페\"}");
      assertThat(call.header("X-User-Id")).isEqualTo("user-7");
      assertThat(call.header("If-Match")).isEqualTo("\"3\"");
      assertThat(call.header("Content-Type")).isEqualTo("application/json");
    });
    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("{\"id\":\"1\",\"version\":1}");
    assertThat(response.headers().firstValue("Location")).hasValue("/api/v1/things/1");
    assertThat(response.headers().firstValue("ETag")).hasValue("\"1\"");
    Stream.of(order, dispatch, delivery, readModel, catalog)
        .filter(other -> other != owner)
        .forEach(other -> assertThat(other.calls()).as(other.name()).isEmpty());
  }

  @ParameterizedTest
  @MethodSource("reads")
  void aReadGoesToTheReadModelService(String pathAndQuery) throws Exception {
    HttpResponse<String> response = get(pathAndQuery);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"service\":\"read-model\"");
    assertThat(readModel.calls()).singleElement().satisfies(call -> {
      assertThat(call.path() + (call.query() == null ? "" : "?" + call.query())).isEqualTo(pathAndQuery);
      assertThat(call.header("Upgrade")).as("HTTP/1.1, no upgrade asked").isNull();
    });
  }

  static Stream<String> reads() {
    return Stream.of("/api/v1/products/" + ID, "/api/v1/products?categoryId=7&sort=price_asc",
        "/api/v1/orders/" + ID, "/api/v1/orders/search?q=%EC%B9%B4%ED%8E%98", "/api/v1/dispatches/" + ID,
        "/api/v1/deliveries/" + ID, "/api/v1/dashboard?period=today", "/api/v1/commands/" + ID);
  }

  @ParameterizedTest
  @MethodSource("writeServices")
  void aCommandStatusGoesToTheServiceNamedInItsLocation(Backend service) throws Exception {
    HttpResponse<String> response = get("/api/v1/commands/" + ID + "?service=" + service.name());

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"service\":\"" + service.name() + "\"");
    assertThat(service.calls()).singleElement()
        .satisfies(call -> assertThat(call.path()).isEqualTo("/api/v1/commands/" + ID));
    assertThat(readModel.calls()).isEmpty();
  }

  static Stream<Backend> writeServices() {
    return Stream.of(order, dispatch, delivery, catalog);
  }

  @Test
  void aBackendsErrorPassesThroughUnchanged() throws Exception {
    String problem = "{\"type\":\"https://ordo.dev/problems/price-increase-over-100-percent\",\"status\":422,"
        + "\"rule\":\"price-increase-over-100-percent\"}";
    catalog.answer(call -> new Backend.Answer(422, Map.of("Content-Type", "application/problem+json"), problem));

    HttpResponse<String> response = send(request("/api/v1/products/" + ID + "/price")
        .PUT(BodyPublishers.ofString("{\"price\":999999}")).header("Content-Type", "application/json"));

    assertThat(response.statusCode()).isEqualTo(422);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).isEqualTo(problem);
  }

  @Test
  void aCompressedAnswerPassesThroughAsTheServiceSentIt() throws Exception {
    byte[] gzipped = gzip("{\"name\":\"카페\"}");
    readModel.answer(call -> new Backend.Answer(200, Map.of("Content-Type", "application/json",
        "Content-Encoding", "gzip"), gzipped));

    HttpResponse<byte[]> response = client.send(request("/api/v1/stores/" + ID)
        .header("Accept-Encoding", "gzip").GET().build(), HttpResponse.BodyHandlers.ofByteArray());

    assertThat(readModel.calls()).singleElement()
        .satisfies(call -> assertThat(call.header("Accept-Encoding")).isEqualTo("gzip"));
    assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
    assertThat(response.body()).isEqualTo(gzipped);
  }

  @Test
  void aRequestWithoutAnIdIsGivenOneThatTheServiceAndTheClientBothSee() throws Exception {
    HttpResponse<String> response = get("/api/v1/products/" + ID);

    String id = response.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(UUID.fromString(id)).isNotNull();
    assertThat(response.headers().allValues("X-Request-Id")).containsExactly(id);
    assertThat(readModel.calls()).singleElement().satisfies(call -> assertThat(call.header("X-Request-Id")).isEqualTo(id));
  }

  @Test
  void aClientsRequestIdIsPassedOnAndReturned() throws Exception {
    HttpResponse<String> response = send(request("/api/v1/orders").POST(BodyPublishers.ofString("{}"))
        .header("X-Request-Id", "client-42"));

    assertThat(response.headers().allValues("X-Request-Id")).containsExactly("client-42");
    assertThat(order.calls()).singleElement().satisfies(call -> assertThat(call.header("X-Request-Id")).isEqualTo("client-42"));
  }

  @Test
  void aRequestIdUnfitForALogIsReplaced() throws Exception {
    HttpResponse<String> response = send(request("/api/v1/orders").POST(BodyPublishers.ofString("{}"))
        .header("X-Request-Id", "x".repeat(200)));

    String id = response.headers().firstValue("X-Request-Id").orElseThrow();
    assertThat(UUID.fromString(id)).isNotNull();
    assertThat(order.calls()).singleElement().satisfies(call -> assertThat(call.header("X-Request-Id")).isEqualTo(id));
  }
}
