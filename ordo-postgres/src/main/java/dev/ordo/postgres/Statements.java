package dev.ordo.postgres;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.postgresql.PGStatement;

/**
 * Prepares statements that PostgreSQL plans for their actual parameters on every execution.
 *
 * <p>pgjdbc switches a statement to a named server-side one after five runs, and the server may
 * then keep a generic plan. A generic plan made while the log was nearly empty is a sequential
 * scan, and stays one as the log grows: measured at 80 ms per batch instead of 0.4 ms. The log's
 * queries are short to plan, so planning them each time costs far less than that risk.
 */
public final class Statements {

  private Statements() {}

  public static PreparedStatement prepare(Connection connection, String sql) throws SQLException {
    PreparedStatement statement = connection.prepareStatement(sql);
    statement.unwrap(PGStatement.class).setPrepareThreshold(0);
    return statement;
  }
}
