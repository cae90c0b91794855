package dev.ordo.spring.projection;

import dev.ordo.postgres.readmodel.ProjectionHost;
import dev.ordo.postgres.readmodel.ProjectionStatus;
import dev.ordo.spring.process.ProcessStatus;
import dev.ordo.spring.process.Processes;
import dev.ordo.spring.query.ReadModels;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Per projection: lag in events and seconds, position, parked dead letters, a rebuild's lag and
 * position (0 without one: a rebuild whose position stands still is stuck) and the recent
 * command-to-visible lag percentiles; per process: lag, position and dead letters; for
 * {@code /actuator/prometheus}. The statuses are read every second on a thread of their own and
 * the gauges show the last one read: a scrape never waits for a database (one that is down would
 * hold it for the pool's connection timeout per gauge); a status that could not be read is NaN.
 */
public class ProjectionMetrics implements MeterBinder, AutoCloseable {

  private final ReadModels readModels;
  private final Processes processes;
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("ordo-projection-metrics").daemon().factory());

  public ProjectionMetrics(ReadModels readModels, Processes processes) {
    this.readModels = readModels;
    this.processes = processes;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (ProjectionHost host : readModels.hosts()) {
      String name = host.projection().name();
      Supplier<ProjectionStatus> status = readInTheBackground(host::status);
      gauge(registry, "ordo.projection.lag.events", "projection", name, status,
          s -> s.active() == null ? 0 : s.active().lagEvents());
      gauge(registry, "ordo.projection.lag.seconds", "projection", name, status,
          s -> s.active() == null ? 0 : s.active().lagMillis() / 1000.0);
      gauge(registry, "ordo.projection.position", "projection", name, status,
          s -> s.active() == null ? 0 : s.active().position());
      gauge(registry, "ordo.projection.dead.letters", "projection", name, status, ProjectionStatus::deadLetters);
      gauge(registry, "ordo.projection.rebuild.lag.events", "projection", name, status,
          s -> s.rebuild() == null ? 0 : s.rebuild().lagEvents());
      gauge(registry, "ordo.projection.rebuild.position", "projection", name, status,
          s -> s.rebuild() == null ? 0 : s.rebuild().position());
      Gauge.builder("ordo.projection.visible.lag.p99.seconds", host,
              h -> h.activeRunner().map(r -> r.lag().percentile(99) / 1000.0).orElse(0.0))
          .tag("projection", name).description("command-to-visible lag of recent events, 99th percentile")
          .register(registry);
    }
    for (String name : processes.names()) {
      Supplier<ProcessStatus> status = readInTheBackground(() -> processes.status(name).orElseThrow());
      gauge(registry, "ordo.process.lag.events", "process", name, status, ProcessStatus::lagEvents);
      gauge(registry, "ordo.process.lag.seconds", "process", name, status, s -> s.lagMillis() / 1000.0);
      gauge(registry, "ordo.process.position", "process", name, status, ProcessStatus::position);
      gauge(registry, "ordo.process.dead.letters", "process", name, status, ProcessStatus::deadLetters);
    }
  }

  private static <S> void gauge(MeterRegistry registry, String metric, String tag, String name, Supplier<S> status,
      ToDoubleFunction<S> value) {
    Gauge.builder(metric, status, s -> {
      S current = s.get();
      return current == null ? Double.NaN : value.applyAsDouble(current);
    }).tag(tag, name).strongReference(true).register(registry);
  }

  /** The last status read by the refresher (every second), or null before the first or after a failure. */
  private <S> Supplier<S> readInTheBackground(Supplier<S> read) {
    AtomicReference<S> last = new AtomicReference<>();
    refresher.scheduleWithFixedDelay(() -> {
      try {
        last.set(read.get());
      } catch (RuntimeException e) {
        last.set(null);
      }
    }, 0, 1, TimeUnit.SECONDS);
    return last::get;
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
