package dev.ordo.spring.command;

import dev.ordo.command.CommandException;
import dev.ordo.command.CommandException;
import dev.ordo.command.CommandException;
import dev.ordo.command.CommandException;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.spring.problem.InvalidInputException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * A command's failure as the RFC 9457 problem it is answered with (API.md "Commands — common
 * rules"). Built as ordered fields so the bytes can be kept and replayed for an Idempotency-Key.
 */
record CommandFailure(int status, Map<String, Object> problem, String retryAfter) {

  private static final Logger log = LoggerFactory.getLogger(CommandFailure.class);
  static final String TYPES = "https://ordo.dev/problems/";

  /** A failure a retry of the same request may not repeat: its record is dropped, not kept. */
  boolean passing() {
    return status >= 500 || status == 409;
  }

  /** The problem's type without its URI prefix: {@code rule-broken}, {@code conflict}… */
  String type() {
    return ((String) problem.get("type")).substring(TYPES.length());
  }

  static CommandFailure of(int status, String type, String title, String detail, String instance) {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", TYPES + type);
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    problem.put("instance", instance);
    return new CommandFailure(status, problem, null);
  }

  CommandFailure with(String field, Object value) {
    problem.put(field, value);
    return this;
  }

  CommandFailure retryAfter(String seconds) {
    return new CommandFailure(status, problem, seconds);
  }

  static CommandFailure from(Throwable e, String instance) {
    return switch (e) {
      case InvalidInputException invalid ->
          of(400, "invalid-input", "Invalid input", invalid.getMessage(), instance).with("errors", invalid.errors());
      case CommandException.RuleBroken broken ->
          of(422, "rule-broken", "Business rule broken", broken.getMessage(), instance).with("rule", broken.rule());
      case CommandException.NotFound missing -> of(404, "not-found", "Not found", missing.getMessage(), instance);
      case CommandException.Forbidden refused -> of(403, "forbidden", "Forbidden", refused.getMessage(), instance);
      case CommandException.PreconditionFailed stale ->
          of(412, "precondition-failed", "Precondition failed", stale.getMessage(), instance)
              .with("expectedVersion", stale.expected()).with("actualVersion", stale.actual());
      case CommandException.Conflict conflict ->
          of(409, "conflict", "Concurrent modification", conflict.getMessage(), instance);
      case EventStoreException.Unavailable unavailable -> unavailable(instance);
      case DataAccessResourceFailureException unavailable -> unavailable(instance);
      default -> {
        log.error("command failed unexpectedly at {}", instance, e);
        yield of(500, "internal", "Internal error", "The command failed on the server; it has been logged.",
            instance);
      }
    };
  }

  private static CommandFailure unavailable(String instance) {
    return of(503, "unavailable", "Service unavailable", "The database cannot be reached; try again shortly.",
              instance).retryAfter("5");
  }
}
