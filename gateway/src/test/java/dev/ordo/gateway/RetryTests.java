package dev.ordo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * A request is sent again only where a repeat is harmless: a read, or a command the client gave an
 * Idempotency-Key. The gateway never makes up a key of its own.
 */
class RetryTests extends GatewayWithBackends {

  @Test
  void aCommandWithoutAnIdempotencyKeyIsSentOnce() throws Exception {
    order.answer(firstThen(503, 201));

    HttpResponse<String> response = send(payOrder());

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).isEqualTo("{\"answer\":1}");
    assertThat(order.calls()).hasSize(1);
  }

  @Test
  void aCommandWithAnIdempotencyKeyIsSentAgainWithTheSameBodyAndKey() throws Exception {
    order.answer(firstThen(503, 201));

    HttpResponse<String> response = send(payOrder().header("Idempotency-Key", "pay-7"));

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(response.body()).isEqualTo("{\"answer\":2}");
    assertThat(order.calls()).hasSize(2).allSatisfy(call -> {
      assertThat(call.body()).isEqualTo("{\"method\":\"CARD\"}");
      assertThat(call.header("Idempotency-Key")).isEqualTo("pay-7");
    });
  }

  @Test
  void aCommandTooLargeToHoldIsSentOnceEvenWithAKey() throws Exception {
    order.answer(firstThen(503, 201));

    HttpResponse<String> response = send(request("/api/v1/orders").header("Idempotency-Key", "big-1")
        .POST(BodyPublishers.ofString("{\"note\":\"" + "x".repeat(1024 * 1024) + "\"}")));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(order.calls()).hasSize(1);
  }

  @Test
  void aCommandOfUnknownLengthIsSentOnceEvenWithAKey() throws Exception {
    order.answer(firstThen(503, 201));

    HttpResponse<String> response = send(request("/api/v1/orders").header("Idempotency-Key", "chunked-1")
        .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream("{}".getBytes()))));

    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(order.calls()).singleElement().satisfies(call -> assertThat(call.body()).isEqualTo("{}"));
  }

  @Test
  void aReadIsSentAgainAfterA502() throws Exception {
    readModel.answer(firstThen(502, 200));

    HttpResponse<String> response = get("/api/v1/products/p-1");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(readModel.calls()).hasSize(2);
  }

  @Test
  void aReadIsSentAgainWhenTheServiceCouldNotBeConnectedTo() throws Exception {
    readModel.stop();
    Thread restart = Thread.ofVirtual().start(() -> {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      readModel.reset();
    });

    HttpResponse<String> response = get("/api/v1/products/p-1");
    restart.join();

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(readModel.calls()).hasSize(1);
  }

  @Test
  void afterTwoRetriesTheServicesOwnAnswerGoesBack() throws Exception {
    readModel.answer(call -> new Backend.Answer(503, java.util.Map.of("Content-Type", "application/problem+json",
        "Retry-After", "5"), "{\"title\":\"read DB down\"}"));

    HttpResponse<String> response = get("/api/v1/products/p-1");

    assertThat(readModel.calls()).hasSize(3);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
    assertThat(response.body()).isEqualTo("{\"title\":\"read DB down\"}");
  }

  @Test
  void anErrorThatIsNotAboutAvailabilityIsNotRetried() throws Exception {
    readModel.answer(call -> Backend.Answer.of(500, "{}"));

    HttpResponse<String> response = get("/api/v1/products/p-1");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(readModel.calls()).hasSize(1);
  }

  private HttpRequest.Builder payOrder() {
    return request("/api/v1/orders/o-1/pay").POST(BodyPublishers.ofString("{\"method\":\"CARD\"}"))
        .header("Content-Type", "application/json");
  }

  /** The first call answered with one status, every later one with the other; the body numbers the call. */
  private static java.util.function.Function<Backend.Call, Backend.Answer> firstThen(int first, int then) {
    AtomicInteger calls = new AtomicInteger();
    return call -> {
      int n = calls.incrementAndGet();
      return Backend.Answer.of(n == 1 ? first : then, "{\"answer\":" + n + "}");
    };
  }
}
