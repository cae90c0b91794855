package dev.ordo.spring.tracing;

import io.micrometer.tracing.Tracer;
import io.micrometer.tracing.propagation.Propagator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.opentelemetry.autoconfigure.OpenTelemetryTracingAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Tracing is opt-in ({@code ordo.tracing.enabled=true}, with a collector to send the spans to):
 * otherwise the request observations get Micrometer's no-op tracer and propagator, so a request
 * makes no span at all. A span per request, 90 % of them unsampled and none of them sent anywhere
 * without a collector, was 7–11 % of the HTTP threads' samples in {@code command_http}'s profile.
 * A caller's sampled {@code traceparent} still reaches the events (see {@link Traces#of}), so a
 * trace that runs through a gateway or another service continues through the log either way.
 */
@AutoConfiguration(before = {MicrometerTracingAutoConfiguration.class, OpenTelemetryTracingAutoConfiguration.class})
@ConditionalOnBooleanProperty(name = "ordo.tracing.enabled", havingValue = false, matchIfMissing = true)
public class TracingSwitch {

  @Bean
  Tracer ordoNoSpans() {
    return Tracer.NOOP;
  }

  @Bean
  Propagator ordoNoPropagation() {
    return Propagator.NOOP;
  }
}
