package dev.ordo.catalog.legacy;

import dev.ordo.command.Caller;
import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.problem.ProblemHandlers;
import dev.ordo.spring.security.Callers;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Imports of legacy catalogs over HTTP, for admins (the CLI and the console call these): start one,
 * follow it ({@code done} of {@code total} draws a progress bar), list them, cancel one.
 */
@RestController
public class ImportController {

  /** The request; its password goes to the source's driver and nowhere else, not even {@link #toString()}. */
  public record ImportRequest(String url, String user, String password) {

    @Override
    public String toString() {
      return "ImportRequest[url=" + url + ", user=" + user + ", password=***]";
    }
  }

  private final LegacyImports imports;

  public ImportController(LegacyImports imports) {
    this.imports = imports;
  }

  /** 202 with the run's status and {@code Location}; 409 while a run of the same source runs. */
  @PostMapping("/api/v1/imports")
  public ResponseEntity<Map<String, Object>> start(@RequestBody(required = false) ImportRequest request)
      throws LegacyCatalog.SourceRefused {
    ImportRequest given = request == null ? new ImportRequest(null, null, null) : request;
    Map<String, Object> run = imports.start(given.url(), given.user(), given.password(), actor());
    return ResponseEntity.accepted().location(URI.create("/api/v1/imports/" + run.get("id"))).body(run);
  }

  @GetMapping("/api/v1/imports")
  public Map<String, Object> list() {
    List<Map<String, Object>> all = imports.list();
    return Map.of("imports", all);
  }

  @GetMapping("/api/v1/imports/{id}")
  public Map<String, Object> status(@PathVariable String id) {
    return imports.status(id).orElseThrow(() -> new NotFoundException("no import " + id));
  }

  /** 202: the run stops after the pages it is appending, and stands FAILED; POST the source again to resume. */
  @PostMapping("/api/v1/imports/{id}/cancel")
  public ResponseEntity<Map<String, Object>> cancel(@PathVariable String id) {
    Map<String, Object> run = imports.cancel(id, actor()).orElseThrow(() -> new NotFoundException("no import " + id));
    return ResponseEntity.accepted().location(URI.create("/api/v1/imports/" + id)).body(run);
  }

  /** 422: the source cannot be reached, refuses the login, or is not a legacy catalog. */
  @ExceptionHandler(LegacyCatalog.SourceRefused.class)
  ResponseEntity<ProblemDetail> refused(LegacyCatalog.SourceRefused e) {
    String title = e.type.equals("source-schema") ? "Not a legacy catalog" : "Source unreachable";
    return ResponseEntity.status(HttpStatusCode.valueOf(422))
        .body(ProblemHandlers.problem(HttpStatusCode.valueOf(422), e.type, title, e.getMessage()));
  }

  private static String actor() {
    Caller caller = Callers.current();
    return caller == null ? "anonymous" : caller.id();
  }
}
