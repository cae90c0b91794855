package dev.ordo.catalog.product;

import dev.ordo.command.Aggregates;
import dev.ordo.spring.verify.ReadModelCheck;
import dev.ordo.spring.verify.TableRows;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** {@code product_read} held against the products folded from the log ({@code ./ordo verify}). */
public final class ProductReadCheck implements ReadModelCheck {

  private static final String ROWS = """
      SELECT product_id, name, price, stock, status, store_id, category_id, review_count, rating_sum
        FROM product_read
       WHERE product_id = ANY (?)
      """;

  private static final String IDS = """
      SELECT product_id FROM product_read WHERE product_id > ? ORDER BY product_id LIMIT ?
      """;

  private final Aggregates<ProductCommand, Product, ProductEvent> products;
  private final DataSource readDatabase;

  public ProductReadCheck(Aggregates<ProductCommand, Product, ProductEvent> products, DataSource readDatabase) {
    this.products = products;
    this.readDatabase = readDatabase;
  }

  @Override
  public String readModel() {
    return "product_read";
  }

  @Override
  public String streamType() {
    return products.type().streamType();
  }

  @Override
  public Map<String, Object> expected(String id) {
    Aggregates.Loaded<Product> loaded = products.load(id);
    if (!loaded.exists()) {
      return null;
    }
    Product p = loaded.state();
    return row(p.name(), p.price(), p.stock(), p.status().name(), p.storeId(), p.categoryId(), (long) p.reviewCount(),
        p.ratingSum());
  }

  @Override
  public Map<String, Map<String, Object>> stored(List<String> ids) {
    return TableRows.rows(readDatabase, ROWS, ids, rs -> row(rs.getString(2), rs.getLong(3), rs.getLong(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getLong(8), rs.getLong(9)));
  }

  @Override
  public List<String> ids(String after, int limit) {
    return TableRows.ids(readDatabase, IDS, after, limit);
  }

  private static Map<String, Object> row(String name, long price, long stock, String status, String storeId,
      String categoryId, long reviewCount, long ratingSum) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("name", name);
    row.put("price", price);
    row.put("stock", stock);
    row.put("status", status);
    row.put("storeId", storeId);
    row.put("categoryId", categoryId);
    row.put("reviewCount", reviewCount);
    row.put("ratingSum", ratingSum);
    return row;
  }
}
