package dev.ordo.eventstore;

/** The stream was not at the version the writer expected; nothing was written. */
public final class WrongExpectedVersionException extends EventStoreException {

  private final String streamId;
  private final ExpectedVersion expected;
  private final long actual;

  public WrongExpectedVersionException(String streamId, ExpectedVersion expected, long actual) {
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
