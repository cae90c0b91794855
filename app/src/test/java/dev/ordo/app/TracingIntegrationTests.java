package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.test.TestPostgres;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * One trace from the HTTP edge through the log to the read models: the command's events carry the
 * {@code traceparent} of the request's span, and each read model applies them in a span that is
 * its child, an asynchronous command's events included.
 */
class TracingIntegrationTests {

  /** Every finished span, as an exporter would send them. */
  static final List<SpanData> SPANS = new CopyOnWriteArrayList<>();

  @Configuration(proxyBeanMethods = false)
  static class CollectSpans {

    @Bean
    SpanProcessor collectingSpanProcessor() {
      return SimpleSpanProcessor.create(new SpanExporter() {
        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
          SPANS.addAll(spans);
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
          return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
          return CompletableResultCode.ofSuccess();
        }
      });
    }
  }

  @Test
  void aCommandsTraceGoesThroughItsEventsToTheReadModels() {
    try (RunningApp app = RunningApp.start(CollectSpans.class, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.tracing.enabled=true", "management.tracing.sampling.probability=1.0")) {
      String store = app.send("POST", "/api/v1/stores", "{\"name\":\"Traced Mart\"}").createdId();
      String category = app.send("POST", "/api/v1/categories", "{\"name\":\"가전\"}").createdId();
      String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
      var created = app.send("POST", "/api/v1/products", """
          {"storeId":"%s","categoryId":"%s","name":"Lamp","price":1000,"stockQuantity":3}""".formatted(store, category),
          "traceparent", "00-" + traceId + "-00f067aa0ba902b7-01");
      String product = created.createdId();

      String carried = app.get("/api/v1/streams/" + product).json().get("events").get(0).get("metadata")
          .get("traceparent").asString();
      assertThat(carried).matches("00-" + traceId + "-[0-9a-f]{16}-01");
      String writingSpan = carried.substring(36, 52);
      RunningApp.eventually(Duration.ofSeconds(10), () -> {
        assertThat(SPANS).filteredOn(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.SERVER)
            .as("the request's own span").extracting(SpanData::getParentSpanId).containsExactly("00f067aa0ba902b7");
        assertThat(SPANS).filteredOn(s -> s.getTraceId().equals(traceId)).extracting(SpanData::getSpanId)
            .as("the span the event names was recorded in the trace").contains(writingSpan);
        assertThat(SPANS).filteredOn(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.CONSUMER)
            .as("each read model applied it in a child span")
            .extracting(SpanData::getName).contains("ordo.apply product_read", "ordo.apply product_history");
        assertThat(SPANS).filteredOn(s -> s.getName().equals("ordo.apply product_read") && s.getTraceId().equals(traceId))
            .singleElement().satisfies(s -> {
              assertThat(s.getParentSpanId()).isEqualTo(writingSpan);
              assertThat(s.getAttributes().asMap().toString()).contains("ProductRegistered", product);
            });
      });

      // an asynchronous command runs later, from the command log: its events carry the request's trace too
      String asyncTrace = "0af7651916cd43dd8448eb211c80319c";
      var accepted = app.send("PUT", "/api/v1/products/" + product + "/price", "{\"price\":1500}",
          "Prefer", "respond-async", "traceparent", "00-" + asyncTrace + "-b7ad6b7169203331-01");
      assertThat(accepted.status()).isEqualTo(202);
      RunningApp.eventually(Duration.ofSeconds(10), () -> {
        var events = app.get("/api/v1/streams/" + product).json().get("events");
        assertThat(events).hasSize(2);
        assertThat(events.get(1).get("metadata").get("traceparent").asString()).startsWith("00-" + asyncTrace + "-");
        assertThat(SPANS).filteredOn(s -> s.getTraceId().equals(asyncTrace) && s.getKind() == SpanKind.CONSUMER)
            .extracting(SpanData::getName).contains("ordo.apply product_read");
      });

      // without a sampled trace nothing is carried
      var untraced = app.send("PUT", "/api/v1/products/" + product + "/price", "{\"price\":1600}",
          "traceparent", "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-00");
      assertThat(untraced.status()).isEqualTo(200);
      assertThat(app.get("/api/v1/streams/" + product).json().get("events").get(2).get("metadata").has("traceparent"))
          .isFalse();
    }
  }

  @Test
  void withTracingOffACallersSampledTraceStillReachesTheEventsAndNoSpanIsMade() {
    try (RunningApp app = RunningApp.start(CollectSpans.class, "ordo.db.url=" + TestPostgres.createDatabase(),
        "management.tracing.sampling.probability=1.0")) {
      String traceId = "5cf92f3577b34da6a3ce929d0e0e4737";
      String traceParent = "00-" + traceId + "-00f067aa0ba902b8-01";
      String store = app.send("POST", "/api/v1/stores", "{\"name\":\"Quiet Mart\"}", "traceparent", traceParent)
          .createdId();
      String unsampled = app.send("POST", "/api/v1/stores", "{\"name\":\"Quieter Mart\"}",
          "traceparent", "00-" + "3".repeat(32) + "-" + "4".repeat(16) + "-00").createdId();
      String malformed = app.send("POST", "/api/v1/stores", "{\"name\":\"Odd Mart\"}",
          "traceparent", "00-xyz-01").createdId();

      assertThat(app.get("/api/v1/streams/" + store).json().get("events").get(0).get("metadata")
          .get("traceparent").asString()).as("the caller's span is the events' parent").isEqualTo(traceParent);
      for (String quiet : new String[] {unsampled, malformed}) {
        assertThat(app.get("/api/v1/streams/" + quiet).json().get("events").get(0).get("metadata").has("traceparent"))
            .isFalse();
      }
      RunningApp.eventually(Duration.ofSeconds(10), () -> assertThat(SPANS)
          .filteredOn(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.CONSUMER)
          .as("the read models continue the caller's trace").extracting(SpanData::getName)
          .contains("ordo.apply product_read"));
      assertThat(SPANS).filteredOn(s -> s.getTraceId().equals(traceId) && s.getKind() == SpanKind.SERVER)
          .as("no span for the request itself").isEmpty();
    }
  }
}
