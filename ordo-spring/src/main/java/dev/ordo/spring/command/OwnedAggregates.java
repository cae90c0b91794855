package dev.ordo.spring.command;

import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.core.env.Environment;

/**
 * Which commands this instance handles, from {@code ordo.commands.aggregates}: {@code *} (the
 * default, every command), {@code none}, or the aggregate types a write service owns, e.g. {@code
 * order} or {@code product,store,category}. A command belongs to the aggregate its package is
 * named after ({@code dev.ordo.ordering.dispatch.DispatchCommand.AssignRider} to {@code
 * dispatch}): a context keeps each aggregate's commands in the aggregate's package.
 */
public final class OwnedAggregates {

  private OwnedAggregates() {}

  public static Predicate<Class<?>> from(Environment environment) {
    Set<String> owned = Arrays.stream(environment.getProperty("ordo.commands.aggregates", "*").split(","))
        .map(String::strip).filter(a -> !a.isEmpty()).collect(Collectors.toSet());
    if (owned.contains("*")) {
      return type -> true;
    }
    return type -> owned.contains(aggregateOf(type));
  }

  /** The aggregate a command belongs to: the last segment of its package's name. */
  public static String aggregateOf(Class<?> command) {
    String pkg = command.getPackageName();
    return pkg.substring(pkg.lastIndexOf('.') + 1);
  }
}
