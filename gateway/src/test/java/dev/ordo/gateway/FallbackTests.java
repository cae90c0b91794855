package dev.ordo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.gateway.fallback.FallbackFor;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * The critical queries (an order, a dispatch, a delivery by id) are answered by the write service
 * that owns the aggregate when the read-model service cannot answer, and each such answer is
 * counted.
 */
class FallbackTests extends GatewayWithBackends {

  static final String ID = "5b7e2f0a-3c4d-4e5f-8a9b-0c1d2e3f4a5b";

  @Autowired
  MeterRegistry meters;

  @ParameterizedTest
  @CsvSource({"orders, order, order-query", "dispatches, dispatch, dispatch-query", "deliveries, delivery, delivery-query"})
  void aCriticalQueryIsAnsweredByItsWriteServiceWhenTheReadModelIsDown(String collection, String service, String route)
      throws Exception {
    Backend owner = backend(service);
    double before = fallbacks(route);
    readModel.stop();

    HttpResponse<String> response = send(request("/api/v1/" + collection + "/" + ID).GET().header("X-Request-Id", "r-1"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"service\":\"" + service + "\"");
    assertThat(response.headers().allValues("X-Request-Id")).containsExactly("r-1");
    assertThat(owner.calls()).singleElement().satisfies(call -> {
      assertThat(call.method()).isEqualTo("GET");
      assertThat(call.path()).isEqualTo("/api/v1/" + collection + "/" + ID);
      assertThat(call.header("X-Request-Id")).isEqualTo("r-1");
    });
    assertThat(fallbacks(route)).isEqualTo(before + 1);
  }

  @Test
  void aCriticalQueryFallsBackWhenTheReadModelAnswers503() throws Exception {
    readModel.answer(call -> Backend.Answer.of(503, "{\"status\":503}"));
    double before = fallbacks("order-query");

    HttpResponse<String> response = get("/api/v1/orders/" + ID);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"service\":\"order\"");
    assertThat(readModel.calls()).hasSize(1);
    assertThat(fallbacks("order-query")).isEqualTo(before + 1);
  }

  @Test
  void theReadModelAnswersWhenItCan() throws Exception {
    double before = fallbacks("order-query");

    HttpResponse<String> response = get("/api/v1/orders/" + ID);

    assertThat(response.body()).contains("\"service\":\"read-model\"");
    assertThat(order.calls()).isEmpty();
    assertThat(fallbacks("order-query")).isEqualTo(before);
  }

  @Test
  void whenTheWriteServiceIsDownTooTheAnswerIsA503NamingIt() throws Exception {
    readModel.stop();
    order.stop();

    HttpResponse<String> response = get("/api/v1/orders/" + ID);

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(response.body()).contains("\"service\":\"order\"").contains("\"instance\":\"/api/v1/orders/" + ID + "\"");
  }

  @Test
  void aQueryOutsideTheCriticalOnesHasNoFallback() throws Exception {
    readModel.stop();

    HttpResponse<String> response = get("/api/v1/orders?userId=u-1");

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("\"service\":\"read-model\"");
    assertThat(order.calls()).isEmpty();
  }

  @Test
  void theFallbackPathIsNoPublicRoute() throws Exception {
    HttpResponse<String> response = get("/gateway/fallback/orders/" + ID);

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(order.calls()).isEmpty();
  }

  private double fallbacks(String route) {
    Counter counter = meters.find(FallbackFor.METER).tag("route", route).counter();
    return counter == null ? 0 : counter.count();
  }

  private static Backend backend(String name) {
    return switch (name) {
      case "order" -> order;
      case "dispatch" -> dispatch;
      case "delivery" -> delivery;
      default -> throw new IllegalArgumentException(name);
    };
  }
}
