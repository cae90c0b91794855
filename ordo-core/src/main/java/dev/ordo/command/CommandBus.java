package dev.ordo.command;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * Routes each command to the one handler of its type, through the interceptors in order. A write
 * service that owns only some aggregates (distributed mode) builds its bus with the commands it
 * owns: the handlers of the others are not registered, so their routes are not served here and a
 * process leaves them to the service that owns them.
 */
public final class CommandBus {

  private final Map<Class<?>, Handler<?>> handlers = new ConcurrentHashMap<>();
  private final List<Interceptor> interceptors = new CopyOnWriteArrayList<>();
  private final Predicate<Class<?>> owned;

  /** A bus for every command registered on it. */
  public CommandBus() {
    this(type -> true);
  }

  /** A bus for the commands {@code owned} accepts; registering another type does nothing. */
  public CommandBus(Predicate<Class<?>> owned) {
    this.owned = owned;
  }

  /** Whether a handler of {@code type} runs here. */
  public boolean handles(Class<?> type) {
    return handlers.containsKey(type);
  }

  public <C> CommandBus register(Class<C> type, Handler<? super C> handler) {
    if (!owned.test(type)) {
      return this;
    }
    if (handlers.putIfAbsent(type, handler) != null) {
      throw new IllegalStateException("a handler for " + type.getName() + " is registered already");
    }
    return this;
  }

  public CommandBus intercept(Interceptor interceptor) {
    interceptors.add(interceptor);
    return this;
  }

  public Set<Class<?>> commandTypes() {
    return Set.copyOf(handlers.keySet());
  }

  public CommandResult dispatch(CommandEnvelope<?> command) {
    return proceed(0, command);
  }

  private CommandResult proceed(int index, CommandEnvelope<?> command) {
    if (index < interceptors.size()) {
      return interceptors.get(index).intercept(command, next -> proceed(index + 1, next));
    }
    return handle(command);
  }

  @SuppressWarnings("unchecked")
  private <C> CommandResult handle(CommandEnvelope<C> command) {
    var handler = (Handler<C>) handlers.get(command.command().getClass());
    if (handler == null) {
      throw new IllegalArgumentException("no handler for " + command.command().getClass().getName());
    }
    return handler.handle(command);
  }

  /** Carries out one type of command. */
  @FunctionalInterface
  public interface Handler<C> {

    CommandResult handle(CommandEnvelope<C> command);
  }

  /** Runs around every command the bus dispatches: validation, metadata, logging. */
  @FunctionalInterface
  public interface Interceptor {

    CommandResult intercept(CommandEnvelope<?> command, Next next);

    @FunctionalInterface
    interface Next {
      CommandResult proceed(CommandEnvelope<?> command);
    }
  }
}
