package dev.ordo.spring.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;

/**
 * Marks with the bearer token every operation an anonymous caller may not call, with the 401 and
 * 403 it may answer. Asked of the security rules themselves ({@code RouteAccess} and the
 * platform's), route by route, so the documentation cannot say a route is public when it is not.
 */
final class TokenRequirements implements OpenApiCustomizer {

  static final String SCHEME = "bearerAuth";
  private static final Authentication ANONYMOUS = new AnonymousAuthenticationToken("openapi", "anonymous",
      AuthorityUtils.createAuthorityList("ROLE_ANONYMOUS"));

  private final WebInvocationPrivilegeEvaluator rules;

  TokenRequirements(WebInvocationPrivilegeEvaluator rules) {
    this.rules = rules;
  }

  @Override
  public void customise(OpenAPI api) {
    if (api.getPaths() == null) {
      return;
    }
    Problems.register(api.getComponents());
    api.getPaths().forEach((path, item) -> item.readOperationsMap().forEach((method, operation) -> {
      // a path variable as a request would fill it: the rules match segments, never their values
      String uri = path.replaceAll("\\{[^/]+}", "x");
      if (rules.isAllowed("", uri, method.name(), ANONYMOUS)) {
        return;
      }
      operation.addSecurityItem(new SecurityRequirement().addList(SCHEME));
      operation.getResponses()
          .addApiResponse("401", Problems.response("no token, or one that is not valid"))
          .addApiResponse("403", Problems.response("the caller's role, store or ownership does not allow it"));
    }));
  }
}
