package dev.ordo.spring.command;

import dev.ordo.codec.JsonStrings;
import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandMetadata;
import dev.ordo.command.CommandResult;
import dev.ordo.eventstore.CommandCompletion;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.TimeOrderedUuid;
import dev.ordo.postgres.PostgresCommandLog;
import dev.ordo.spring.problem.InvalidInputException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one HTTP endpoint of every command (ARCHITECTURE.md decision 9). Each command type on the bus
 * that declares an {@link HttpCommand} route is mapped here at start-up; a request is read into the
 * command record, checked, and dispatched, and the answer follows API.md "Commands — common rules":
 * status codes, ETag and Ordo-Position, If-Match, Idempotency-Key, Prefer: respond-async, problems.
 */
public final class CommandEndpoint implements SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(CommandEndpoint.class);
  static final int MAX_BODY_BYTES = 64 * 1024;
  private static final byte[] EMPTY_OBJECT = "{}".getBytes(StandardCharsets.UTF_8);
  private static final Pattern IF_MATCH = Pattern.compile("(?:W/)?\"?(\\d{1,18})\"?");

  /** An answer as bytes, so it can be kept and replayed exactly. */
  record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {}

  private final CommandBus bus;
  /** Run again here only for asynchronous commands: an invalid one is refused before it is accepted. */
  private final ValidationInterceptor validation;
  private final PostgresCommandLog commandLog;
  private final RequestMappingHandlerMapping mappings;
  private final JsonMapper json;
  private final Map<String, CommandRoute> routes = new LinkedHashMap<>();
  private final Map<String, CommandRoute> routesByType = new LinkedHashMap<>();
  /** Tries of an accepted command that fail for passing reasons before it is recorded as failed. */
  private static final int ACCEPTED_ATTEMPTS = 8;

  private final ExecutorService async = Executors.newFixedThreadPool(4,
      Thread.ofPlatform().name("ordo-async-command-", 0).daemon().factory());
  private final java.util.concurrent.ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ordo-async-retry").daemon().factory());

  public CommandEndpoint(CommandBus bus, PostgresCommandLog commandLog, ValidationInterceptor validation,
      RequestMappingHandlerMapping mappings) {
    this.bus = bus;
    this.commandLog = commandLog;
    this.validation = validation;
    this.mappings = mappings;
    this.json = JsonMapper.builder()
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .build();
  }

  /** Maps every declared route to {@link #handle}, then resumes the commands accepted before a restart. */
  @Override
  public void afterSingletonsInstantiated() {
    Method handle;
    try {
      handle = CommandEndpoint.class.getMethod("handle", HttpServletRequest.class, HttpServletResponse.class);
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException(e);
    }
    for (Class<?> type : bus.commandTypes()) {
      HttpCommand http = type.getAnnotation(HttpCommand.class);
      if (http == null) {
        continue;
      }
      CommandRoute route = CommandRoute.of(type, http);
      if (routes.putIfAbsent(route.method() + " " + route.pattern(), route) != null) {
        throw new IllegalStateException("two commands on " + route.method() + " " + route.pattern());
      }
      routesByType.put(type.getName(), route);
      mappings.registerMapping(RequestMappingInfo.paths(route.pattern())
          .methods(org.springframework.web.bind.annotation.RequestMethod.valueOf(route.method()))
          .options(mappings.getBuilderConfiguration())
          .build(), this, handle);
    }
    log.info("{} command routes", routes.size());
    resumeAccepted();
  }

  public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String pattern = (String) request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    CommandRoute route = routes.get(request.getMethod() + " " + pattern);
    String instance = request.getRequestURI();
    write(response, answer(route, request, instance));
  }

  private Answer answer(CommandRoute route, HttpServletRequest request, String instance) throws IOException {
    byte[] body = readBody(request);
    if (body == null) {
      return problem(CommandFailure.of(413, "payload-too-large", "Payload too large",
          "a command body may have at most " + MAX_BODY_BYTES + " bytes", instance));
    }
    String key = request.getHeader("Idempotency-Key");
    if (key != null) {
      key = key.strip();
      if (key.length() >= 2 && key.startsWith("\"") && key.endsWith("\"")) {
        key = key.substring(1, key.length() - 1);
      }
      if (key.isEmpty() || key.length() > 255) {
        return problem(CommandFailure.from(new InvalidInputException("Idempotency-Key", "must have 1 to 255 characters"),
            instance));
      }
    }
    String fingerprint = key == null ? null : fingerprint(request, body);
    if (key != null) {
      var earlier = commandLog.findByKey(key);
      if (earlier.isPresent()) {
        return replay(earlier.get(), fingerprint, instance);
      }
    }
    UUID commandId = TimeOrderedUuid.next();
    Prepared prepared;
    try {
      prepared = prepare(route, request, body, commandId);
    } catch (RuntimeException e) {
      CommandFailure failure = CommandFailure.from(e, instance);
      if (key != null && !failure.passing()) {
        if (!commandLog.accept(commandId, key, fingerprint, route.type().getName(), null, null, null, null)) {
          return replay(commandLog.findByKey(key).orElseThrow(), fingerprint, instance);
        }
        Answer answer = problem(failure);
        commandLog.fail(commandId, answer.status(), new String(answer.body(), StandardCharsets.UTF_8));
        return answer;
      }
      return problem(failure);
    }
    String prefer = request.getHeader("Prefer");
    if (prefer != null && prefer.toLowerCase().contains("respond-async")) {
      try {
        validation.check(prepared.command());
      } catch (InvalidInputException e) {
        return problem(CommandFailure.from(e, instance));
      }
      if (!commandLog.accept(commandId, key, fingerprint, route.type().getName(), prepared.aggregateId(),
          json.writeValueAsString(prepared.command()), prepared.metadataJson(), prepared.expectedVersion())) {
        return replay(commandLog.findByKey(key).orElseThrow(), fingerprint, instance);
      }
      async.execute(() -> runAccepted(commandId));
      return accepted(commandId, false);
    }
    if (key != null
        && !commandLog.accept(commandId, key, fingerprint, route.type().getName(), null, null, null, null)) {
      return replay(commandLog.findByKey(key).orElseThrow(), fingerprint, instance);
    }
    return execute(route, prepared, key, fingerprint, instance, false);
  }

  /** A command read and checked, ready to dispatch. */
  private record Prepared(Object command, String aggregateId, Long expectedVersion, CommandMetadata metadata) {

    String metadataJson() {
      var json = new StringBuilder("{\"correlationId\":");
      JsonStrings.appendQuoted(json, metadata.correlationId());
      if (metadata.actor() != null) {
        JsonStrings.appendQuoted(json.append(",\"actor\":"), metadata.actor());
      }
      return json.append('}').toString();
    }
  }

  private Prepared prepare(CommandRoute route, HttpServletRequest request, byte[] body, UUID commandId) {
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
    return new Prepared(command, aggregateId, expected, metadata);
  }

  /** Aggregate ids are UUIDs; any other id names no aggregate. */
  private static String canonicalUuid(String id) {
    if (id == null || id.length() != 36) {
      throw new dev.ordo.command.AggregateNotFoundException("aggregate", String.valueOf(id));
    }
    try {
      return UUID.fromString(id).toString();
    } catch (IllegalArgumentException e) {
      throw new dev.ordo.command.AggregateNotFoundException("aggregate", id);
    }
  }

  /** The body read straight into the command record, in one pass; its id component is set afterwards. */
  private Object readCommand(Class<?> type, HttpServletRequest request, byte[] body) {
    if (body.length == 0) {
      body = EMPTY_OBJECT;
    } else {
      String contentType = request.getContentType();
      if (contentType != null && !contentType.toLowerCase().contains("json")) {
        throw new InvalidInputException("Content-Type", "must be application/json");
      }
    }
    refuseNul(body);
    try (JsonParser parser = json.createParser(body)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new InvalidInputException("body", "must be a JSON object");
      }
      Object command;
      try {
        command = json.readValue(parser, type);
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

  /**
   * A NUL (U+0000, escaped in JSON) in a string is valid JSON that PostgreSQL's jsonb cannot store: a
   * 400 naming the field. A byte scan first, so an ordinary body is tokenized only once.
   */
  private void refuseNul(byte[] body) {
    if (!new String(body, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT).contains("\\u0000")) {
      return;
    }
    try (JsonParser parser = json.createParser(body)) {
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

  /**
   * Runs a command now and answers. A failure another try would not change is recorded for
   * replays; a passing one (database down, conflict) frees the key of a synchronous command for a
   * retry, and leaves an accepted one pending for the caller to run again.
   */
  private Answer execute(CommandRoute route, Prepared prepared, String key, String fingerprint, String instance,
      boolean accepted) {
    UUID commandId = prepared.metadata().commandId();
    String location = route.locationOf(prepared.aggregateId());
    var completion = new CommandCompletion(commandId, key, fingerprint, route.type().getName(), route.successStatus(),
        location);
    ExpectedVersion expected = route.creates() ? ExpectedVersion.noStream()
        : prepared.expectedVersion() == null ? ExpectedVersion.any()
        : ExpectedVersion.exactly(prepared.expectedVersion());
    var envelope = new CommandEnvelope<>(prepared.command(), prepared.aggregateId(), expected, prepared.metadata(),
        completion);
    try {
      CommandResult result = bus.dispatch(envelope);
      String body = CommandCompletion.answer(result.aggregateId(), result.version(), result.position());
      if (!result.appended()) {
        // nothing appended, so no append recorded the answer
        commandLog.complete(commandId, key, fingerprint, route.type().getName(), result.aggregateId(),
            route.successStatus(), body, location);
      }
      return success(route.successStatus(), body, result.version(), result.position(), location);
    } catch (RuntimeException e) {
      CommandFailure failure = CommandFailure.from(e, instance);
      Answer answer = problem(failure);
      try {
        if (failure.passing()) {
          if (!accepted) {
            commandLog.release(commandId);
          }
        } else {
          commandLog.fail(commandId, answer.status(), new String(answer.body(), StandardCharsets.UTF_8));
        }
      } catch (RuntimeException logFailure) {
        log.warn("the failure of command {} was not recorded", commandId, logFailure);
      }
      return answer;
    }
  }

  private Answer replay(PostgresCommandLog.Entry earlier, String fingerprint, String instance) {
    if (!earlier.fingerprint().equals(fingerprint)) {
      return problem(CommandFailure.of(422, "rule-broken", "Idempotency-Key reused",
          "this Idempotency-Key was used with another request", instance).with("rule", "idempotency-key-reused"));
    }
    if (earlier.pending()) {
      if (earlier.payload() != null) {
        return accepted(earlier.commandId(), true);
      }
      return problem(CommandFailure.of(409, "in-progress", "Command in progress",
          "the first request with this Idempotency-Key is still running", instance).retryAfter("1"));
    }
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Idempotent-Replayed", "true");
    if ("FAILED".equals(earlier.status())) {
      return new Answer(earlier.statusCode(), "application/problem+json",
          earlier.problem().getBytes(StandardCharsets.UTF_8), headers);
    }
    JsonNode result = json.readTree(earlier.result());
    Answer answer = success(earlier.statusCode(), earlier.result(), result.get("version").asLong(),
        result.get("position").asLong(), earlier.location());
    answer.headers().putAll(headers);
    return answer;
  }

  private static Answer success(int status, String body, long version, long position, String location) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("ETag", "\"" + version + "\"");
    headers.put("Ordo-Position", Long.toString(position));
    if (location != null) {
      headers.put("Location", location);
    }
    return new Answer(status, "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private static Answer accepted(UUID commandId, boolean replayed) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("Location", "/api/v1/commands/" + commandId);
    if (replayed) {
      headers.put("Idempotent-Replayed", "true");
    }
    String body = "{\"commandId\":\"" + commandId + "\",\"status\":\"PENDING\"}";
    return new Answer(202, "application/json", body.getBytes(StandardCharsets.UTF_8), headers);
  }

  private Answer problem(CommandFailure failure) {
    Map<String, String> headers = new LinkedHashMap<>();
    if (failure.retryAfter() != null) {
      headers.put("Retry-After", failure.retryAfter());
    }
    return new Answer(failure.status(), "application/problem+json", json.writeValueAsBytes(failure.problem()), headers);
  }

  private static void write(HttpServletResponse response, Answer answer) throws IOException {
    response.setStatus(answer.status());
    response.setContentType(answer.contentType());
    answer.headers().forEach(response::setHeader);
    response.setContentLength(answer.body().length);
    response.getOutputStream().write(answer.body());
  }

  /** The body, or null when it is larger than a command may be. */
  private static byte[] readBody(HttpServletRequest request) throws IOException {
    if (request.getContentLengthLong() > MAX_BODY_BYTES) {
      return null;
    }
    try (InputStream in = request.getInputStream()) {
      byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
      return body.length > MAX_BODY_BYTES ? null : body;
    }
  }

  private static String fingerprint(HttpServletRequest request, byte[] body) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      sha.update((request.getMethod() + " " + request.getRequestURI() + "\n").getBytes(StandardCharsets.UTF_8));
      sha.update(body);
      return HexFormat.of().formatHex(sha.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // --- asynchronous commands ----------------------------------------------------------------

  /** Runs again every command accepted with 202 that had not finished when the app stopped. */
  private void resumeAccepted() {
    try {
      commandLog.removeAbandonedClaims(java.time.Duration.ofMinutes(1));
      var pending = commandLog.pendingAsync();
      if (!pending.isEmpty()) {
        log.info("resuming {} accepted commands", pending.size());
      }
      pending.forEach(entry -> async.execute(() -> runAccepted(entry.commandId())));
    } catch (RuntimeException e) {
      log.warn("accepted commands not resumed at start-up", e);
    }
  }

  private void runAccepted(UUID commandId) {
    runAccepted(commandId, 1);
  }

  private void runAccepted(UUID commandId, int attempt) {
    try {
      var entry = commandLog.find(commandId).orElse(null);
      if (entry == null || !entry.pending()) {
        return;
      }
      CommandRoute route = routesByType.get(entry.commandType());
      String instance = "/api/v1/commands/" + commandId;
      Object command = json.readValue(entry.payload(), route.type());
      JsonNode metadata = json.readTree(entry.metadata());
      var prepared = new Prepared(command, entry.aggregateId(), entry.expectedVersion(),
          new CommandMetadata(commandId, text(metadata, "correlationId"), null, text(metadata, "actor")));
      Answer answer = execute(route, prepared, entry.idempotencyKey(), entry.fingerprint(), instance, true);
      boolean passing = answer.status() >= 500 || answer.status() == 409;
      if (passing && attempt >= ACCEPTED_ATTEMPTS) {
        commandLog.fail(commandId, answer.status(), new String(answer.body(), StandardCharsets.UTF_8));
      } else if (passing) {
        retryLater(commandId, attempt);
      }
    } catch (RuntimeException e) {
      log.warn("accepted command {} could not run (attempt {})", commandId, attempt, e);
      retryLater(commandId, attempt);
    }
  }

  /** Tries an accepted command again later; if the app stops first, the next start resumes it. */
  private void retryLater(UUID commandId, int attempt) {
    retries.schedule(() -> async.execute(() -> runAccepted(commandId, attempt + 1)),
        Math.min(30_000, 500L << Math.min(attempt, 6)), java.util.concurrent.TimeUnit.MILLISECONDS);
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asString();
  }
}
