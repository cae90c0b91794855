package dev.ordo.spring.security;

import dev.ordo.command.Caller;
import java.util.Locale;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** An authenticated request's caller, with a {@code ROLE_<ROLE>} authority per role. */
final class CallerAuthentication extends AbstractAuthenticationToken {

  private final Caller caller;
  private final Object credentials;

  CallerAuthentication(Caller caller, Object credentials) {
    super(caller.roles().stream().map(r -> new SimpleGrantedAuthority("ROLE_" + r.toUpperCase(Locale.ROOT))).toList());
    this.caller = caller;
    this.credentials = credentials;
    setAuthenticated(true);
  }

  Caller caller() {
    return caller;
  }

  @Override
  public Object getCredentials() {
    return credentials;
  }

  @Override
  public Object getPrincipal() {
    return caller;
  }

  @Override
  public String getName() {
    return caller.id();
  }
}
