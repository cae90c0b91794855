package dev.ordo.gateway.requestid;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an {@code X-Request-Id}: the client's own when it sent a usable one, else a
 * new UUID. The backend receives it (a write service records it as the correlation id of the events
 * a command appends) and the client gets it back, so one id ties the client's report, the access log
 * and the service's log together. First of the filters, so even the gateway's own errors carry it.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {

  public static final String HEADER = "X-Request-Id";

  // the MDC key under which every log line written for the request finds the id
  private static final String MDC_KEY = "requestId";

  // A client's id goes into logs and into other services' event metadata: short and plain only.
  private static final Pattern USABLE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String given = request.getHeader(HEADER);
    boolean usable = given != null && USABLE.matcher(given).matches();
    String id = usable ? given : UUID.randomUUID().toString();
    response.setHeader(HEADER, id);
    MDC.put(MDC_KEY, id);
    try {
      chain.doFilter(usable ? request : new WithRequestId(request, id), response);
    } finally {
      MDC.remove(MDC_KEY);
    }
  }

  /** The request as the client sent it, but with the gateway's request id in place of the client's. */
  private static final class WithRequestId extends HttpServletRequestWrapper {

    private final String id;

    WithRequestId(HttpServletRequest request, String id) {
      super(request);
      this.id = id;
    }

    @Override
    public String getHeader(String name) {
      return HEADER.equalsIgnoreCase(name) ? id : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
      return HEADER.equalsIgnoreCase(name) ? Collections.enumeration(Set.of(id)) : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
      Set<String> names = new LinkedHashSet<>(Collections.list(super.getHeaderNames()));
      names.removeIf(HEADER::equalsIgnoreCase);
      names.add(HEADER);
      return Collections.enumeration(names);
    }
  }
}
