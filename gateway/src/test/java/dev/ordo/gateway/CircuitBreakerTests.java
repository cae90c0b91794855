package dev.ordo.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Each route has its own circuit breaker: a service that is down or too slow is answered for with
 * a 503 problem and {@code Retry-After}; after a few failures the breaker opens and the service is
 * not called at all, until the breaker's wait is over and a call through it succeeds.
 */
class CircuitBreakerTests extends GatewayWithBackends {

  @Test
  void aServiceThatIsDownIsAnsweredForWithA503ProblemThatSaysWhenToComeBack() throws Exception {
    catalog.stop();

    HttpResponse<String> response = send(request("/api/v1/stores").POST(BodyPublishers.ofString("{\"name\":\"a\"}"))
        .header("Content-Type", "application/json"));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(response.body())
        .contains("\"type\":\"https://ordo.dev/problems/unavailable\"")
        .contains("\"title\":\"Service unavailable\"")
        .contains("\"status\":503")
        .contains("\"detail\":\"The catalog service cannot be reached.\"")
        .contains("\"instance\":\"/api/v1/stores\"")
        .contains("\"service\":\"catalog\"")
        .doesNotContain("Exception").doesNotContain("at org.");
  }

  @Test
  void theBreakerOpensAfterFailuresThenClosesOnceTheServiceIsBackAndTheWaitIsOver() throws Exception {
    order.stop();
    assertThat(send(orderCommand()).statusCode()).isEqualTo(503);
    assertThat(send(orderCommand()).statusCode()).isEqualTo(503);
    assertThat(breakers.circuitBreaker("order-commands").getState()).isEqualTo(CircuitBreaker.State.OPEN);

    order.reset();
    long start = System.nanoTime();
    HttpResponse<String> whileOpen = send(orderCommand());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(500));
    assertThat(whileOpen.statusCode()).isEqualTo(503);
    assertThat(whileOpen.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(whileOpen.body()).contains("\"detail\":\"The order service is not called for now: too many of the last calls to it failed.\"");
    assertThat(order.calls()).isEmpty();

    await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(200))
        .until(() -> send(orderCommand()).statusCode() == 200);
    assertThat(order.calls()).hasSize(1);
    assertThat(breakers.circuitBreaker("order-commands").getState()).isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void eachRouteHasItsOwnBreaker() throws Exception {
    order.stop();
    send(orderCommand());
    send(orderCommand());
    assertThat(breakers.circuitBreaker("order-commands").getState()).isEqualTo(CircuitBreaker.State.OPEN);
    order.reset();

    HttpResponse<String> status = get("/api/v1/commands/c-1?service=order");

    assertThat(status.statusCode()).isEqualTo(200);
    assertThat(order.calls()).hasSize(1);
  }

  @Test
  void aServiceSlowerThanItsRoutesTimeoutIsAnsweredForWithA503() throws Exception {
    dispatch.answer(call -> {
      try {
        Thread.sleep(2_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return Backend.Answer.of(200, "{}");
    });

    long start = System.nanoTime();
    HttpResponse<String> response = send(request("/api/v1/dispatches/d-1/accept").POST(BodyPublishers.noBody()));

    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(1_500));
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("\"detail\":\"The dispatch service did not answer in time.\"")
        .contains("\"service\":\"dispatch\"");
  }

  private java.net.http.HttpRequest.Builder orderCommand() {
    return request("/api/v1/orders").POST(BodyPublishers.ofString("{}")).header("Content-Type", "application/json");
  }
}
