package dev.ordo.eventstore;

/** Anything the store refuses or fails to do. */
public class EventStoreException extends RuntimeException {

  public EventStoreException(String message) {
    super(message);
  }

  public EventStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
