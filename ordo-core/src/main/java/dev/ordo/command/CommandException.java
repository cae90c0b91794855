package dev.ordo.command;

/**
 * A command that was not carried out, and nothing was written: each case is one answer a client
 * gets (not found, forbidden, conflict, precondition failed, a business rule broken).
 */
public abstract sealed class CommandException extends RuntimeException {

  CommandException(String message) {
    super(message);
  }

  /** No aggregate with that id. */
  public static final class NotFound extends CommandException {

    public NotFound(String type, String id) {
      super("no " + type + " " + id);
    }
  }

  /** Other writers kept changing the aggregate while the command was retried. */
  public static final class Conflict extends CommandException {

    public Conflict(String id, int attempts) {
      super(id + " changed concurrently " + attempts + " times in a row");
    }
  }

  /** The client said which version it expected (If-Match) and the aggregate is at another. */
  public static final class PreconditionFailed extends CommandException {

    private final long expected;
    private final long actual;

    public PreconditionFailed(String id, long expected, long actual) {
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

  /** The caller may not run this command on this aggregate. */
  public static final class Forbidden extends CommandException {

    public Forbidden(String who, String command, String id) {
      super((who == null ? "an anonymous caller" : who) + " may not " + command + " " + id);
    }
  }

  /** A command broke a business rule; {@code rule} is a stable name clients can match on. */
  public static final class RuleBroken extends CommandException {

    private final String rule;

    public RuleBroken(String rule, String message) {
      super(message);
      this.rule = rule;
    }

    public String rule() {
      return rule;
    }
  }

  /** The rule broken, e.g. {@code throw CommandException.rule("insufficient-stock", "only 3 left")}. */
  public static RuleBroken rule(String rule, String message) {
    return new RuleBroken(rule, message);
  }
}
