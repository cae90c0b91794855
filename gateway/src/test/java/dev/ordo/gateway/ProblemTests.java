package dev.ordo.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

/** The gateway's own errors are problem details (RFC 9457), with no stack trace in them. */
class ProblemTests extends GatewayWithBackends {

  @Test
  void aPathNoRouteTakesIsA404Problem() throws Exception {
    HttpResponse<String> response = get("/api/v2/orders");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("\"status\":404").contains("\"title\":\"Not Found\"")
        .contains("\"instance\":\"/api/v2/orders\"");
    assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
  }

  @Test
  void aMethodNoRouteTakesIsA404Problem() throws Exception {
    HttpResponse<String> response = send(request("/api/v1/dashboard").POST(BodyPublishers.ofString("{}")));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(readModel.calls()).isEmpty();
  }

  @Test
  void aMethodAGatewayEndpointDoesNotTakeIsA405Problem() throws Exception {
    HttpResponse<String> response = send(request("/actuator/health").DELETE());

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("\"status\":405");
  }

  @Test
  void theUnavailableAnswerIsNoPublicRoute() throws Exception {
    HttpResponse<String> response = get("/gateway/unavailable/order");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
  }

  @Test
  void theErrorPageIsAProblemToo() throws Exception {
    HttpResponse<String> response = get("/error");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
    assertThat(response.body()).contains("\"status\":404").doesNotContain("trace");
  }
}
