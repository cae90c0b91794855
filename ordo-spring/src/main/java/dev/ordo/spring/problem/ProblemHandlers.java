package dev.ordo.spring.problem;

import dev.ordo.eventstore.EventStoreException;
import dev.ordo.eventstore.EventStoreException;
import java.net.URI;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.TypeMismatchException;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.ErrorResponse;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every error as RFC 9457 problem details: a stable {@code type}, a title, the status and a detail
 * a client can act on; never a stack trace. Spring MVC's own failures (unknown route, wrong
 * method, unreadable body) come through {@link ResponseEntityExceptionHandler}.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ProblemHandlers extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandlers.class);
  private static final String TYPES = "https://ordo.dev/problems/";

  public static ProblemDetail problem(HttpStatusCode status, String type, String title, String detail) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
    problem.setType(URI.create(TYPES + type));
    problem.setTitle(title);
    return problem;
  }

  /** The problem type of a status no handler of ours chose a type for (Spring MVC's, the container's). */
  public static String type(int status) {
    return switch (status) {
      case 400 -> "invalid-input";
      case 401 -> "unauthorized";
      case 403 -> "forbidden";
      case 404 -> "not-found";
      case 405 -> "method-not-allowed";
      case 406 -> "not-acceptable";
      case 413 -> "payload-too-large";
      case 414 -> "uri-too-long";
      case 415 -> "unsupported-media-type";
      case 431 -> "headers-too-large";
      case 500 -> "internal";
      case 503 -> "unavailable";
      default -> "http-" + status;
    };
  }

  /**
   * A problem for a bare status, with a generic detail: what the servlet container or the error
   * page reports, where no exception of ours says more.
   */
  public static ProblemDetail problem(int status) {
    HttpStatus known = HttpStatus.resolve(status);
    String title = known == null ? "HTTP " + status : known.getReasonPhrase();
    String detail = switch (status) {
      case 400 -> "The request cannot be read: its request line, a header or the encoding of its URL is malformed.";
      case 404 -> "No resource at this path.";
      case 405 -> "This path does not take this method.";
      case 413, 414, 431 -> "The request, its URL or its headers are over the server's limits.";
      case 505 -> "The server speaks HTTP/1.1 and HTTP/1.0.";
      default -> status >= 500 ? "The request failed on the server; it has been logged." : title + ".";
    };
    return problem(HttpStatusCode.valueOf(status), type(status), title, detail);
  }

  @ExceptionHandler(InvalidInputException.class)
  ResponseEntity<ProblemDetail> invalidInput(InvalidInputException e) {
    return badRequest(e.getMessage(), e.errors());
  }

  @Override
  protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException e, HttpHeaders headers,
      HttpStatusCode status, WebRequest request) {
    String expected = e.getRequiredType() == null ? "another type" : switch (e.getRequiredType().getSimpleName()) {
      case "long", "Long", "int", "Integer" -> "an integer";
      default -> "a " + e.getRequiredType().getSimpleName();
    };
    String field = e instanceof MethodArgumentTypeMismatchException m ? m.getName() : e.getPropertyName();
    String message = "must be " + expected;
    return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(withErrors(
        problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", field + " " + message),
        List.of(new InvalidInputException.FieldError(field, message))));
  }

  /** Spring MVC's own problems (unknown route, wrong method, unreadable body) get a type too. */
  @Override
  protected ResponseEntity<Object> handleExceptionInternal(Exception e, Object body, HttpHeaders headers,
      HttpStatusCode status, WebRequest request) {
    if (body == null && e instanceof ErrorResponse error) {
      body = error.getBody();
    }
    if (body instanceof ProblemDetail problem
        && (problem.getType() == null || URI.create("about:blank").equals(problem.getType()))) {
      problem.setType(URI.create(TYPES + type(status.value())));
    }
    return super.handleExceptionInternal(e, body, headers, status, request);
  }

  @Override
  protected ResponseEntity<Object> handleMissingServletRequestParameter(MissingServletRequestParameterException e,
      HttpHeaders headers, HttpStatusCode status, WebRequest request) {
    var field = new InvalidInputException.FieldError(e.getParameterName(), "is required");
    return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(
        withErrors(problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", e.getParameterName() + " is required"),
            List.of(field)));
  }

  @ExceptionHandler(NotFoundException.class)
  ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
    return ResponseEntity.status(HttpStatus.NOT_FOUND)
        .body(problem(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage()));
  }

  @ExceptionHandler(ForbiddenException.class)
  ResponseEntity<ProblemDetail> forbidden(ForbiddenException e) {
    return ResponseEntity.status(HttpStatus.FORBIDDEN)
        .body(problem(HttpStatus.FORBIDDEN, "forbidden", "Forbidden", e.getMessage()));
  }

  @ExceptionHandler(ConflictException.class)
  ResponseEntity<ProblemDetail> conflict(ConflictException e) {
    return ResponseEntity.status(HttpStatus.CONFLICT)
        .body(problem(HttpStatus.CONFLICT, e.type(), "Conflict", e.getMessage()));
  }

  @ExceptionHandler({EventStoreException.Unavailable.class, DataAccessResourceFailureException.class})
  ResponseEntity<ProblemDetail> unavailable(RuntimeException e) {
    log.warn("dependency unavailable: {}", e.getMessage());
    return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
        .header(HttpHeaders.RETRY_AFTER, "5")
        .body(problem(HttpStatus.SERVICE_UNAVAILABLE, "unavailable", "Service unavailable",
            "The database cannot be reached; try again shortly."));
  }

  @ExceptionHandler(EventStoreException.UnknownType.class)
  ResponseEntity<ProblemDetail> unknownEventType(EventStoreException.UnknownType e) {
    log.error("the log holds an event this build cannot read", e);
    ProblemDetail problem = problem(HttpStatus.INTERNAL_SERVER_ERROR, "unknown-event-type", "Unreadable event",
        e.getMessage());
    problem.setProperty("eventType", e.type());
    problem.setProperty("position", e.position());
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(problem);
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception e) {
    log.error("unexpected failure", e);
    return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR)
        .body(problem(HttpStatus.INTERNAL_SERVER_ERROR, "internal", "Internal error",
            "The request failed on the server; it has been logged."));
  }

  private static ResponseEntity<ProblemDetail> badRequest(String detail, List<InvalidInputException.FieldError> errors) {
    return ResponseEntity.status(HttpStatus.BAD_REQUEST)
        .body(withErrors(problem(HttpStatus.BAD_REQUEST, "invalid-input", "Invalid input", detail), errors));
  }

  private static ProblemDetail withErrors(ProblemDetail problem, List<InvalidInputException.FieldError> errors) {
    problem.setProperty("errors", errors);
    return problem;
  }
}
