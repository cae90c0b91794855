package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.ordo.spring.command.CommandEndpoint;
import dev.ordo.spring.command.HttpCommand;
import dev.ordo.test.TestPostgres;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.lang.reflect.RecordComponent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * OpenAPI 3 at {@code /v3/api-docs} and Swagger UI at {@code /swagger-ui.html} (issue 15), asked
 * anonymously: every route the app serves is an operation, the commands the generic endpoint
 * serves included, each with its record's body, its answers and problems; queries with their
 * parameters; the bearer token where the security rules want one.
 */
class OpenApiIntegrationTests {

  private static final Pattern VARIABLE = Pattern.compile("\\{([^}]+)}");
  /** springdoc's own routes: the documentation does not list itself. */
  private static final Set<String> DOCUMENTATION = Set.of("GET /v3/api-docs", "GET /v3/api-docs.yaml",
      "GET /v3/api-docs/swagger-config", "GET /swagger-ui.html");

  private static RunningApp app;
  private static JsonNode docs;

  @BeforeAll
  static void start() {
    app = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase());
    var answer = app.send("GET", "/v3/api-docs", null, "Authorization", "");
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.header("Content-Type")).startsWith("application/json");
    docs = answer.json();
  }

  @AfterAll
  static void stop() {
    if (app != null) {
      app.close();
    }
  }

  @Test
  void everyRouteTheAppServesIsAnOperationAndNothingElse() {
    Set<String> served = served();
    Set<String> commands = app.bean(CommandEndpoint.class).routes().keySet();
    assertThat(commands).as("the command routes").hasSizeGreaterThan(20).contains("PUT /api/v1/products/{id}/price");
    assertThat(served).as("the command endpoint maps its routes").containsAll(commands).containsAll(DOCUMENTATION);
    served.removeAll(DOCUMENTATION);

    assertThat(documented()).containsExactlyInAnyOrderElementsOf(served);
  }

  @Test
  void eachCommandHasItsRecordAsBodyItsAnswersAndItsProblems() {
    List<String> wrong = new ArrayList<>();
    app.bean(CommandEndpoint.class).routes().forEach((route, type) -> {
      HttpCommand http = type.getAnnotation(HttpCommand.class);
      JsonNode operation = operation(route);
      assertThat(operation.get("operationId").asString()).as(route).isNotEqualTo("handle");
      // the body: the record's components but the id the path or the server gives and those JSON ignores
      Set<String> fields = new TreeSet<>(Arrays.stream(type.getRecordComponents())
          .filter(component -> !component.getAccessor().isAnnotationPresent(JsonIgnore.class))
          .map(RecordComponent::getName).toList());
      fields.remove(http.id());
      Set<String> properties = new TreeSet<>();
      JsonNode body = operation.path("requestBody").path("content").path("application/json").path("schema");
      if (!body.isMissingNode()) {
        schema(body).path("properties").propertyNames().forEach(properties::add);
      }
      if (!properties.equals(fields)) {
        wrong.add(route + " body " + properties + ", not " + fields);
      }
      JsonNode responses = operation.get("responses");
      JsonNode success = responses.path(http.creates() ? "201" : "200");
      for (String header : http.creates() ? List.of("ETag", "Ordo-Position", "Ordo-Token", "Location")
          : List.of("ETag", "Ordo-Position", "Ordo-Token")) {
        if (success.path("headers").path(header).isMissingNode()) {
          wrong.add(route + " success without " + header);
        }
      }
      if (!ref(success.path("content").path("application/json").path("schema")).equals("CommandResult")) {
        wrong.add(route + " success body " + success);
      }
      if (responses.path("202").path("headers").path("Location").isMissingNode()) {
        wrong.add(route + " without its 202");
      }
      List<String> problems = new ArrayList<>(List.of("400", "401", "403", "404", "409", "422", "503"));
      if (!http.creates()) {
        problems.add("412");
      }
      for (String status : problems) {
        if (!ref(responses.path(status).path("content").path("application/problem+json").path("schema")).equals("Problem")) {
          wrong.add(route + " without its " + status + " problem");
        }
      }
      if (!operation.path("security").toString().contains("bearerAuth")) {
        wrong.add(route + " without the bearer token");
      }
    });
    assertThat(wrong).isEmpty();

    // the validation rules of the records, as swagger-core reads their Jakarta annotations
    JsonNode review = schema(operation("POST /api/v1/products/{id}/reviews")
        .at("/requestBody/content/application~1json/schema"));
    assertThat(review.at("/properties/rating/minimum").asInt()).isEqualTo(1);
    assertThat(review.at("/properties/rating/maximum").asInt()).isEqualTo(5);
    assertThat(review.at("/properties/comment/maxLength").asInt()).isEqualTo(5000);
    assertThat(review.get("required").toString()).contains("rating").doesNotContain("comment");
    JsonNode order = schema(operation("POST /api/v1/orders").at("/requestBody/content/application~1json/schema"));
    assertThat(order.get("required").toString()).contains("userId", "items", "shippingAddress");
    assertThat(schema(order.at("/properties/items/items")).get("properties").propertyNames())
        .contains("productId", "quantity");
    assertThat(docs.at("/components/schemas/Problem/properties").propertyNames())
        .contains("type", "title", "status", "detail", "errors", "rule");
  }

  @Test
  void queriesComeWithTheirParametersAndTheTokenWhereTheRulesWantOne() {
    List<String> wrong = new ArrayList<>();
    docs.get("paths").properties().forEach(path -> path.getValue().properties().forEach(method -> {
      Set<String> parameters = new TreeSet<>();
      method.getValue().path("parameters").forEach(p -> parameters.add(p.get("in").asString() + " " + p.get("name").asString()));
      Matcher variables = VARIABLE.matcher(path.getKey());
      while (variables.find()) {
        if (!parameters.contains("path " + variables.group(1))) {
          wrong.add(method.getKey() + " " + path.getKey() + " without its path parameter " + variables.group(1));
        }
      }
    }));
    assertThat(wrong).isEmpty();

    JsonNode listing = operation("GET /api/v1/products");
    assertThat(names(listing.get("parameters"))).contains("query storeId", "query categoryId", "query minPrice",
        "query maxPrice", "query status", "query sort", "query cursor", "query size", "header Ordo-Min-Position",
        "query minPosition");
    assertThat(names(operation("GET /api/v1/orders").get("parameters")))
        .contains("query userId", "query status", "query from", "query to", "header Ordo-Min-Position");
    assertThat(names(operation("GET /api/v1/products/stream").get("parameters")))
        .contains("header Last-Event-ID", "query after").doesNotContain("header Ordo-Min-Position");
    assertThat(names(operation("GET /api/v1/products/{id}").get("parameters")))
        .containsOnlyOnce("header Ordo-Min-Position");

    assertThat(docs.at("/components/securitySchemes/bearerAuth/scheme").asString()).isEqualTo("bearer");
    assertThat(docs.at("/components/securitySchemes/bearerAuth/bearerFormat").asString()).isEqualTo("JWT");
    // public: the catalog's queries; a token: a product's audit trail, the orders, operations
    for (String open : List.of("GET /api/v1/products", "GET /api/v1/products/{id}", "GET /api/v1/categories",
        "GET /api/v1/search/popular")) {
      assertThat(operation(open).has("security")).as(open).isFalse();
    }
    for (String closed : List.of("GET /api/v1/products/{id}/history", "GET /api/v1/orders/{id}", "GET /api/v1/events",
        "GET /api/v1/dashboard", "POST /api/v1/projections/{name}/rebuild", "DELETE /api/v1/customers/{id}/personal-data")) {
      assertThat(operation(closed).path("security").toString()).as(closed).contains("bearerAuth");
      assertThat(ref(operation(closed).at("/responses/401/content/application~1problem+json/schema")))
          .as(closed).isEqualTo("Problem");
    }
  }

  @Test
  void swaggerUiAnswersAnonymously() {
    var welcome = app.send("GET", "/swagger-ui.html", null, "Authorization", "");
    assertThat(welcome.status()).isEqualTo(302);
    String location = welcome.header("Location");
    assertThat(location).contains("/swagger-ui/index.html");
    var page = app.send("GET", location.replaceFirst("^https?://[^/]+", ""), null, "Authorization", "");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.body()).containsIgnoringCase("swagger");
    var config = app.send("GET", "/v3/api-docs/swagger-config", null, "Authorization", "");
    assertThat(config.status()).as(config.body()).isEqualTo(200);
    assertThat(config.json().get("url").asString()).isEqualTo("/v3/api-docs");
  }

  /** Every method and path pattern the app serves, as AccessMatrixIntegrationTests reads them. */
  private static Set<String> served() {
    var mappings = app.context.getBean("requestMappingHandlerMapping", RequestMappingHandlerMapping.class);
    Set<String> routes = new TreeSet<>();
    for (RequestMappingInfo info : mappings.getHandlerMethods().keySet()) {
      for (String pattern : info.getPatternValues()) {
        if (!pattern.equals("/error")) {
          info.getMethodsCondition().getMethods().forEach(method -> routes.add(method.name() + " " + pattern));
        }
      }
    }
    return routes;
  }

  private static Set<String> documented() {
    Set<String> operations = new TreeSet<>();
    docs.get("paths").properties().forEach(path -> path.getValue().propertyNames()
        .forEach(method -> operations.add(method.toUpperCase() + " " + path.getKey())));
    return operations;
  }

  private static JsonNode operation(String route) {
    String[] parts = route.split(" ", 2);
    JsonNode operation = docs.get("paths").path(parts[1]).path(parts[0].toLowerCase());
    assertThat(operation.isMissingNode()).as(route + " documented").isFalse();
    return operation;
  }

  /** The schema itself, where it is a reference to a component. */
  private static JsonNode schema(JsonNode schema) {
    return schema.has("$ref") ? docs.get("components").get("schemas").get(ref(schema)) : schema;
  }

  private static String ref(JsonNode schema) {
    return schema.path("$ref").asString("").replace("#/components/schemas/", "");
  }

  private static List<String> names(JsonNode parameters) {
    List<String> names = new ArrayList<>();
    parameters.forEach(p -> names.add(p.get("in").asString() + " " + p.get("name").asString()));
    return names;
  }
}
