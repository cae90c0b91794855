package dev.ordo.catalog.query;

import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.query.ReadModels;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/** Product queries, answered from the read database only (API.md "Catalog → Queries"). */
@RestController
public class ProductQueries {

  private static final Duration MAX_WAIT = Duration.ofSeconds(5);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static final String DETAIL = """
      SELECT product_id, store_id, store_name, category_id, category_path, name, description, thumbnail_url,
             images::text, price, stock, status, review_count, rating_sum, version, created_at, updated_at
        FROM product_read WHERE product_id = ?
      """;

  private final DataSource readDatabase;
  private final ReadModels readModels;

  public ProductQueries(@Qualifier("readDataSource") DataSource readDatabase, ReadModels readModels) {
    this.readDatabase = readDatabase;
    this.readModels = readModels;
  }

  /** One product; with {@code Ordo-Min-Position} it first waits (up to 5 s) for that event to be applied. */
  @GetMapping("/api/v1/products/{id}")
  public ResponseEntity<Map<String, Object>> detail(@PathVariable String id, HttpServletRequest request)
      throws InterruptedException {
    boolean consistent = readModels.awaitApplied(minPosition(request), MAX_WAIT);
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(DETAIL)) {
      select.setString(1, id);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("no product " + id);
        }
        Map<String, Object> product = new LinkedHashMap<>();
        product.put("id", rs.getString(1));
        product.put("storeId", rs.getString(2));
        product.put("storeName", rs.getString(3));
        product.put("categoryId", rs.getString(4));
        product.put("categoryPath", rs.getString(5));
        product.put("name", rs.getString(6));
        product.put("description", rs.getString(7));
        product.put("thumbnailUrl", rs.getString(8));
        product.put("images", JSON.readTree(rs.getString(9)));
        product.put("price", rs.getLong(10));
        product.put("stockQuantity", rs.getLong(11));
        product.put("status", rs.getString(12));
        int reviews = rs.getInt(13);
        product.put("reviewCount", reviews);
        product.put("averageRating", reviews == 0 ? null : Math.round(rs.getLong(14) * 10.0 / reviews) / 10.0);
        long version = rs.getLong(15);
        product.put("version", version);
        product.put("createdAt", rs.getTimestamp(16).toInstant().toString());
        product.put("updatedAt", rs.getTimestamp(17).toInstant().toString());
        return ResponseEntity.ok()
            .eTag("\"" + version + "\"")
            .header("Ordo-Consistent", Boolean.toString(consistent))
            .body(product);
      }
    } catch (SQLException e) {
      throw new DataAccessResourceFailureException("read database: " + e.getMessage(), e);
    }
  }

  private static long minPosition(HttpServletRequest request) {
    String value = request.getHeader("Ordo-Min-Position");
    String field = "Ordo-Min-Position";
    if (value == null) {
      value = request.getParameter("minPosition");
      field = "minPosition";
    }
    if (value == null || value.isBlank()) {
      return 0;
    }
    try {
      long position = Long.parseLong(value.strip());
      if (position < 0) {
        throw new InvalidInputException(field, "must not be negative");
      }
      return position;
    } catch (NumberFormatException e) {
      throw new InvalidInputException(field, "must be a log position (an integer)");
    }
  }
}
