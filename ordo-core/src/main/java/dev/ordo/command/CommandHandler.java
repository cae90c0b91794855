package dev.ordo.command;

@FunctionalInterface
public interface CommandHandler<C> {

  CommandResult handle(CommandEnvelope<C> command);
}
