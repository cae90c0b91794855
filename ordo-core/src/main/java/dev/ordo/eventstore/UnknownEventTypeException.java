package dev.ordo.eventstore;

/** The log holds an event this build cannot read: its type, or its schema version, is unknown. */
public final class UnknownEventTypeException extends EventStoreException {

  private final String type;
  private final long position;

  public UnknownEventTypeException(String type, int schemaVersion, long position, String reason) {
    super("event type " + type + " (schema version " + schemaVersion + ") at position " + position + ": " + reason);
    this.type = type;
    this.position = position;
  }

  public String type() {
    return type;
  }

  public long position() {
    return position;
  }
}
