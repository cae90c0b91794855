package dev.ordo.spring.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AuthorizeHttpRequestsConfigurer;

/**
 * The rules a context adds for its routes, before the platform's own and the last one, which
 * denies every route nobody allowed. A command route only needs {@code authenticated()}: who may
 * run which command on which aggregate is the aggregate's {@link dev.ordo.command.AggregateType.Access}.
 */
@FunctionalInterface
public interface RouteAccess {

  void rules(AuthorizeHttpRequestsConfigurer<HttpSecurity>.AuthorizationManagerRequestMatcherRegistry routes);
}
