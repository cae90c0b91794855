package dev.ordo.spring.verify;

import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.NotFoundException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The reconciliation job over HTTP, for admins ({@code ./ordo verify}, the console). */
@RestController
public class VerificationsController {

  /** @param readModel one read model, or null for every one that has a check */
  record Request(String readModel, Boolean repair) {}

  private final Verifications verifications;

  public VerificationsController(Verifications verifications) {
    this.verifications = verifications;
  }

  @PostMapping("/api/v1/verifications")
  public ResponseEntity<Verification> start(@RequestBody(required = false) Request request) {
    String readModel = request == null ? null : request.readModel();
    if (readModel != null && !verifications.readModels().contains(readModel)) {
      throw new InvalidInputException("readModel", "must be one of " + verifications.readModels());
    }
    Verification job = verifications.start(readModel, request != null && Boolean.TRUE.equals(request.repair()));
    return ResponseEntity.accepted().location(URI.create("/api/v1/verifications/" + job.getId())).body(job);
  }

  @GetMapping("/api/v1/verifications")
  public Map<String, List<Verification>> list() {
    return Map.of("verifications", verifications.jobs());
  }

  @GetMapping("/api/v1/verifications/{id}")
  public Verification one(@PathVariable String id) {
    UUID uuid;
    try {
      uuid = UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      throw new NotFoundException("no verification " + id);
    }
    return verifications.job(uuid).orElseThrow(() -> new NotFoundException("no verification " + id));
  }
}
