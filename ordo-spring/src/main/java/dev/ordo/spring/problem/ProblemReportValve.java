package dev.ordo.spring.problem;

import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;
import org.springframework.http.ProblemDetail;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tomcat's error report as problem details instead of its HTML page: for what the container
 * refuses before Spring sees it (a malformed request line, bad percent-encoding, a header over
 * the limit, an encoded slash), and for anything else that reaches the host without a body.
 */
public class ProblemReportValve extends ErrorReportValve {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @Override
  protected void report(Request request, Response response, Throwable throwable) {
    int status = response.getStatus();
    // as the HTML report: only an error, only if nothing was written, only once, only if the connection can take it
    if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
      return;
    }
    AtomicBoolean ioAllowed = new AtomicBoolean();
    response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
    if (!ioAllowed.get()) {
      return;
    }
    ProblemDetail problem = ProblemHandlers.problem(status);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", problem.getType().toString());
    body.put("title", problem.getTitle());
    body.put("status", status);
    body.put("detail", problem.getDetail());
    String instance = instance(request);
    if (instance != null) {
      body.put("instance", instance);
    }
    try {
      response.setContentType("application/problem+json");
      response.setCharacterEncoding("UTF-8");
      Writer writer = response.getReporter();
      if (writer != null) {
        writer.write(JSON.writeValueAsString(body));
        response.finishResponse();
      }
    } catch (IOException | IllegalStateException e) {
      // the client is gone or the response cannot take a body: nothing more to say
    }
  }

  /** The request's path when it is a URI reference (a malformed one is what may have been refused). */
  private static String instance(Request request) {
    String path;
    try {
      path = request.getRequestURI();
    } catch (RuntimeException e) {
      return null;
    }
    if (path == null || path.isEmpty() || path.length() > 2_000) {
      return null;
    }
    try {
      return URI.create(path).toString();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
