package dev.ordo.spring.projection;

import dev.ordo.postgres.readmodel.ProjectionHost;
import dev.ordo.postgres.readmodel.ProjectionStatus;
import dev.ordo.spring.process.ProcessStatus;
import dev.ordo.spring.process.Processes;
import dev.ordo.spring.query.ReadModels;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * The read side and the processes: DOWN when a database cannot be reached, when a projection or a
 * process is stopped at a dead letter, or when a projection's active generation lags more than the
 * threshold behind the log (a process's lag delays commands, not answers: it is shown, not judged).
 */
public class ProjectionsHealthIndicator extends AbstractHealthIndicator {

  private final ReadModels readModels;
  private final Processes processes;
  private final Duration lagThreshold;

  public ProjectionsHealthIndicator(ReadModels readModels, Processes processes, Duration lagThreshold) {
    super("read database or log unreachable");
    this.readModels = readModels;
    this.processes = processes;
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
      details.put(status.name(), detail(problem, active == null ? null : active.lagEvents(),
          active == null ? null : active.lagMillis(), status.deadLetters()));
    }
    for (ProcessStatus status : processes.statuses()) {
      String problem = "HALTED".equals(status.state()) ? "stopped at a dead letter" : null;
      up &= problem == null;
      details.put(status.name(), detail(problem, status.lagEvents(), status.lagMillis(), status.deadLetters()));
    }
    (up ? builder.up() : builder.down()).withDetail("lagThresholdMillis", lagThreshold.toMillis())
        .withDetails(details);
  }

  private static Map<String, Object> detail(String problem, Long lagEvents, Long lagMillis, long deadLetters) {
    Map<String, Object> detail = new LinkedHashMap<>();
    detail.put("status", problem == null ? "UP" : "DOWN");
    if (problem != null) {
      detail.put("problem", problem);
    }
    if (lagEvents != null) {
      detail.put("lagEvents", lagEvents);
      detail.put("lagMillis", lagMillis);
    }
    detail.put("deadLetters", deadLetters);
    return detail;
  }
}
