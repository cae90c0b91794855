package dev.ordo.gateway.accesslog;

import dev.ordo.gateway.requestid.RequestIdFilter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Writes one line per request to the logger {@code dev.ordo.gateway.access}: method, path, status,
 * duration, the route that served it and the request id. The route says which service answered
 * ({@code order-query-fallback} when the write service stood in for the read model); the query
 * string is left out, as it can carry personal data. Runs inside {@link RequestIdFilter}, so the
 * request id is known.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 1)
public class AccessLogFilter extends OncePerRequestFilter {

  private static final Logger access = LoggerFactory.getLogger("dev.ordo.gateway.access");

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    long start = System.nanoTime();
    boolean failed = true;
    try {
      chain.doFilter(request, response);
      failed = false;
    } finally {
      // an exception still on its way out becomes the container's 500
      int status = failed ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : response.getStatus();
      Object route = request.getAttribute(MvcUtils.GATEWAY_ROUTE_ID_ATTR);
      access.info("{} {} {} {}ms route={} requestId={}", request.getMethod(), request.getRequestURI(), status,
          (System.nanoTime() - start) / 1_000_000, route == null ? "-" : route,
          request.getHeader(RequestIdFilter.HEADER));
    }
  }
}
