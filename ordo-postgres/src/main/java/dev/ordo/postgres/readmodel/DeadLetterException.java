package dev.ordo.postgres.readmodel;

/** A dead letter that cannot be retried or skipped: not parked (any more), or still failing. */
public final class DeadLetterException extends Exception {

  public enum Reason { NOT_PARKED, STILL_FAILING }

  private final Reason reason;

  public DeadLetterException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
