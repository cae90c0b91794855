package dev.ordo.ordering.product;

import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.spring.readmodel.StatementBatch;
import dev.ordo.spring.readmodel.TableProjection;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Keeps {@code ordering_product} from the catalog's events, read by their type names and JSON as a
 * separate service would read them (ARCHITECTURE.md: contexts never import each other).
 */
public final class ProductCatalogProjection implements TableProjection {

  static final String NAME = "ordering_products";

  private static final String TABLES = TableProjection.tablesFrom("db/ordering/projections/ordering_product.sql");

  private static final String REGISTER = """
      INSERT INTO ordering_product (product_id, store_id, name, price, status) VALUES (?, ?, ?, ?, 'ACTIVE')
      ON CONFLICT (product_id) DO NOTHING
      """;
  private static final String RENAME = "UPDATE ordering_product SET name = ? WHERE product_id = ?";
  private static final String REPRICE = "UPDATE ordering_product SET price = ? WHERE product_id = ?";
  private static final String STATUS = "UPDATE ordering_product SET status = ? WHERE product_id = ?";
  private static final ThreadLocal<StatementBatch> BATCH = ThreadLocal.withInitial(StatementBatch::new);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public String tables() {
    return TABLES;
  }

  @Override
  public Set<String> eventTypes() {
    return Set.of("ProductRegistered", "ProductInfoUpdated", "PriceChanged", "ProductHidden", "ProductRestored",
        "ProductDeleted");
  }

  @Override
  public void apply(RecordedEvent event, Connection db) throws SQLException {
    JsonNode data = OrderingTypes.JSON.readTree(event.data());
    String id = event.streamId();
    StatementBatch batch = BATCH.get();
    switch (event.type()) {
      case "ProductRegistered" -> batch.add(db, REGISTER, id, data.path("storeId").asString(),
          data.path("name").asString(), data.path("price").asLong());
      case "ProductInfoUpdated" -> {
        JsonNode name = data.path("changes").path("name").path("new");
        if (name.isString()) {
          batch.add(db, RENAME, name.asString(), id);
        }
      }
      case "PriceChanged" -> batch.add(db, REPRICE, data.path("newPrice").asLong(), id);
      case "ProductHidden" -> batch.add(db, STATUS, "HIDDEN", id);
      case "ProductRestored" -> batch.add(db, STATUS, "ACTIVE", id);
      case "ProductDeleted" -> batch.add(db, STATUS, "DELETED", id);
      default -> { }
    }
  }

  @Override
  public void flush(Connection db) throws SQLException {
    BATCH.get().flush();
  }
}
