package dev.ordo.gateway.fallback;

import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import jakarta.servlet.RequestDispatcher;
import java.net.URI;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The answer when a service cannot be used: {@code 503} as {@code application/problem+json} (RFC
 * 9457) naming the {@code service}, with {@code Retry-After} set to the wait of the route's circuit
 * breaker, the time after which the gateway tries the service again. A route's circuit breaker
 * forwards here ({@code fallbackUri: forward:/gateway/unavailable/<service>}) when its service is
 * unreachable, too slow, or its breaker is open. The breaker of a route has the route's id.
 */
@Component
public class ServiceUnavailable {

  private static final String PATH = "/gateway/unavailable/{service}";

  private static final Logger log = LoggerFactory.getLogger(ServiceUnavailable.class);
  private static final URI TYPE = URI.create("https://ordo.dev/problems/unavailable");

  private final CircuitBreakerRegistry breakers;

  public ServiceUnavailable(CircuitBreakerRegistry breakers) {
    this.breakers = breakers;
  }

  public RouterFunction<ServerResponse> route() {
    return RouterFunctions.route(InternalForward.internalForward().and(RequestPredicates.path(PATH)), this::answer);
  }

  private ServerResponse answer(ServerRequest request) {
    String service = request.pathVariable("service");
    String route = request.attribute(MvcUtils.GATEWAY_ROUTE_ID_ATTR).map(Object::toString).orElse("-");
    Throwable cause = MvcUtils.getAttribute(request, MvcUtils.CIRCUITBREAKER_EXECUTION_EXCEPTION_ATTR);
    log.warn("route {}: the {} service is unavailable: {}", route, service, String.valueOf(cause));

    ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail(service, cause));
    problem.setType(TYPE);
    problem.setTitle("Service unavailable");
    problem.setProperty("service", service);
    if (request.servletRequest().getAttribute(RequestDispatcher.FORWARD_REQUEST_URI) instanceof String path) {
      problem.setInstance(URI.create(path));
    }
    return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds(route)))
        .contentType(MediaType.APPLICATION_PROBLEM_JSON)
        .body(problem);
  }

  private static String detail(String service, Throwable cause) {
    if (cause instanceof CallNotPermittedException) {
      return "The " + service + " service is not called for now: too many of the last calls to it failed.";
    }
    if (cause instanceof TimeoutException) {
      return "The " + service + " service did not answer in time.";
    }
    return "The " + service + " service cannot be reached.";
  }

  /** Whole seconds, rounded up: a client that waits that long finds the breaker ready to try again. */
  private long retryAfterSeconds(String route) {
    CircuitBreakerConfig config = breakers.find(route)
        .map(CircuitBreaker::getCircuitBreakerConfig)
        .orElseGet(breakers::getDefaultConfig);
    long waitMillis = config.getWaitIntervalFunctionInOpenState().apply(1);
    return Math.max(1, (waitMillis + 999) / 1000);
  }
}
