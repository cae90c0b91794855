package dev.ordo.spring.command;

import dev.ordo.command.CommandException;
import dev.ordo.command.CommandMetadata;
import dev.ordo.command.CommandRecord;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.TimeOrderedUuid;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.security.Callers;
import dev.ordo.spring.tracing.Traces;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.web.servlet.HandlerMapping;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.TokenStreamContext;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.EnumFeature;
import tools.jackson.databind.exc.PropertyBindingException;
import tools.jackson.databind.json.JsonMapper;

/**
 * A command read from an HTTP request, ready to dispatch: the body read straight into the command
 * record of the route, the aggregate id from the path (or a new one), If-Match as the expected
 * version, and the request's caller and {@code X-Request-Id} as its metadata.
 *
 * @param expectedVersion the version of If-Match, or null
 */
record CommandRequest(Object command, String aggregateId, Long expectedVersion, CommandMetadata metadata) {

  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);
  private static final Pattern IF_MATCH = Pattern.compile("(?:W/)?\"?(\\d{1,18})\"?");
  /**
   * Strict, since a guess is a wrong command: a field the command does not take (or ignores), a
   * number in a string, a fraction for a whole number, an enum by its index are bad input.
   */
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_IGNORED_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
      .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
      .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
      .enable(EnumFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
      .build();

  /** The body, or null when it is larger than a command may be. */
  static byte[] body(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > MAX_BODY_BYTES) {
      return null;
    }
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      return body.length > MAX_BODY_BYTES ? null : body;
    }
  }

  /** Reads and checks a request; bad input is an {@link InvalidInputException}, an unknown id a not-found. */
  static CommandRequest read(CommandRoute route, HttpServletRequest request, byte[] body, UUID commandId) {
    Object command = readCommand(route.type(), request, body);
    String aggregateId;
    if (route.creates()) {
      aggregateId = TimeOrderedUuid.next().toString();
    } else {
      @SuppressWarnings("unchecked")
      var variables = (Map<String, String>) request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE);
      aggregateId = canonicalUuid(variables.get("id"));
    }
    command = route.idSetter().apply(command, aggregateId);
    Long expected = expectedVersion(request.getHeader("If-Match"));
    String correlation = header(request, "X-Request-Id");
    var metadata = new CommandMetadata(commandId, correlation == null ? commandId.toString() : correlation, null,
        Callers.current(), Traces.of(request.getHeader("traceparent")));
    return new CommandRequest(command, aggregateId, expected, metadata);
  }

  /** A command accepted earlier to run later, as the command log kept it. */
  static CommandRequest of(CommandRecord.Pending accepted, CommandRoute route) {
    Object command = JSON.readValue(accepted.payload(), route.type());
    CommandMetadata metadata = accepted.metadata() != null ? accepted.metadata()
        : new CommandMetadata(accepted.commandId(), accepted.commandId().toString(), null, null);
    return new CommandRequest(command, accepted.aggregateId(), accepted.expectedVersion(), metadata);
  }

  /** What the command log keeps of it to run it later, after a restart if need be. */
  CommandRecord.Pending deferred(String commandType, String idempotencyKey, String fingerprint) {
    return new CommandRecord.Pending(metadata.commandId(), commandType, idempotencyKey, fingerprint, aggregateId,
        JSON.writeValueAsString(command), metadata, expectedVersion);
  }

  /** A creating command's stream must not exist yet; other commands hold If-Match if there was one. */
  ExpectedVersion expected(CommandRoute route) {
    return route.creates() ? ExpectedVersion.noStream()
        : expectedVersion == null ? ExpectedVersion.any()
        : ExpectedVersion.exactly(expectedVersion);
  }

  /** Aggregate ids are UUIDs; any other id names no aggregate. */
  private static String canonicalUuid(String id) {
    if (id == null || id.length() != 36) {
      throw new CommandException.NotFound("aggregate", String.valueOf(id));
    }
    try {
      return UUID.fromString(id).toString();
    } catch (IllegalArgumentException e) {
      throw new CommandException.NotFound("aggregate", id);
    }
  }

  /** The body read straight into the command record, in one pass; its id component is set afterwards. */
  /**
   * A NUL (U+0000, escaped in JSON) in a string is valid JSON that PostgreSQL's jsonb cannot store: a
   * 400 naming the field. A byte scan first, so an ordinary body is tokenized only once.
   */
  private static void refuseNul(byte[] body) {
    if (!new String(body, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("\\u0000")) {
      return;
    }
    try (JsonParser parser = JSON.createParser(body)) {
      for (JsonToken token = parser.nextToken(); token != null; token = parser.nextToken()) {
        if ((token == JsonToken.VALUE_STRING || token == JsonToken.PROPERTY_NAME) && parser.getString().indexOf('\0') >= 0) {
          String field = parser.currentName();
          throw new InvalidInputException(field == null ? "body" : field, "must not contain a NUL character");
        }
      }
    } catch (JacksonException e) {
      // malformed: reading the command says how
    }
  }

  private static Object readCommand(Class<?> type, HttpServletRequest request, byte[] body) {
    // a form's body is read as parameters before it gets here, so the request says whether it had one
    boolean sent = body.length > 0 || request.getContentLengthLong() > 0
        || request.getHeader("Transfer-Encoding") != null;
    String contentType = request.getContentType();
    if (sent && contentType != null && !contentType.toLowerCase().contains("json")) {
      throw new InvalidInputException("Content-Type", "must be application/json");
    }
    if (body.length == 0) {
      body = EMPTY_OBJECT;
    }
    refuseNul(body);
    try (JsonParser parser = JSON.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidInputException("body", "must be a JSON object");
      }
      Object command;
      try {
        command = JSON.readValue(parser, type);
      } catch (InputCoercionException e) {
        // a number too large for its field: the field is wrong, not the JSON
        throw new InvalidInputException(fieldAt(parser), "has the wrong type or value");
      }
      if (parser.nextToken() != null) {
        throw new InvalidInputException("body", "must be a single JSON object");
      }
      return command;
    } catch (StreamReadException e) {
      throw new InvalidInputException("body", "is not valid JSON: " + e.getOriginalMessage());
    } catch (DatabindException e) {
      String field = e.getPath().stream()
          .map(ref -> ref.getPropertyName() != null ? ref.getPropertyName() : "[" + ref.getIndex() + "]")
          .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("body");
      String message = e.getOriginalMessage();
      if (e instanceof PropertyBindingException || message.contains("not marked as ignorable")) {
        message = "is not a field of this command";
      } else {
        message = "has the wrong type or value";
      }
      throw new InvalidInputException(field, message);
    } catch (JacksonException e) {
      throw new InvalidInputException("body", "cannot be read: " + e.getOriginalMessage());
    }
  }

  /** Where the parser stands, named as the errors name a field: {@code items[0].quantity}. */
  private static String fieldAt(JsonParser parser) {
    Deque<TokenStreamContext> contexts = new ArrayDeque<>();
    for (TokenStreamContext c = parser.streamReadContext(); c != null && !c.inRoot(); c = c.getParent()) {
      contexts.push(c);
    }
    StringBuilder field = new StringBuilder();
    for (TokenStreamContext c : contexts) {
      if (c.inArray()) {
        field.append('[').append(c.getCurrentIndex()).append(']');
      } else if (c.currentName() != null) {
        field.append(field.isEmpty() ? "" : ".").append(c.currentName());
      }
    }
    return field.isEmpty() ? "body" : field.toString();
  }

  private static Long expectedVersion(String ifMatch) {
    if (ifMatch == null || ifMatch.isBlank() || ifMatch.strip().equals("*")) {
      return null;
    }
    var matcher = IF_MATCH.matcher(ifMatch.strip());
    if (!matcher.matches()) {
      throw new InvalidInputException("If-Match", "must be an aggregate version in quotes, as in \"3\"");
    }
    return Long.parseLong(matcher.group(1));
  }

  private static String header(HttpServletRequest request, String name) {
    String value = request.getHeader(name);
    if (value == null || value.isBlank()) {
      return null;
    }
    if (value.length() > 200) {
      throw new InvalidInputException(name, "must have at most 200 characters");
    }
    return value.strip();
  }
}
