package dev.ordo.command;

/** Runs around every command the bus dispatches: validation, metadata, logging. */
@FunctionalInterface
public interface CommandInterceptor {

  CommandResult intercept(CommandEnvelope<?> command, Next next);

  @FunctionalInterface
  interface Next {
    CommandResult proceed(CommandEnvelope<?> command);
  }
}
