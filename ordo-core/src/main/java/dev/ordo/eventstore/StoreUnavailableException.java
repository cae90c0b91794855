package dev.ordo.eventstore;

/** The store's database cannot be reached right now; the same call may succeed later. */
public final class StoreUnavailableException extends EventStoreException {

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
