package dev.ordo.spring.projection;

import dev.ordo.postgres.readmodel.ProjectionHost;
import dev.ordo.postgres.readmodel.ProjectionStatus;
import dev.ordo.spring.query.ReadModels;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The read side: DOWN when the read database cannot be reached, when a projection is stopped at a
 * dead letter, or when its active generation lags more than the threshold behind the log.
 */
public class ProjectionsHealthIndicator extends AbstractHealthIndicator {

  private final ReadModels readModels;
  private final Duration lagThreshold;

  public ProjectionsHealthIndicator(ReadModels readModels, Duration lagThreshold) {
    super("read database or log unreachable");
    this.readModels = readModels;
    this.lagThreshold = lagThreshold;
  }

  @Override
  protected void doHealthCheck(Health.Builder builder) {
    boolean up = true;
    Map<String, Object> details = new LinkedHashMap<>();
    for (ProjectionHost host : readModels.hosts()) {
      ProjectionStatus status = host.status();
      var active = status.active();
      String problem = null;
      if (active == null) {
        problem = "no active generation";
      } else if ("HALTED".equals(active.state())) {
        problem = "stopped at a dead letter";
      } else if (active.lagMillis() > lagThreshold.toMillis()) {
        problem = "lags " + active.lagMillis() + " ms (threshold " + lagThreshold.toMillis() + " ms)";
      }
      up &= problem == null;
      Map<String, Object> detail = new LinkedHashMap<>();
      detail.put("status", problem == null ? "UP" : "DOWN");
      if (problem != null) {
        detail.put("problem", problem);
      }
      if (active != null) {
        detail.put("lagEvents", active.lagEvents());
        detail.put("lagMillis", active.lagMillis());
      }
      detail.put("deadLetters", status.deadLetters());
      details.put(status.name(), detail);
    }
    (up ? builder.up() : builder.down()).withDetail("lagThresholdMillis", lagThreshold.toMillis())
        .withDetails(details);
  }
}
