package dev.ordo.command;

/** Other writers kept changing the aggregate while the command was retried; nothing was written. */
public final class ConcurrencyConflictException extends RuntimeException {

  public ConcurrencyConflictException(String id, int attempts) {
    super(id + " changed concurrently " + attempts + " times in a row");
  }
}
