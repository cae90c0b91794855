package dev.ordo.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.ordo.gateway.fallback.ServiceUnavailable;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** An access log line per request, health, and the metrics Prometheus scrapes. */
class ObservabilityTests extends GatewayWithBackends {

  private final ListAppender<ILoggingEvent> accessLog = new ListAppender<>();

  @BeforeEach
  void captureTheAccessLog() {
    accessLog.start();
    ((Logger) LoggerFactory.getLogger("dev.ordo.gateway.access")).addAppender(accessLog);
  }

  @AfterEach
  void releaseTheAccessLog() {
    ((Logger) LoggerFactory.getLogger("dev.ordo.gateway.access")).detachAppender(accessLog);
  }

  @Test
  void eachRequestWritesOneAccessLogLine() throws Exception {
    readModel.answer(call -> Backend.Answer.of(404, "{}"));

    send(request("/api/v1/products/p-9?secret=1").GET().header("X-Request-Id", "log-1"));

    await().atMost(Duration.ofSeconds(2)).until(() -> lines("requestId=log-1") == 1);
    assertThat(accessLog.list).filteredOn(event -> event.getFormattedMessage().contains("requestId=log-1"))
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage).asString()
        .matches("GET /api/v1/products/p-9 404 \\d+ms route=read-model requestId=log-1");
  }

  @Test
  void theGatewaysOwnAnswersAreLoggedToo() throws Exception {
    send(request("/nowhere").GET().header("X-Request-Id", "log-2"));

    await().atMost(Duration.ofSeconds(2)).until(() -> lines("requestId=log-2") == 1);
    assertThat(accessLog.list).filteredOn(event -> event.getFormattedMessage().contains("requestId=log-2"))
        .singleElement()
        .extracting(ILoggingEvent::getFormattedMessage).asString()
        .matches("GET /nowhere 404 \\d+ms route=- requestId=log-2");
  }

  @Test
  void whatIsLoggedWhileARequestIsHandledCarriesItsRequestId() throws Exception {
    ListAppender<ILoggingEvent> unavailable = new ListAppender<>();
    unavailable.start();
    Logger logger = (Logger) LoggerFactory.getLogger(ServiceUnavailable.class);
    logger.addAppender(unavailable);
    try {
      catalog.stop();

      send(request("/api/v1/categories").POST(BodyPublishers.ofString("{}")).header("X-Request-Id", "log-3"));

      assertThat(unavailable.list).singleElement()
          .satisfies(event -> assertThat(event.getMDCPropertyMap()).containsEntry("requestId", "log-3"));
    } finally {
      logger.detachAppender(unavailable);
    }
  }

  @Test
  void healthIsUp() throws Exception {
    HttpResponse<String> response = get("/actuator/health");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).contains("\"status\":\"UP\"");
  }

  @Test
  void prometheusSeesRequestsByRouteBreakerStatesAndFallbacks() throws Exception {
    get("/api/v1/products/p-1");
    readModel.stop();
    get("/api/v1/deliveries/6a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d");

    String metrics = get("/actuator/prometheus").body();

    assertThat(metrics)
        .containsPattern("http_server_requests_seconds_count\\{[^}]*route=\"read-model\"[^}]*\\} \\d")
        .containsPattern("resilience4j_circuitbreaker_state\\{[^}]*name=\"read-model\"[^}]*state=\"closed\"[^}]*\\} 1")
        .containsPattern("ordo_gateway_fallback_total\\{[^}]*route=\"delivery-query\"[^}]*\\} [1-9]");
  }

  /**
   * The gateway's own metrics the Grafana dashboard and the alert rules under deploy/observability
   * name are exported, the fallback counters from the start (a first fallback is an increase), and
   * the request timer has the buckets the p95/p99 by route are drawn from. The app's metrics in
   * those files are the app's ObservabilityFilesIntegrationTests' to check.
   */
  @Test
  void theMetricsTheObservabilityFilesNameAreExported() throws Exception {
    Path observability = Path.of("..", "deploy", "observability");
    Set<String> named = new TreeSet<>();
    for (Path file : Set.of(observability.resolve("grafana/ordo-dashboard.json"),
        observability.resolve("prometheus/ordo-alerts.yml"))) {
      Matcher name = Pattern.compile("\\bordo_gateway_\\w+").matcher(Files.readString(file));
      while (name.find()) {
        named.add(name.group());
      }
    }
    assertThat(named).as("gateway metrics the files name").isNotEmpty();

    String before = get("/actuator/prometheus").body();
    for (String route : Set.of("order-query", "dispatch-query", "delivery-query")) {
      assertThat(before).containsPattern("ordo_gateway_fallback_total\\{[^}]*route=\"" + route + "\"");
    }
    get("/api/v1/products/p-1");
    String after = get("/actuator/prometheus").body();

    Set<String> exported = after.lines().filter(line -> !line.isBlank() && !line.startsWith("#"))
        .map(line -> line.split("[{ ]", 2)[0]).collect(Collectors.toSet());
    assertThat(exported).containsAll(named);
    assertThat(after).containsPattern("http_server_requests_seconds_bucket\\{[^}]*route=\"read-model\"[^}]*le=\"0.005\"");
  }

  private long lines(String containing) {
    return accessLog.list.stream().filter(event -> event.getFormattedMessage().contains(containing)).count();
  }
}
