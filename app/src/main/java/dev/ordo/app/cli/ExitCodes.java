package dev.ordo.app.cli;

/**
 * What {@code ./ordo <command>} exits with, for scripts: the same meaning for every command.
 */
public final class ExitCodes {

  /** Done, and (for {@code verify}) nothing differs. */
  public static final int OK = 0;
  /** The operation ran and failed, or {@code verify} found differences it did not repair. */
  public static final int FAILED = 1;
  /** Wrong arguments (picocli's own code for them). */
  public static final int USAGE = 2;
  /** The app could not be reached. */
  public static final int UNREACHABLE = 3;
  /** The app refused the caller (401, 403). */
  public static final int REFUSED = 4;
  /** The app refused the request (400, 404, 409, ...): its problem detail is printed. */
  public static final int INVALID = 5;
  /** The app failed (5xx). */
  public static final int APP_ERROR = 6;

  private ExitCodes() {}
}
