package dev.ordo.command;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** Routes each command to the one handler of its type, through the interceptors in order. */
public final class CommandBus {

  private final Map<Class<?>, CommandHandler<?>> handlers = new ConcurrentHashMap<>();
  private final List<CommandInterceptor> interceptors = new CopyOnWriteArrayList<>();

  public <C> CommandBus register(Class<C> type, CommandHandler<? super C> handler) {
    if (handlers.putIfAbsent(type, handler) != null) {
      throw new IllegalStateException("a handler for " + type.getName() + " is registered already");
    }
    return this;
  }

  public CommandBus intercept(CommandInterceptor interceptor) {
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
    var handler = (CommandHandler<C>) handlers.get(command.command().getClass());
    if (handler == null) {
      throw new IllegalArgumentException("no handler for " + command.command().getClass().getName());
    }
    return handler.handle(command);
  }
}
