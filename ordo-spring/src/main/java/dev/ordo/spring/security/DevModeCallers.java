package dev.ordo.spring.security;

import dev.ordo.command.Caller;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Development mode only ({@code ordo.security.mode=dev}): a request without a token is whoever
 * its {@code X-User-Id} says, with the roles of {@code X-User-Roles} (comma separated, default
 * {@code customer}) and the stores of {@code X-User-Stores}. Anyone can be anyone: never in production.
 */
final class DevModeCallers extends OncePerRequestFilter {

  @Override
  protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String user = request.getHeader("X-User-Id");
    if (user != null && !user.isBlank() && request.getHeader("Authorization") == null) {
      String roles = request.getHeader("X-User-Roles");
      var caller = new Caller(user.strip(), list(roles == null ? "customer" : roles),
          list(request.getHeader("X-User-Stores")));
      SecurityContextHolder.getContext().setAuthentication(new CallerAuthentication(caller, null));
    }
    chain.doFilter(request, response);
  }

  private static Set<String> list(String header) {
    return header == null ? Set.of() : Arrays.stream(header.split(",")).map(String::strip)
        .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
  }
}
