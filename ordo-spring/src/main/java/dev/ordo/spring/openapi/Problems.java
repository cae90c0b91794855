package dev.ordo.spring.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;

/** Every error is an RFC 9457 problem (API.md "Commands — common rules"): one schema, one kind of answer. */
final class Problems {

  static final String SCHEMA = "Problem";

  private Problems() {}

  /** An answer of this status whose body is a problem. */
  static ApiResponse response(String description) {
    return new ApiResponse().description(description).content(new Content().addMediaType("application/problem+json",
        new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + SCHEMA))));
  }

  static void register(Components components) {
    if (components.getSchemas() != null && components.getSchemas().containsKey(SCHEMA)) {
      return;
    }
    Schema<?> field = new ObjectSchema()
        .addProperty("field", new StringSchema().description("the field, header or parameter, as in items[0].quantity"))
        .addProperty("message", new StringSchema());
    components.addSchemas(SCHEMA, new ObjectSchema()
        .description("RFC 9457 problem details")
        .addProperty("type", new StringSchema().format("uri").example("https://ordo.dev/problems/invalid-input"))
        .addProperty("title", new StringSchema())
        .addProperty("status", new IntegerSchema())
        .addProperty("detail", new StringSchema())
        .addProperty("instance", new StringSchema())
        .addProperty("errors", new ArraySchema().items(field).description("400: what is wrong with which field"))
        .addProperty("rule", new StringSchema().description("422: the business rule broken, stable")));
  }
}
