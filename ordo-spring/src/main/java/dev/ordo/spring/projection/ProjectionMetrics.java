package dev.ordo.spring.projection;

import dev.ordo.postgres.readmodel.ProjectionHost;
import dev.ordo.postgres.readmodel.ProjectionStatus;
import dev.ordo.spring.query.ReadModels;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;

/**
 * Per projection: lag in events and seconds, position, parked dead letters and the recent
 * command-to-visible lag percentiles, for {@code /actuator/prometheus}. One status read serves all
 * gauges of a scrape (cached for a second).
 */
public class ProjectionMetrics implements MeterBinder {

  private record Cached(ProjectionStatus status, long at) {}

  private final ReadModels readModels;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public ProjectionMetrics(ReadModels readModels) {
    this.readModels = readModels;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (ProjectionHost host : readModels.hosts()) {
      String name = host.projection().name();
      gauge(registry, "ordo.projection.lag.events", name, host, s -> s.active() == null ? 0 : s.active().lagEvents());
      gauge(registry, "ordo.projection.lag.seconds", name, host,
          s -> s.active() == null ? 0 : s.active().lagMillis() / 1000.0);
      gauge(registry, "ordo.projection.position", name, host, s -> s.active() == null ? 0 : s.active().position());
      gauge(registry, "ordo.projection.dead.letters", name, host, ProjectionStatus::deadLetters);
      gauge(registry, "ordo.projection.rebuild.lag.events", name, host,
          s -> s.rebuild() == null ? 0 : s.rebuild().lagEvents());
      Gauge.builder("ordo.projection.visible.lag.p99.seconds", host,
              h -> h.activeRunner().map(r -> r.lag().percentile(99) / 1000.0).orElse(0.0))
          .tag("projection", name).description("command-to-visible lag of recent events, 99th percentile")
          .register(registry);
    }
  }

  private void gauge(MeterRegistry registry, String metric, String name, ProjectionHost host,
      ToDoubleFunction<ProjectionStatus> value) {
    Gauge.builder(metric, host, h -> {
      try {
        return value.applyAsDouble(status(h));
      } catch (RuntimeException e) {
        return Double.NaN;
      }
    }).tag("projection", name).register(registry);
  }

  private ProjectionStatus status(ProjectionHost host) {
    String name = host.projection().name();
    long now = System.currentTimeMillis();
    Cached cached = cache.get(name);
    if (cached == null || now - cached.at() > 1_000) {
      cached = new Cached(host.status(), now);
      cache.put(name, cached);
    }
    return cached.status();
  }
}
