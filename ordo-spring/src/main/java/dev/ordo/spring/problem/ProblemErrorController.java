package dev.ordo.spring.problem;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet error page ({@code /error}) as problem details, in place of Spring Boot's
 * BasicErrorController: errors raised outside Spring MVC's handlers (a filter, {@code sendError})
 * reach it. Whatever the client accepts, the answer is {@code application/problem+json}.
 */
@Hidden // the error page, not a route of the API
@RestController
public class ProblemErrorController implements ErrorController {

  private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

  @RequestMapping("${server.error.path:${error.path:/error}}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    // called directly, not forwarded to: there is nothing at /error
    int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 404;
    if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure && status >= 500) {
      log.error("unexpected failure outside the handlers", failure);
    }
    ProblemDetail problem = ProblemHandlers.problem(status);
    if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String path) {
      try {
        problem.setInstance(URI.create(path));
      } catch (IllegalArgumentException e) {
        // not a URI reference: leave the instance out rather than guess
      }
    }
    return ResponseEntity.status(status).body(problem);
  }
}
