package dev.ordo.catalog.product;

import dev.ordo.catalog.CatalogTypes;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.spring.readmodel.StatementBatch;
import dev.ordo.spring.readmodel.TableProjection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A second read model from the same product events (seed 002 §7): the audit trail of every product
 * event with its actor and the status it left (seed 000 §1.3 ProductAudit), and the price history.
 */
public final class ProductHistoryProjection implements TableProjection {

  private static final String TABLES = TableProjection.tablesFrom("db/catalog/projections/product_history.sql");

  private static final String INSERT_AUDIT = """
      INSERT INTO product_audit (product_id, version, position, event_type, status, change_summary, data, actor,
                                 command_id, correlation_id, occurred_at)
      VALUES (?, ?, ?, ?,
              coalesce(?, (SELECT status FROM product_audit WHERE product_id = ? ORDER BY version DESC LIMIT 1),
                       'ACTIVE'),
              ?, ?::jsonb, ?, ?, ?, ?)
      """;

  private static final String INSERT_PRICE = """
      INSERT INTO product_price_history (product_id, version, position, old_price, new_price, reason, actor, changed_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?)
      """;

  /** One per runner thread: the runners of two generations share this projection. */
  private static final ThreadLocal<StatementBatch> BATCH = ThreadLocal.withInitial(StatementBatch::new);

  private final Set<String> types = CatalogTypes.PRODUCT.codec().types().names();

  @Override
  public String name() {
    return "product_history";
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
    return types;
  }

  @Override
  public void apply(RecordedEvent recorded, Connection db) throws SQLException {
    ProductEvent event = CatalogTypes.PRODUCT.codec().decode(recorded);
    Timestamp at = Timestamp.from(recorded.occurredAt());
    String actor = recorded.metadata().actor();
    String status = switch (event) {
      case ProductEvent.ProductRegistered e -> "ACTIVE";
      case ProductEvent.ProductHidden e -> "HIDDEN";
      case ProductEvent.ProductRestored e -> "ACTIVE";
      case ProductEvent.ProductDeleted e -> "DELETED";
      default -> null;
    };
    BATCH.get().add(db, INSERT_AUDIT, event.productId(), recorded.version(), recorded.position(), recorded.type(),
        status, event.productId(), summary(event), recorded.data(), actor, recorded.metadata().commandId(),
        recorded.metadata().correlationId(), at);
    switch (event) {
      case ProductEvent.ProductRegistered e -> price(db, recorded, null, e.price(), "REGISTERED", actor, at);
      case ProductEvent.PriceChanged e -> price(db, recorded, e.oldPrice(), e.newPrice(), e.reason(), actor, at);
      default -> { }
    }
  }

  private static void price(Connection db, RecordedEvent recorded, Long oldPrice, long newPrice, String reason,
      String actor, Timestamp at) throws SQLException {
    BATCH.get().add(db, INSERT_PRICE, recorded.streamId(), recorded.version(), recorded.position(), oldPrice, newPrice,
        reason, actor, at);
  }

  @Override
  public void flush(Connection db) throws SQLException {
    BATCH.get().flush();
  }

  /** One line a person reads in an audit screen. */
  static String summary(ProductEvent event) {
    return switch (event) {
      case ProductEvent.ProductRegistered e ->
          "registered \"%s\" at %d won, stock %d".formatted(e.name(), e.price(), e.stockQuantity());
      case ProductEvent.ProductInfoUpdated e -> {
        List<String> fields = new ArrayList<>();
        var c = e.changes();
        if (c.name() != null) {
          fields.add("name \"%s\" → \"%s\"".formatted(c.name().oldValue(), c.name().newValue()));
        }
        if (c.description() != null) {
          fields.add("description");
        }
        if (c.thumbnailUrl() != null) {
          fields.add("thumbnail");
        }
        if (c.categoryId() != null) {
          fields.add("category");
        }
        if (c.images() != null) {
          fields.add("images");
        }
        if (c.tags() != null) {
          fields.add("tags");
        }
        if (c.keywords() != null) {
          fields.add("keywords");
        }
        yield "changed " + String.join(", ", fields);
      }
      case ProductEvent.PriceChanged e -> "price %d → %d won%s".formatted(e.oldPrice(), e.newPrice(),
          e.reason() == null || e.reason().isBlank() ? "" : " (" + e.reason() + ")");
      case ProductEvent.StockAdjusted e -> "stock %+d → %d (%s)".formatted(e.delta(), e.stockAfter(), e.reason());
      case ProductEvent.ProductHidden e -> "hidden";
      case ProductEvent.ProductRestored e -> "restored";
      case ProductEvent.ProductDeleted e -> "deleted" + (e.reason() == null ? "" : " (" + e.reason() + ")");
      case ProductEvent.ReviewAdded e -> "review %d/5".formatted(e.rating());
      case ProductEvent.StockReserved e ->
          "reserved %d for order %s, stock → %d".formatted(e.quantity(), e.orderId(), e.stockAfter());
      case ProductEvent.StockReservationRefused e -> "refused %d for order %s (%s, available %d)".formatted(
          e.quantity(), e.orderId(), e.reason(), e.available());
      case ProductEvent.StockReleased e ->
          "released %d of order %s, stock → %d".formatted(e.quantity(), e.orderId(), e.stockAfter());
      case ProductEvent.ReservationSettled e -> "sold %d to order %s".formatted(e.quantity(), e.orderId());
    };
  }
}
