package dev.ordo.command;

public final class AggregateNotFoundException extends RuntimeException {

  public AggregateNotFoundException(String type, String id) {
    super("no " + type + " " + id);
  }
}
