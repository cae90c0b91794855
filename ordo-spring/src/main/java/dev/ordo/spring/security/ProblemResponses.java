package dev.ordo.spring.security;

import dev.ordo.spring.problem.ProblemHandlers;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * 401, 403 and the firewall's 400 as problem details (RFC 9457), with the {@code WWW-Authenticate} header RFC 6750
 * asks of a resource server. The detail says what was wrong with a token, never a stack trace.
 */
final class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final BearerTokenAuthenticationEntryPoint bearer = new BearerTokenAuthenticationEntryPoint();
  private final BearerTokenAccessDeniedHandler denied = new BearerTokenAccessDeniedHandler();

  @Override
  public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
      throws IOException {
    bearer.commence(request, response, e);
    String detail = e instanceof InvalidBearerTokenException invalid
        ? "The bearer token is not accepted: " + invalid.getMessage()
        : request.getHeader("Authorization") == null ? "This needs a bearer token (Authorization: Bearer <JWT>)."
        : "The credentials are not accepted: " + e.getMessage();
    write(response, 401, "Unauthorized", detail, request);
  }

  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
      throws IOException {
    denied.handle(request, response, e);
    write(response, 403, "Forbidden", "The caller's roles do not allow " + request.getMethod() + " "
        + request.getRequestURI() + ".", request);
  }

  /** What the firewall refuses before any rule is asked (a path escaping the root, a control character). */
  @Override
  public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
      throws IOException {
    write(response, 400, "Bad Request",
        "The request cannot be read: its request line, a header or the encoding of its URL is malformed.", request);
  }

  private static void write(HttpServletResponse response, int status, String title, String detail,
      HttpServletRequest request) throws IOException {
    Map<String, Object> problem = new LinkedHashMap<>();
    problem.put("type", "https://ordo.dev/problems/" + ProblemHandlers.type(status));
    problem.put("title", title);
    problem.put("status", status);
    problem.put("detail", detail);
    problem.put("instance", request.getRequestURI());
    response.setStatus(status);
    response.setContentType("application/problem+json");
    response.getOutputStream().write(JSON.writeValueAsBytes(problem));
  }
}
