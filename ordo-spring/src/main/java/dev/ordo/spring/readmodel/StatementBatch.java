package dev.ordo.spring.readmodel;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Consecutive executions of the same statement sent as one JDBC batch (one round trip), in order:
 * a different statement first sends what is pending. For projections, which write one row change
 * per event: one instance per runner thread, flushed by {@link TableProjection#flush}. Work left
 * pending on another connection (a rolled-back transaction) is dropped.
 */
public final class StatementBatch {

  private Connection connection;
  private String sql;
  private PreparedStatement statement;
  private int pending;

  public void add(Connection target, String sql, Object... parameters) throws SQLException {
    if (target != connection) {
      discard();
      connection = target;
    }
    if (!sql.equals(this.sql)) {
      flush();
      statement = target.prepareStatement(sql);
      this.sql = sql;
    }
    for (int i = 0; i < parameters.length; i++) {
      statement.setObject(i + 1, parameters[i]);
    }
    statement.addBatch();
    pending++;
  }

  /** Sends what is pending. */
  public void flush() throws SQLException {
    if (statement == null) {
      return;
    }
    try {
      if (pending > 0) {
        statement.executeBatch();
      }
    } finally {
      discard();
    }
  }

  private void discard() {
    if (statement != null) {
      try {
        statement.close();
      } catch (SQLException ignored) {
        // its connection is gone; nothing was sent
      }
    }
    statement = null;
    sql = null;
    pending = 0;
  }
}
