package dev.ordo.spring.projection;

import com.fasterxml.jackson.annotation.JsonUnwrapped;
import dev.ordo.postgres.readmodel.DeadLetter;
import dev.ordo.postgres.readmodel.DeadLetterException;
import dev.ordo.postgres.readmodel.Generation;
import dev.ordo.postgres.readmodel.ProjectionHost;
import dev.ordo.postgres.readmodel.ProjectionStatus;
import dev.ordo.spring.problem.ConflictException;
import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.process.ProcessStatus;
import dev.ordo.spring.process.Processes;
import dev.ordo.spring.query.ReadModels;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * API.md "Consistency and operations": projection status, blue/green rebuilds, dead letters. The
 * status of read models and of processes is listed side by side, each with its {@code kind}.
 */
@RestController
public class ProjectionsController {

  /** A read model's {@link ProjectionStatus} or a process's status, with which of the two it is. */
  public record Listed(String kind, @JsonUnwrapped Object status) {

    static Listed readModel(ProjectionStatus status) {
      return new Listed("read-model", status);
    }

    static Listed process(ProcessStatus status, String kind) {
      return new Listed(kind, status);
    }
  }

  private final ReadModels readModels;
  private final Processes processes;

  public ProjectionsController(ReadModels readModels, Processes processes) {
    this.readModels = readModels;
    this.processes = processes;
  }

  @GetMapping("/api/v1/projections")
  public Map<String, List<Listed>> list() {
    return Map.of("projections", Stream.concat(
        readModels.hosts().stream().map(host -> Listed.readModel(host.status())),
        processes.statuses().stream().map(this::process)).toList());
  }

  @GetMapping("/api/v1/projections/{name}")
  public Listed one(@PathVariable String name) {
    return readModels.host(name).map(host -> Listed.readModel(host.status()))
        .or(() -> processes.status(name).map(this::process))
        .orElseThrow(() -> new NotFoundException("no projection " + name));
  }

  private Listed process(ProcessStatus status) {
    return Listed.process(status, processes.kind(status.name()).orElse("process"));
  }

  /** Builds a new generation beside the active one; 202 with where to watch it. */
  @PostMapping("/api/v1/projections/{name}/rebuild")
  public ResponseEntity<Map<String, Object>> rebuild(@PathVariable String name) {
    if (readModels.host(name).isEmpty() && processes.status(name).isPresent()) {
      return rebuildOfProcess(name);
    }
    ProjectionHost host = host(name);
    Generation building;
    try {
      building = host.rebuild();
    } catch (IllegalStateException e) {
      throw new ConflictException("rebuild-running", e.getMessage());
    }
    return ResponseEntity.accepted().location(URI.create("/api/v1/projections/" + name))
        .body(Map.of("name", name, "generation", building.generation(), "version", building.version(),
            "state", building.state().name()));
  }

  /** A search index: its next generation is built beside the serving one. */
  private ResponseEntity<Map<String, Object>> rebuildOfProcess(String name) {
    Optional<Integer> generation;
    try {
      generation = processes.rebuild(name);
    } catch (IllegalStateException e) {
      throw new ConflictException("rebuild-running", e.getMessage());
    }
    int building = generation.orElseThrow(() -> new ConflictException("not-rebuildable",
        name + " follows the log with effects outside the read models: it cannot be rebuilt"));
    return ResponseEntity.accepted().location(URI.create("/api/v1/projections/" + name))
        .body(Map.of("name", name, "generation", building, "state", "BUILDING"));
  }

  @GetMapping("/api/v1/projections/{name}/dead-letters")
  public Map<String, List<?>> deadLetters(@PathVariable String name) {
    if (readModels.host(name).isEmpty() && processes.status(name).isPresent()) {
      return Map.of("deadLetters", processes.deadLetters(name));
    }
    return Map.of("deadLetters", host(name).deadLetters());
  }

  @PostMapping("/api/v1/projections/{name}/dead-letters/{id}/retry")
  public Object retry(@PathVariable String name, @PathVariable long id) {
    return resolve(name, id, true);
  }

  @PostMapping("/api/v1/projections/{name}/dead-letters/{id}/skip")
  public Object skip(@PathVariable String name, @PathVariable long id) {
    return resolve(name, id, false);
  }

  private Object resolve(String name, long id, boolean retry) {
    if (readModels.host(name).isEmpty() && processes.status(name).isPresent()) {
      return resolveOfProcess(name, id, retry);
    }
    ProjectionHost host = host(name);
    try {
      if (retry) {
        host.retry(id);
      } else {
        host.skip(id);
      }
    } catch (DeadLetterException e) {
      throw switch (e.reason()) {
        case NOT_PARKED -> new NotFoundException(e.getMessage());
        case STILL_FAILING -> new ConflictException("dead-letter-still-failing", e.getMessage());
      };
    }
    return host.deadLetters().stream().filter(d -> d.id() == id).findFirst()
        .orElseThrow(() -> new NotFoundException("no dead letter " + id));
  }

  /** A process's dead letter: retried, the process goes on from it by itself; skipped, past it. */
  private Object resolveOfProcess(String name, long id, boolean retry) {
    try {
      if (!processes.resolve(name, id, retry)) {
        throw new NotFoundException("no parked dead letter " + id + " of " + name);
      }
    } catch (IllegalArgumentException e) {
      throw new ConflictException("dead-letter-passed", e.getMessage());
    }
    return processes.deadLetters(name).stream().filter(d -> d.id() == id).findFirst()
        .orElseThrow(() -> new NotFoundException("no dead letter " + id));
  }

  private ProjectionHost host(String name) {
    return readModels.host(name).orElseThrow(() -> new NotFoundException("no projection " + name));
  }
}
