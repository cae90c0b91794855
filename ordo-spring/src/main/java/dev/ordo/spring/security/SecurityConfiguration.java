package dev.ordo.spring.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import dev.ordo.command.Caller;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AuthorizationManagerWebInvocationPrivilegeEvaluator.HttpServletRequestTransformer;
import org.springframework.security.web.access.PathPatternRequestTransformer;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.security.web.context.RequestAttributeSecurityContextRepository;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Deny by default (API.md "Who may call what"): an OAuth2 resource server on bearer JWTs, verified
 * against the issuer or JWK set configured the Spring Boot way
 * ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri|jwk-set-uri}, {@code .audiences}),
 * or, when none is, against the local signing key ({@link LocalSigningKey}) with the local issuer
 * and audience. Each context adds its routes' rules ({@link RouteAccess}); the platform's are
 * here; any other route is refused.
 */
@AutoConfiguration(before = {SecurityAutoConfiguration.class, UserDetailsServiceAutoConfiguration.class,
    OAuth2ResourceServerAutoConfiguration.class})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
public class SecurityConfiguration {

  private static final Logger log = LoggerFactory.getLogger(SecurityConfiguration.class);
  private static final String NO_ISSUER = "'${spring.security.oauth2.resourceserver.jwt.issuer-uri:}"
      + "${spring.security.oauth2.resourceserver.jwt.jwk-set-uri:}"
      + "${spring.security.oauth2.resourceserver.jwt.public-key-location:}'.isEmpty()";

  @Bean
  SecuritySettings ordoSecuritySettings(Environment environment) {
    return SecuritySettings.from(environment);
  }

  /** The local key, when no issuer is configured: its public half verifies, the whole of it mints. */
  @Bean
  @ConditionalOnExpression(NO_ISSUER)
  RSAKey ordoLocalSigningKey(SecuritySettings settings) {
    return LocalSigningKey.loadOrCreate(settings.keyFile());
  }

  @Bean
  @ConditionalOnExpression(NO_ISSUER)
  Tokens ordoLocalTokens(RSAKey ordoLocalSigningKey, SecuritySettings settings) {
    return new Tokens(ordoLocalSigningKey, settings.issuer(), settings.audience());
  }

  @Bean
  @ConditionalOnExpression(NO_ISSUER)
  JwtDecoder ordoLocalJwtDecoder(RSAKey ordoLocalSigningKey, SecuritySettings settings) throws JOSEException {
    NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(ordoLocalSigningKey.toRSAPublicKey())
        .signatureAlgorithm(SignatureAlgorithm.RS256).build();
    decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
        JwtValidators.createDefaultWithIssuer(settings.issuer()), audience(settings.audience())));
    log.info("tokens are verified with the local signing key {} (issuer {}, audience {})", settings.keyFile(),
        settings.issuer(), settings.audience());
    return decoder;
  }

  /**
   * The firewall as Spring Security has it, but for parameters: a form body is never read as
   * parameters here (a command reads JSON and says what is wrong with the body), and a query's
   * parameters are checked by the query. Header names and values are held to the same rule as Spring
   * Security's (assigned characters, no control characters) by a loop, not a regular expression
   * (3 % of the HTTP threads' samples, most of it on the bearer token). What it refuses is a 400
   * problem.
   */
  @Bean
  WebSecurityCustomizer ordoFirewall() {
    var firewall = new StrictHttpFirewall();
    firewall.setAllowedParameterNames(name -> true);
    firewall.setAllowedParameterValues(value -> true);
    firewall.setAllowedHeaderNames(SecurityConfiguration::allowedInHeaders);
    firewall.setAllowedHeaderValues(SecurityConfiguration::allowedInHeaders);
    return web -> web.httpFirewall(firewall).requestRejectedHandler(new ProblemResponses());
  }

  /** Every code point assigned and none a control character ({@code [\p{IsAssigned}&&[^\p{IsControl}]]*}). */
  static boolean allowedInHeaders(String value) {
    for (int at = 0; at < value.length(); ) {
      int c = value.codePointAt(at);
      if ((c < 0x20 || c > 0x7e) && (!Character.isDefined(c) || Character.isISOControl(c))) {
        return false;
      }
      at += Character.charCount(c);
    }
    return true;
  }

  /**
   * No observation per security filter: the benchmark's profile showed them costing more than the
   * filters themselves; each request is still observed once, as an HTTP request.
   */
  @Bean
  SecurityObservationSettings ordoSecurityObservations() {
    return SecurityObservationSettings.noObservations();
  }

  /**
   * What a route allows can be asked ({@link WebInvocationPrivilegeEvaluator}: the API documentation
   * asks it who needs a token) of a made-up request, which cannot say its dispatcher type, which the
   * rules below read: it is an ordinary request.
   */
  @Bean
  HttpServletRequestTransformer ordoPrivilegeRequests() {
    var paths = new PathPatternRequestTransformer();
    return request -> new HttpServletRequestWrapper(paths.transform(request)) {
      @Override
      public DispatcherType getDispatcherType() {
        return DispatcherType.REQUEST;
      }
    };
  }

  @Bean
  SecurityFilterChain ordoSecurityFilterChain(HttpSecurity http, SecuritySettings settings,
      ObjectProvider<RouteAccess> contexts, JwtDecoder decoder) {
    var problems = new ProblemResponses();
    http.csrf(csrf -> csrf.disable()) // bearer tokens, no cookies: nothing a forged form could ride on
        .sessionManagement(session -> session.disable()) // no sessions: a token with every request
        .securityContext(context -> context.securityContextRepository(new RequestAttributeSecurityContextRepository()))
        .servletApi(api -> api.disable()) // callers are read from the security context (Callers)
        .requestCache(cache -> cache.disable())
        .httpBasic(basic -> basic.disable())
        .formLogin(form -> form.disable())
        .logout(logout -> logout.disable())
        .headers(headers -> headers.cacheControl(cache -> cache.disable())) // queries set their own (ETag)
        .exceptionHandling(errors -> errors.authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .oauth2ResourceServer(server -> server
            .bearerTokenResolver(new BearerTokens())
            .jwt(jwt -> jwt.decoder(new VerifiedTokens(decoder))
                .jwtAuthenticationConverter(token -> callerOf(token, settings)))
            .authenticationEntryPoint(problems).accessDeniedHandler(problems))
        .authorizeHttpRequests(routes -> {
          // the error page and an SSE stream's later dispatches: the request itself was checked
          routes.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll();
          routes.requestMatchers("/error").permitAll();
          contexts.orderedStream().forEach(context -> context.rules(routes));
          // the API's documentation (springdoc): what it lists says who may call what, not more
          routes.requestMatchers(HttpMethod.GET, "/v3/api-docs", "/v3/api-docs.yaml", "/v3/api-docs/**",
              "/swagger-ui.html", "/swagger-ui/**").permitAll();
          routes.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus").permitAll()
              .requestMatchers("/actuator/**").hasRole("ADMIN")
              // the console's files (no data in them: what it shows comes from the admin routes)
              .requestMatchers(HttpMethod.GET, "/admin", "/admin/", "/admin/**").permitAll()
              .requestMatchers("/api/v1/flags", "/api/v1/flags/**", "/api/v1/verifications",
                  "/api/v1/verifications/**").hasRole("ADMIN")
              .requestMatchers("/api/v1/events", "/api/v1/streams/**", "/api/v1/projections", "/api/v1/projections/**",
                  "/api/v1/actors/**").hasRole("ADMIN")
              .requestMatchers(HttpMethod.GET, "/api/v1/commands/*").authenticated()
              .anyRequest().denyAll();
        });
    if (settings.devMode()) {
      log.warn("""

          ************************************************************************************
          *  DEVELOPMENT MODE (ordo.security.mode=dev): X-User-Id is trusted as the caller,  *
          *  with the roles of X-User-Roles. Anyone can act as anyone. Never in production.  *
          ************************************************************************************""");
      http.addFilterBefore(new DevModeCallers(), BearerTokenAuthenticationFilter.class);
    }
    return http.build();
  }

  private static CallerAuthentication callerOf(Jwt token, SecuritySettings settings) {
    if (token.getSubject() == null || token.getSubject().isBlank()) {
      throw new InvalidBearerTokenException("the token names no subject (sub)");
    }
    var caller = new Caller(token.getSubject(), strings(token, settings.rolesClaim()),
        strings(token, settings.storesClaim()));
    return new CallerAuthentication(caller, token);
  }

  /**
   * A claim holding a list of strings (or one string), read straight from the claims: {@code
   * ClaimAccessor.getClaimAsStringList} goes through the conversion service, which was most of
   * this method's cost in the profile of {@code command_http}. Null when the token has no such claim.
   */
  private static Set<String> strings(Jwt token, String claim) {
    Object value = token.getClaims().get(claim);
    if (value == null) {
      return null;
    }
    Set<String> strings = new HashSet<>();
    if (value instanceof Collection<?> values) {
      values.forEach(v -> strings.add(String.valueOf(v)));
    } else {
      strings.add(String.valueOf(value));
    }
    return strings;
  }

  private static OAuth2TokenValidator<Jwt> audience(String audience) {
    OAuth2Error wrong = new OAuth2Error("invalid_token", "the token is not for audience " + audience, null);
    return token -> token.getAudience() != null && token.getAudience().contains(audience)
        ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(wrong);
  }
}
