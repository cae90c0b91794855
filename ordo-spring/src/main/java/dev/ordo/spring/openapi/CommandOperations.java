package dev.ordo.spring.openapi;

import dev.ordo.spring.command.CommandEndpoint;
import dev.ordo.spring.command.HttpCommand;
import dev.ordo.spring.command.OwnedAggregates;
import io.swagger.v3.core.converter.AnnotatedType;
import io.swagger.v3.core.converter.ModelConverters;
import io.swagger.v3.core.converter.ResolvedSchema;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.Paths;
import io.swagger.v3.oas.models.headers.Header;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.media.UUIDSchema;
import io.swagger.v3.oas.models.parameters.HeaderParameter;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.parameters.PathParameter;
import io.swagger.v3.oas.models.parameters.RequestBody;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import java.util.List;
import org.springdoc.core.customizers.OpenApiCustomizer;

/**
 * The commands as OpenAPI operations. They have no controller (the generic {@link CommandEndpoint}
 * serves every route, ARCHITECTURE.md decision 9), so springdoc cannot see them: each route the
 * endpoint mapped becomes an operation, its body the command record's schema as swagger-core reads
 * it (Jakarta validation included) without the id the path or the server gives, and its answers
 * the common rules of API.md "Commands — common rules".
 */
final class CommandOperations implements OpenApiCustomizer {

  private static final String RESULT = "CommandResult";
  private static final String ACCEPTED = "CommandAccepted";

  private final CommandEndpoint endpoint;
  private final ModelConverters converters;

  CommandOperations(CommandEndpoint endpoint, ModelConverters converters) {
    this.endpoint = endpoint;
    this.converters = converters;
  }

  @Override
  public void customise(OpenAPI api) {
    if (api.getComponents() == null) {
      api.setComponents(new Components());
    }
    if (api.getPaths() == null) {
      api.setPaths(new Paths());
    }
    Problems.register(api.getComponents());
    api.getComponents()
        .addSchemas(RESULT, new ObjectSchema()
            .addProperty("id", new StringSchema().description("the aggregate's id"))
            .addProperty("version", new IntegerSchema().format("int64").description("the aggregate's version now"))
            .addProperty("position", new IntegerSchema().format("int64").description("where the events are in the log")))
        .addSchemas(ACCEPTED, new ObjectSchema()
            .addProperty("commandId", new UUIDSchema())
            .addProperty("status", new StringSchema()._enum(List.of("PENDING"))));
    endpoint.routes().forEach((route, type) -> {
      String method = route.substring(0, route.indexOf(' '));
      String path = route.substring(route.indexOf(' ') + 1);
      api.getPaths().computeIfAbsent(path, p -> new PathItem())
          .operation(PathItem.HttpMethod.valueOf(method), operation(type, type.getAnnotation(HttpCommand.class), api.getComponents()));
    });
  }

  private Operation operation(Class<?> type, HttpCommand http, Components components) {
    String name = type.getSimpleName();
    String words = name.replaceAll("(?<=[a-z])(?=[A-Z])", " ").toLowerCase();
    var operation = new Operation()
        .operationId(Character.toLowerCase(name.charAt(0)) + name.substring(1))
        .summary(words.substring(0, 1).toUpperCase() + words.substring(1))
        .description("The command `" + type.getCanonicalName().substring(type.getPackageName().length() + 1)
            + "`, served by the generic command endpoint.")
        .addTagsItem(OwnedAggregates.aggregateOf(type) + "-commands");
    if (http.path().contains("{id}")) {
      operation.addParametersItem(new PathParameter().name("id").required(true).schema(new UUIDSchema())
          .description("the " + OwnedAggregates.aggregateOf(type) + "'s id"));
    }
    if (!http.creates()) {
      operation.addParametersItem(header("If-Match", "runs only if the aggregate is at this version, as in \"3\"; else 412"));
    }
    operation
        .addParametersItem(header("Idempotency-Key", "a repeat with the same key and body answers the first answer "
            + "again (Idempotent-Replayed: true) and appends nothing; the same key with another body is a 422"))
        .addParametersItem(header("Prefer", "respond-async: 202, run later; follow the Location"))
        .addParametersItem(header("X-Request-Id", "the correlation id recorded with the events"));
    RequestBody body = body(type, http.id(), components);
    if (body != null) {
      operation.requestBody(body);
    }
    return operation.responses(responses(http));
  }

  /** The record's schema less its id component, or none when that is all it has. */
  private RequestBody body(Class<?> type, String idComponent, Components components) {
    ResolvedSchema resolved = converters.resolveAsResolvedSchema(new AnnotatedType(type).resolveAsRef(false));
    Schema<?> schema = resolved.schema;
    if (schema.getProperties() != null) {
      schema.getProperties().remove(idComponent);
    }
    if (schema.getRequired() != null) {
      schema.getRequired().remove(idComponent);
    }
    if (schema.getProperties() == null || schema.getProperties().isEmpty()) {
      return null;
    }
    resolved.referencedSchemas.forEach((name, referenced) -> {
      if (!name.equals(schema.getName())) {
        components.addSchemas(name, referenced);
      }
    });
    components.addSchemas(schema.getName(), schema);
    boolean required = schema.getRequired() != null && !schema.getRequired().isEmpty();
    return new RequestBody().required(required).content(new Content().addMediaType("application/json",
        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + schema.getName()))));
  }

  private static ApiResponses responses(HttpCommand http) {
    var success = new ApiResponse()
        .description(http.creates() ? "created" : "done")
        .content(json(RESULT))
        .addHeaderObject("ETag", responseHeader("\"<version>\": the aggregate's version, for If-Match"))
        .addHeaderObject("Ordo-Position", responseHeader("this service's log position, for Ordo-Min-Position"))
        .addHeaderObject("Ordo-Token", responseHeader("<stream id>@<version>: what a query of any service can wait for"));
    if (http.creates()) {
      success.addHeaderObject("Location", responseHeader("where the new aggregate can be read"));
    }
    var responses = new ApiResponses()
        .addApiResponse(http.creates() ? "201" : "200", success)
        .addApiResponse("202", new ApiResponse().description("accepted to run later (Prefer: respond-async)")
            .content(json(ACCEPTED)).addHeaderObject("Location", responseHeader("its status: /api/v1/commands/{commandId}")))
        .addApiResponse("400", Problems.response("malformed JSON, a missing or invalid field (errors)"))
        .addApiResponse("404", Problems.response("an unknown aggregate"))
        .addApiResponse("409", Problems.response("a concurrent modification that survived the retries, or the same "
            + "Idempotency-Key still running"));
    if (!http.creates()) {
      responses.addApiResponse("412", Problems.response("If-Match names another version"));
    }
    return responses
        .addApiResponse("413", Problems.response("a body over 64 KiB"))
        .addApiResponse("422", Problems.response("a business rule broken (rule), or an Idempotency-Key reused with "
            + "another request"))
        .addApiResponse("503", Problems.response("the database is down; try again after Retry-After")
            .addHeaderObject("Retry-After", responseHeader("seconds")));
  }

  private static Parameter header(String name, String description) {
    return new HeaderParameter().name(name).required(false).description(description).schema(new StringSchema());
  }

  private static Header responseHeader(String description) {
    return new Header().description(description).schema(new StringSchema());
  }

  private static Content json(String schema) {
    return new Content().addMediaType("application/json",
        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + schema)));
  }
}
