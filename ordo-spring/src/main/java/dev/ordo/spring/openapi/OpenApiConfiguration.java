package dev.ordo.spring.openapi;

import dev.ordo.spring.command.CommandEndpoint;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.security.SecurityScheme;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Arrays;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.security.web.access.WebInvocationPrivilegeEvaluator;
import org.springframework.web.bind.annotation.GetMapping;

/**
 * OpenAPI 3 at {@code /v3/api-docs}, Swagger UI at {@code /swagger-ui.html} (springdoc, public in
 * {@code SecurityConfiguration}): the queries as springdoc reads their controllers, with the
 * consistency they can wait for; the commands from their routes ({@link CommandOperations}); the
 * bearer token where the security rules ask for one ({@link TokenRequirements}).
 */
@AutoConfiguration
@ConditionalOnClass(OpenApiCustomizer.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnProperty(name = "springdoc.api-docs.enabled", matchIfMissing = true)
public class OpenApiConfiguration {

  @Bean
  OpenAPI ordoOpenApi() {
    return new OpenAPI()
        .info(new Info().title("Ordo").version("v1")
            .description("Commands and queries of the Ordo platform under /api/v1 (the HTTP contract: API.md)."))
        .components(new Components().addSecuritySchemes(TokenRequirements.SCHEME, new SecurityScheme()
            .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
            .description("Authorization: Bearer <JWT> of the configured issuer (./ordo token, locally)")));
  }

  /** The commands first: they need a token too. */
  @Bean
  OpenApiCustomizer ordoOperations(ObjectProvider<CommandEndpoint> endpoint,
      ObjectProvider<WebInvocationPrivilegeEvaluator> rules, SpringDocConfigProperties springdoc) {
    ModelConverters converters = ModelConverters.getInstance(springdoc.isOpenapi31());
    return api -> {
      endpoint.ifAvailable(commands -> new CommandOperations(commands, converters).customise(api));
      rules.ifAvailable(access -> new TokenRequirements(access).customise(api));
    };
  }

  /**
   * A query that takes the request reads its {@code Ordo-Min-Position} from it
   * ({@code QueryInput.minPosition}), which springdoc cannot see: said here.
   */
  @Bean
  OperationCustomizer ordoMinPosition() {
    return (operation, handler) -> {
      boolean readsRequest = Arrays.stream(handler.getMethodParameters())
          .anyMatch(parameter -> HttpServletRequest.class.isAssignableFrom(parameter.getParameterType()));
      // two handlers of one path (a variant by parameter) share their operation: said once
      boolean said = operation.getParameters() != null
          && operation.getParameters().stream().anyMatch(p -> p.getName().equals("Ordo-Min-Position"));
      if (handler.hasMethodAnnotation(GetMapping.class) && readsRequest && !said) {
        operation
            .addParametersItem(new Parameter().in("header").name("Ordo-Min-Position").schema(new StringSchema())
                .description("a command answer's Ordo-Position or Ordo-Token: waits (up to 5 s) until the read "
                    + "model has it; the answer says Ordo-Consistent: true, or false when the wait timed out"))
            .addParametersItem(new Parameter().in("query").name("minPosition").schema(new StringSchema())
                .description("Ordo-Min-Position as a parameter"));
      }
      return operation;
    };
  }
}
