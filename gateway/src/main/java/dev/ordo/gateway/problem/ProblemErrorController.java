package dev.ordo.gateway.problem;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The servlet error page ({@code /error}) as problem details, in place of Spring Boot's
 * BasicErrorController. Spring MVC's own failures (no route: 404, wrong method: 405) are problem
 * details already ({@code spring.mvc.problemdetails.enabled}); what reaches this page is what failed
 * outside its handlers: an exception no handler took, a {@code sendError} of the container. The
 * detail is generic and the cause goes to the log, never to the client.
 */
@RestController
public class ProblemErrorController implements ErrorController {

  private static final Logger log = LoggerFactory.getLogger(ProblemErrorController.class);

  @RequestMapping("${server.error.path:/error}")
  ResponseEntity<ProblemDetail> error(HttpServletRequest request) {
    // called directly rather than as the error page: there is nothing at this path
    int status = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer code ? code : 404;
    if (request.getAttribute(RequestDispatcher.ERROR_EXCEPTION) instanceof Throwable failure) {
      log.error("request failed outside the handlers", failure);
    }
    HttpStatus known = HttpStatus.resolve(status);
    ProblemDetail problem = ProblemDetail.forStatus(status);
    problem.setTitle(known == null ? "HTTP " + status : known.getReasonPhrase());
    problem.setDetail(status >= 500 ? "The gateway failed to handle the request; it has been logged."
        : "The gateway cannot handle this request.");
    if (request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI) instanceof String path) {
      try {
        problem.setInstance(URI.create(path));
      } catch (IllegalArgumentException e) {
        // not a URI reference: leave the instance out
      }
    }
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
  }
}
