package dev.ordo.command;

/** A command broke a business rule; {@code rule} is a stable name clients can match on. */
public final class RuleBrokenException extends RuntimeException {

  private final String rule;

  public RuleBrokenException(String rule, String message) {
    super(message);
    this.rule = rule;
  }

  public static RuleBrokenException of(String rule, String message) {
    return new RuleBrokenException(rule, message);
  }

  public String rule() {
    return rule;
  }
}
