package dev.ordo.spring;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;

/**
 * {@code ordo.health.status}: 1 while {@code /actuator/health} says UP, 0 otherwise (a database
 * down, a projection halted at a dead letter or lagging past its threshold), NaN before the first
 * reading. Read every five seconds on a thread of its own, as the projection gauges are: a scrape
 * never waits for the health checks, which may wait for a database that is down.
 */
public class HealthMetrics implements MeterBinder, AutoCloseable {

  private final ObjectProvider<HealthEndpoint> health;
  private final AtomicReference<Double> last = new AtomicReference<>(Double.NaN);
  private final ScheduledExecutorService refresher = Executors.newSingleThreadScheduledExecutor(
      Thread.ofPlatform().name("ordo-health-metrics").daemon().factory());

  public HealthMetrics(ObjectProvider<HealthEndpoint> health) {
    this.health = health;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    Gauge.builder("ordo.health.status", last, AtomicReference::get)
        .description("1 while /actuator/health is UP, else 0").register(registry);
    refresher.scheduleWithFixedDelay(this::read, 0, 5, TimeUnit.SECONDS);
  }

  private void read() {
    try {
      HealthEndpoint endpoint = health.getIfAvailable();
      last.set(endpoint == null ? Double.NaN : Status.UP.equals(endpoint.health().getStatus()) ? 1.0 : 0.0);
    } catch (RuntimeException e) {
      last.set(0.0);
    }
  }

  @Override
  public void close() {
    refresher.shutdownNow();
  }
}
