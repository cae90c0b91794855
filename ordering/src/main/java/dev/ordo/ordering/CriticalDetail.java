package dev.ordo.ordering;

import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.query.ReadModels;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;

/**
 * The read side of a critical query (seed 003 §4: order status, dispatch status, delivery
 * location): one row of the read database by id, or nothing when the read database is unreachable,
 * so the caller answers from the write model instead ({@code Ordo-Source: write-model}).
 */
public final class CriticalDetail {

  private static final Logger log = LoggerFactory.getLogger(CriticalDetail.class);

  /** How a row becomes the answer's body. */
  @FunctionalInterface
  public interface RowView {
    Map<String, Object> of(ResultSet row) throws SQLException;
  }

  private CriticalDetail() {}

  /**
   * The row {@code sql} selects for {@code id}, as {@code view} renders it; empty when the read
   * database cannot be reached.
   *
   * @throws NotFoundException when the read model has no such {@code kind}
   */
  public static Optional<Map<String, Object>> read(DataSource readDatabase, String sql, String kind, String id,
      RowView view) {
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      select.setString(1, id);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("no " + kind + " " + id);
        }
        return Optional.of(view.of(rs));
      }
    } catch (SQLException e) {
      RuntimeException failure = ReadModels.failure(e);
      if (!(failure instanceof DataAccessResourceFailureException)) {
        throw failure;
      }
      log.warn("read database unreachable, answering {} {} from the write model: {}", kind, id, e.getMessage());
      return Optional.empty();
    }
  }
}
