package dev.ordo.spring.command;

import dev.ordo.command.CommandException;
import dev.ordo.command.CommandMetadata;
import dev.ordo.command.CommandRecord;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.TimeOrderedUuid;
import dev.ordo.spring.problem.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.springframework.web.servlet.HandlerMapping;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A command read from an HTTP request, ready to dispatch: the body read straight into the command
 * record of the route, the aggregate id from the path (or a new one), If-Match as the expected
 * version, and {@code X-User-Id} and {@code X-Request-Id} as its metadata.
 *
 * @param expectedVersion the version of If-Match, or null
 */
record CommandRequest(Object command, String aggregateId, Long expectedVersion, CommandMetadata metadata) {

  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);
  private static final Pattern IF_MATCH = Pattern.compile("(?:W/)?\"?(\\d{1,18})\"?");
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
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
    String actor = header(request, "X-User-Id");
    String correlation = header(request, "X-Request-Id");
    var metadata = new CommandMetadata(commandId, correlation == null ? commandId.toString() : correlation, null, actor);
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
    if (body.length == 0) {
      body = EMPTY_OBJECT;
    } else {
      String contentType = request.getContentType();
      if (contentType != null && !contentType.toLowerCase().contains("json")) {
        throw new InvalidInputException("Content-Type", "must be application/json");
      }
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
        String field = parser.currentName();
        throw new InvalidInputException(field == null ? "body" : field, "has the wrong type or value");
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
      if (message.contains("Unrecognized") || message.contains("not marked as ignorable")) {
        message = "is not a field of this command";
      } else {
        message = "has the wrong type or value";
      }
      throw new InvalidInputException(field, message);
    } catch (JacksonException e) {
      throw new InvalidInputException("body", "cannot be read: " + e.getOriginalMessage());
    }
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
