package dev.ordo.spring.security;

import dev.ordo.command.Caller;
import dev.ordo.spring.problem.ForbiddenException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/** The caller of the request being served. */
public final class Callers {

  private Callers() {}

  /** Who sent the request, or null for an anonymous one. */
  public static Caller current() {
    Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
    return authentication instanceof CallerAuthentication known ? known.caller() : null;
  }

  /** The caller, who must be an admin or {@code user}: else 403 (a route without a caller never gets here). */
  public static Caller adminOr(String user) {
    Caller caller = current();
    if (caller == null || !(caller.isAdmin() || caller.is(user))) {
      throw new ForbiddenException("only " + user + " or an admin may see this");
    }
    return caller;
  }
}
