package dev.ordo.spring.security;

import dev.ordo.command.Caller;
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
}
