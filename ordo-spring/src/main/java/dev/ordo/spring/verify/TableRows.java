package dev.ordo.spring.verify;

import dev.ordo.spring.query.ReadModels;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** The two reads a {@link ReadModelCheck} on a read-model table makes, for a check to give its SQL to. */
public final class TableRows {

  /** A row as its check's fields; the first column is the id and is not passed. */
  @FunctionalInterface
  public interface Fields {
    Map<String, Object> of(ResultSet rs) throws SQLException;
  }

  private TableRows() {}

  /** {@code select} takes the ids as a text array ({@code WHERE id = ANY (?)}) and returns the id first. */
  public static Map<String, Map<String, Object>> rows(DataSource database, String select, List<String> ids, Fields fields) {
    Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
    try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(select)) {
      statement.setArray(1, connection.createArrayOf("text", ids.toArray()));
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          rows.put(rs.getString(1), fields.of(rs));
        }
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    return rows;
  }

  /** {@code select} takes the id to start after and the limit, and returns ids in order. */
  public static List<String> ids(DataSource database, String select, String after, int limit) {
    List<String> ids = new ArrayList<>();
    try (Connection connection = database.getConnection(); PreparedStatement statement = connection.prepareStatement(select)) {
      statement.setString(1, after == null ? "" : after);
      statement.setInt(2, limit);
      try (ResultSet rs = statement.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    return ids;
  }
}
