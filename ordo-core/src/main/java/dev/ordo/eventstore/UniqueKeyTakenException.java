package dev.ordo.eventstore;

/** Another stream holds the key; nothing was written. */
public final class UniqueKeyTakenException extends EventStoreException {

  private final UniqueKey key;

  public UniqueKeyTakenException(UniqueKey key) {
    super(key.scope() + " '" + key.value() + "' is taken");
    this.key = key;
  }

  public UniqueKey key() {
    return key;
  }
}
