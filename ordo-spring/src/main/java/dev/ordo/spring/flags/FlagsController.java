package dev.ordo.spring.flags;

import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** The query families' flags, for admins (the console's "Feature flags", {@code ./ordo flags}). */
@RestController
public class FlagsController {

  record Change(String source) {}

  private final QueryFlags flags;

  public FlagsController(QueryFlags flags) {
    this.flags = flags;
  }

  @GetMapping("/api/v1/flags")
  public Map<String, List<QueryFlags.Flag>> list() {
    return Map.of("flags", flags.flags());
  }

  /** {@code {"source": "write-side" | "read-model"}}: recorded as an event with the caller as its actor. */
  @PutMapping("/api/v1/flags/{family}")
  public QueryFlags.Flag set(@PathVariable String family, @RequestBody Change change, HttpServletRequest request) {
    if (!flags.knows(family)) {
      throw new NotFoundException("no query family " + family);
    }
    if (change == null || change.source() == null) {
      throw new InvalidInputException("source", "is required: read-model or write-side");
    }
    QueryFlags.Source source = QueryFlags.Source.of(change.source())
        .orElseThrow(() -> new InvalidInputException("source", "must be read-model or write-side"));
    return flags.set(family, source, Callers.current().id(), request.getHeader("X-Request-Id"));
  }
}
