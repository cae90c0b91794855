package dev.ordo.spring.fallback;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.ResponseEntity;

/**
 * The write services a read-model service asks when its read database cannot answer a critical
 * query (seed 003 §4: order status, dispatch status, delivery location), from {@code
 * ordo.fallback.services.<aggregate>=<base URL>}: the same GET, sent to the service that owns the
 * aggregate (which answers from its own read model or its write model), behind a Resilience4j
 * circuit breaker per aggregate. Its answer is passed on with {@code Ordo-Source: write-service};
 * a service down or a breaker open is a 503 with {@code Retry-After}. Without a service for the
 * aggregate the application answers from its own write model ({@code Ordo-Source: write-model}).
 * Each use is counted in {@code ordo.fallback.requests} by aggregate and outcome ({@code answered},
 * {@code failed}, {@code rejected} by the open breaker; {@code write-model}), from the start, so a
 * first use is an increase; the breakers' states are {@code resilience4j.circuitbreaker.state}
 * (name {@code fallback-<aggregate>}) and their calls {@code resilience4j.circuitbreaker.calls}.
 */
public final class WriteServices {

  /** The headers of the write service's answer that mean the same here. */
  private static final List<String> PASSED_ON = List.of("Content-Type", "ETag", "Cache-Control", "Ordo-Consistent");

  private final Map<String, Service> services = new LinkedHashMap<>();
  private final MeterRegistry registry;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
      .version(HttpClient.Version.HTTP_1_1).build();

  private record Service(URI base, CircuitBreaker breaker, Counter answered, Counter failed, Counter rejected) {}

  /** @param services base URL by aggregate type, e.g. {@code order → http://127.0.0.1:8081} */
  public WriteServices(Map<String, String> services, MeterRegistry registry) {
    this.registry = registry;
    CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
        .slidingWindowSize(10).minimumNumberOfCalls(4).failureRateThreshold(50)
        .waitDurationInOpenState(Duration.ofSeconds(10)).permittedNumberOfCallsInHalfOpenState(2)
        .automaticTransitionFromOpenToHalfOpenEnabled(true).build());
    TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
    services.forEach((aggregate, url) -> this.services.put(aggregate, new Service(
        URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url),
        breakers.circuitBreaker("fallback-" + aggregate), counter(registry, aggregate, "answered"),
        counter(registry, aggregate, "failed"), counter(registry, aggregate, "rejected"))));
  }

  /**
   * The way out for one aggregate's critical queries, taken when the query endpoint is made: its
   * uses are counted from then on.
   */
  public Fallback fallback(String aggregate) {
    Service service = services.get(aggregate);
    return new Fallback(aggregate, service == null ? counter(registry, aggregate, "write-model") : null);
  }

  /** One aggregate's fallback, from {@link #fallback}. */
  public final class Fallback {

    private final String aggregate;
    private final Counter fromWriteModel;

    private Fallback(String aggregate, Counter fromWriteModel) {
      this.aggregate = aggregate;
      this.fromWriteModel = fromWriteModel;
    }

    /**
     * The owning write service's answer to the same request, or, when none is configured for the
     * aggregate, what {@code writeModel} answers (the aggregate folded from this application's log).
     *
     * @throws DataAccessResourceFailureException when the write service cannot answer (503)
     */
    public ResponseEntity<?> answer(HttpServletRequest request, Supplier<? extends ResponseEntity<?>> writeModel) {
      Optional<ResponseEntity<byte[]>> remote = ask(aggregate, request);
      if (remote.isPresent()) {
        return remote.get();
      }
      fromWriteModel.increment();
      return writeModel.get();
    }
  }

  private static Counter counter(MeterRegistry registry, String aggregate, String outcome) {
    return Counter.builder("ordo.fallback.requests").tag("aggregate", aggregate).tag("outcome", outcome)
        .description("critical queries the read database could not answer, by who answered them or why nobody did")
        .register(registry);
  }

  /** The owning write service's answer to the same request; empty when none is configured for it. */
  private Optional<ResponseEntity<byte[]>> ask(String aggregate, HttpServletRequest request) {
    Service service = services.get(aggregate);
    if (service == null) {
      return Optional.empty();
    }
    String query = request.getQueryString();
    URI uri = URI.create(service.base() + request.getRequestURI() + (query == null ? "" : "?" + query));
    HttpRequest.Builder forward = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(3)).GET();
    for (String header : List.of("Accept", "Authorization", "X-Request-Id", "Ordo-Min-Position")) {
      String value = request.getHeader(header);
      if (value != null) {
        forward.header(header, value);
      }
    }
    HttpResponse<byte[]> answer;
    try {
      answer = service.breaker().executeCheckedSupplier(() -> {
        HttpResponse<byte[]> response = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 500) {
          throw new IOException(uri + " answered " + response.statusCode());
        }
        return response;
      });
    } catch (CallNotPermittedException e) {
      service.rejected().increment();
      throw new DataAccessResourceFailureException("read database down and the " + aggregate
          + " write service's circuit is open");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new DataAccessResourceFailureException("interrupted while asking the " + aggregate + " write service");
    } catch (Throwable e) {
      service.failed().increment();
      throw new DataAccessResourceFailureException("read database down and the " + aggregate
          + " write service cannot answer: " + e.getMessage());
    }
    service.answered().increment();
    var response = ResponseEntity.status(answer.statusCode());
    for (String header : PASSED_ON) {
      answer.headers().firstValue(header).ifPresent(value -> response.header(header, value));
    }
    return Optional.of(response.header("Ordo-Source", "write-service").body(answer.body()));
  }
}
