package dev.ordo.eventstore;

/** Anything the store refuses or fails to do; the cases a caller acts on are the nested ones. */
public class EventStoreException extends RuntimeException {

  public EventStoreException(String message) {
    super(message);
  }

  public EventStoreException(String message, Throwable cause) {
    super(message, cause);
  }

  /** The store's database cannot be reached right now; the same call may succeed later. */
  public static final class Unavailable extends EventStoreException {

    public Unavailable(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The stream was not at the version the writer expected; nothing was written. */
  public static final class WrongExpectedVersion extends EventStoreException {

    private final String streamId;
    private final ExpectedVersion expected;
    private final long actual;

    public WrongExpectedVersion(String streamId, ExpectedVersion expected, long actual) {
      super("stream " + streamId + ": expected version " + expected + ", actual version " + actual);
      this.streamId = streamId;
      this.expected = expected;
      this.actual = actual;
    }

    public String streamId() {
      return streamId;
    }

    public ExpectedVersion expected() {
      return expected;
    }

    /** The stream's version when the append was refused; 0 when it has no events. */
    public long actual() {
      return actual;
    }
  }

  /** Another stream holds the key; nothing was written. */
  public static final class UniqueKeyTaken extends EventStoreException {

    private final UniqueKey key;

    public UniqueKeyTaken(UniqueKey key) {
      super(key.scope() + " '" + key.value() + "' is taken");
      this.key = key;
    }

    public UniqueKey key() {
      return key;
    }
  }

  /** The log holds an event this build cannot read: its type, or its schema version, is unknown. */
  public static final class UnknownType extends EventStoreException {

    private final String type;
    private final long position;

    public UnknownType(String type, int schemaVersion, long position, String reason) {
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
}
