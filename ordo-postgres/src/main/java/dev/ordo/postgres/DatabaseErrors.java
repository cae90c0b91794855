package dev.ordo.postgres;

import dev.ordo.eventstore.EventStoreException;
import dev.ordo.eventstore.EventStoreException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Sorts database failures into "try again later" and everything else. */
public final class DatabaseErrors {

  private DatabaseErrors() {}

  /** The database cannot be reached (or refuses connections for now): try again later. */
  public static boolean isUnavailable(SQLException e) {
    if (e instanceof SQLTransientConnectionException) {
      return true;
    }
    String state = e.getSQLState();
    return state != null && (state.startsWith("08") // connection exception
        || state.equals("57P01") // admin shutdown
        || state.equals("57P02") // crash shutdown
        || state.equals("57P03") // cannot connect now
        || state.equals("53300")); // too many connections
  }

  public static boolean isUniqueViolation(SQLException e) {
    return "23505".equals(e.getSQLState());
  }

  public static boolean isDeadlock(SQLException e) {
    return "40P01".equals(e.getSQLState());
  }

  /**
   * Whether a failure says nothing about the event being applied: the database went away, or the
   * transaction lost a race it would win when tried again. Such failures are retried without end.
   */
  public static boolean isTransient(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof EventStoreException.Unavailable) {
        return true;
      }
      if (t instanceof SQLException s
          && (isUnavailable(s) || isDeadlock(s) || "40001".equals(s.getSQLState()) || "57014".equals(s.getSQLState()))) {
        return true;
      }
    }
    return false;
  }

  public static EventStoreException translate(String doing, SQLException e) {
    return isUnavailable(e)
        ? new EventStoreException.Unavailable("database unavailable while " + doing, e)
        : new EventStoreException(doing + " failed: " + e.getMessage(), e);
  }
}
