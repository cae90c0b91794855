package dev.ordo.spring.command;

import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandLog;
import dev.ordo.command.CommandRecord;
import dev.ordo.eventstore.TimeOrderedUuid;
import dev.ordo.spring.problem.InvalidInputException;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.servlet.HandlerMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The one HTTP endpoint of every command (ARCHITECTURE.md decision 9). Each command type on the bus
 * that declares an {@link HttpCommand} route is mapped here at start-up; a request is read into the
 * command record ({@link CommandRequest}), held to the Idempotency-Key rules ({@link Idempotency}),
 * and run now ({@link CommandRunner}) or, with {@code Prefer: respond-async}, later
 * ({@link AcceptedCommands}).
 */
public final class CommandEndpoint implements SmartInitializingSingleton {

  private static final Logger log = LoggerFactory.getLogger(CommandEndpoint.class);

  private final CommandBus bus;
  private final RequestMappingHandlerMapping mappings;
  private final Idempotency idempotency;
  private final CommandRunner runner;
  private final AcceptedCommands accepted;
  private final Map<String, CommandRoute> routes = new LinkedHashMap<>();
  private final Map<String, CommandRoute> routesByType = new LinkedHashMap<>();

  /**
   * @param service names this write service in status links ({@code ?service=}); null all-in-one
   * @param meters  where the commands run are timed ({@code ordo.commands})
   */
  public CommandEndpoint(CommandBus bus, CommandLog commandLog, ValidationInterceptor validation,
      RequestMappingHandlerMapping mappings, String service, MeterRegistry meters) {
    this.bus = bus;
    this.mappings = mappings;
    this.idempotency = new Idempotency(commandLog, service);
    this.runner = new CommandRunner(bus, commandLog, meters);
    this.accepted = new AcceptedCommands(commandLog, idempotency, runner, validation, routesByType);
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
          .methods(RequestMethod.valueOf(route.method()))
          .options(mappings.getBuilderConfiguration())
          .build(), this, handle);
    }
    log.info("{} command routes", routes.size());
    accepted.resume();
  }

  /**
   * The command record served at each route, as {@code "POST /api/v1/products"}, once mapped: what
   * the API documentation lists, since no controller declares these routes.
   */
  public Map<String, Class<?>> routes() {
    Map<String, Class<?>> types = new LinkedHashMap<>();
    routes.forEach((route, command) -> types.put(route, command.type()));
    return types;
  }

  public void handle(HttpServletRequest request, HttpServletResponse response) throws IOException {
    String pattern = (String) request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
    CommandRoute route = routes.get(request.getMethod() + " " + pattern);
    answer(route, request, request.getRequestURI()).write(response);
  }

  private Answer answer(CommandRoute route, HttpServletRequest request, String instance) throws IOException {
    byte[] body = CommandRequest.body(request);
    if (body == null) {
      return Answer.problem(CommandFailure.of(413, "payload-too-large", "Payload too large",
          "a command body may have at most " + CommandRequest.MAX_BODY_BYTES + " bytes", instance));
    }
    String key;
    try {
      key = Idempotency.key(request);
    } catch (InvalidInputException e) {
      return Answer.problem(CommandFailure.from(e, instance));
    }
    String fingerprint = key == null ? null : Idempotency.fingerprint(request, body);
    Optional<Answer> earlier = idempotency.earlier(key, fingerprint, route, instance);
    if (earlier.isPresent()) {
      return earlier.get();
    }
    UUID commandId = TimeOrderedUuid.next();
    String type = route.type().getName();
    CommandRequest command;
    try {
      command = CommandRequest.read(route, request, body, commandId);
    } catch (RuntimeException e) {
      CommandFailure failure = CommandFailure.from(e, instance);
      if (key != null && !failure.passing()) {
        // bad input is an answer like any other: kept for the key
        return idempotency.refuse(CommandRecord.Pending.running(commandId, type, key, fingerprint),
            Answer.problem(failure), route, instance);
      }
      return Answer.problem(failure);
    }
    String prefer = request.getHeader("Prefer");
    if (prefer != null && prefer.toLowerCase().contains("respond-async")) {
      return accepted.accept(route, command, key, fingerprint, instance);
    }
    if (key != null) {
      Optional<Answer> holder = idempotency.claim(
          CommandRecord.Pending.running(commandId, type, key, fingerprint), route, instance);
      if (holder.isPresent()) {
        return holder.get();
      }
    }
    return runner.run(route, command, key, fingerprint, instance, false);
  }
}
