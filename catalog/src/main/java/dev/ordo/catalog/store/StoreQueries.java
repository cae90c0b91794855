package dev.ordo.catalog.store;

import dev.ordo.spring.query.QueryInput;

import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.query.ReadModels;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * One store from the read database, where a created store's {@code Location} points (API.md
 * "Catalog → Queries"). {@code store_read} keeps no version: the answer has none.
 */
@RestController
public class StoreQueries {

  /** Products not deleted (active or hidden), counted on {@code product_read}'s store index. */
  private static final String STORE = """
      SELECT s.store_id, s.name,
             (SELECT count(*) FROM product_read p WHERE p.store_id = s.store_id AND p.status <> 'DELETED')
        FROM store_read s WHERE s.store_id = ?
      """;

  private final DataSource readDatabase;
  private final ReadModels readModels;

  public StoreQueries(@Qualifier("readDataSource") DataSource readDatabase, ReadModels readModels) {
    this.readDatabase = readDatabase;
    this.readModels = readModels;
  }

  @GetMapping("/api/v1/stores/{id}")
  public ResponseEntity<Map<String, Object>> store(@PathVariable String id, HttpServletRequest request)
      throws InterruptedException {
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    Map<String, Object> store = new LinkedHashMap<>();
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(STORE)) {
      select.setString(1, id);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("no store " + id);
        }
        store.put("id", rs.getString(1));
        store.put("name", rs.getString(2));
        store.put("productCount", rs.getLong(3));
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent)).body(store);
  }
}
