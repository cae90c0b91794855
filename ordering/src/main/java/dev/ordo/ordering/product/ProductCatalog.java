package dev.ordo.ordering.product;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.spring.query.ReadModels;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** What ordering knows of the catalog's products ({@link ProductCatalogProjection}), asked when an order is priced. */
public final class ProductCatalog {

  /** A product as an order needs it. */
  public record KnownProduct(String productId, String storeId, String name, long price, String status) {

    public boolean orderable() {
      return "ACTIVE".equals(status);
    }
  }

  private static final String FIND = """
      SELECT product_id, store_id, name, price, status FROM ordering_product WHERE product_id = ANY (?)
      """;

  private final DataSource readDatabase;
  private final ReadModels readModels;
  private final EventStore store;

  public ProductCatalog(DataSource readDatabase, ReadModels readModels, EventStore store) {
    this.readDatabase = readDatabase;
    this.readModels = readModels;
    this.store = store;
  }

  /**
   * The products by id. One not known yet may have been registered a moment ago: then the answer
   * waits (at most {@code patience}) for this read model to reach the log's head and asks again.
   */
  public Map<String, KnownProduct> find(List<String> productIds, Duration patience) {
    Map<String, KnownProduct> known = query(productIds);
    if (known.size() < productIds.size()) {
      Optional<LogPosition> head = store.locate(store.head());
      try {
        if (head.isPresent() && readModels.awaitApplied(ProductCatalogProjection.NAME, head.get(), patience)) {
          known = query(productIds);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return known;
  }

  private Map<String, KnownProduct> query(List<String> productIds) {
    try (Connection c = readDatabase.getConnection(); PreparedStatement s = c.prepareStatement(FIND)) {
      s.setArray(1, c.createArrayOf("text", productIds.toArray()));
      Map<String, KnownProduct> found = new HashMap<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          found.put(rs.getString(1), new KnownProduct(rs.getString(1), rs.getString(2), rs.getString(3),
              rs.getLong(4), rs.getString(5)));
        }
      }
      return found;
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
  }
}
