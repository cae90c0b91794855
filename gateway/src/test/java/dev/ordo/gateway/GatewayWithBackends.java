package dev.ordo.gateway;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The gateway as it runs, on a random port, in front of stand-ins for the five services. Every test
 * class extending this shares one application context and one set of backends; each test starts
 * with every backend up, answering the standard way, and every circuit breaker closed. The breakers
 * here trip after two calls of which one failed and wait one second before they try again.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    "resilience4j.circuitbreaker.configs.default.sliding-window-size=4",
    "resilience4j.circuitbreaker.configs.default.minimum-number-of-calls=2",
    "resilience4j.circuitbreaker.configs.default.wait-duration-in-open-state=1s",
    "resilience4j.circuitbreaker.configs.default.permitted-number-of-calls-in-half-open-state=1",
    "resilience4j.timelimiter.instances.dispatch-commands.timeout-duration=500ms"})
abstract class GatewayWithBackends {

  static final Backend order = Backend.start("order");
  static final Backend dispatch = Backend.start("dispatch");
  static final Backend delivery = Backend.start("delivery");
  static final Backend readModel = Backend.start("read-model");
  static final Backend catalog = Backend.start("catalog");

  static final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @DynamicPropertySource
  static void services(DynamicPropertyRegistry registry) {
    for (Backend backend : List.of(order, dispatch, delivery, readModel, catalog)) {
      registry.add("ordo.gateway.services." + backend.name(), backend::url);
    }
  }

  @LocalServerPort
  int port;

  @Autowired
  CircuitBreakerRegistry breakers;

  @BeforeEach
  void everyServiceUpAndEveryBreakerClosed() {
    List.of(order, dispatch, delivery, readModel, catalog).forEach(Backend::reset);
    breakers.getAllCircuitBreakers().forEach(CircuitBreaker::reset);
  }

  HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery));
  }

  HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String pathAndQuery) throws IOException, InterruptedException {
    return send(request(pathAndQuery).GET());
  }
}
