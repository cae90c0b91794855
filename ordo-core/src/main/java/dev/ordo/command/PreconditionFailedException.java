package dev.ordo.command;

/** The client said which version it expected (If-Match) and the aggregate is at another. */
public final class PreconditionFailedException extends RuntimeException {

  private final long expected;
  private final long actual;

  public PreconditionFailedException(String id, long expected, long actual) {
    super(id + " is at version " + actual + ", not " + expected);
    this.expected = expected;
    this.actual = actual;
  }

  public long expected() {
    return expected;
  }

  public long actual() {
    return actual;
  }
}
