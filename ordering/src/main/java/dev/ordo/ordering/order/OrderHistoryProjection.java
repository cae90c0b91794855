package dev.ordo.ordering.order;

import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.ordering.delivery.DeliveryEvent;
import dev.ordo.ordering.dispatch.DispatchEvent;
import dev.ordo.spring.readmodel.StatementBatch;
import dev.ordo.spring.readmodel.TableProjection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Set;

/**
 * A second read model from the same events (seed 002 §7): the audit trail of an order, its
 * dispatch and its delivery, every event with its actor, time and a line a person reads.
 */
public final class OrderHistoryProjection implements TableProjection {

  private static final String TABLES = TableProjection.tablesFrom("db/ordering/projections/order_history.sql");

  private static final String MAP_STREAM = """
      INSERT INTO order_audit_stream (stream_id, order_id) VALUES (?, ?) ON CONFLICT (stream_id) DO NOTHING
      """;

  /** The order is the event's own when it names it, else its dispatch's or delivery's. */
  private static final String INSERT_AUDIT = """
      INSERT INTO order_audit (order_id, position, stream_id, stream_type, version, event_type, summary, data, actor,
                               command_id, correlation_id, occurred_at)
      VALUES (coalesce(?, (SELECT order_id FROM order_audit_stream WHERE stream_id = ?)), ?, ?, ?, ?, ?, ?, ?::jsonb, ?,
              ?, ?, ?)
      """;

  /** One per runner thread: the runners of two generations share this projection. */
  private static final ThreadLocal<StatementBatch> BATCH = ThreadLocal.withInitial(StatementBatch::new);

  @Override
  public String name() {
    return "order_history";
  }

  @Override
  public int version() {
    return 2;
  }

  @Override
  public String tables() {
    return TABLES;
  }

  @Override
  public Set<String> eventTypes() {
    return TYPES;
  }

  /** Every event but a rider's position pings: the log keeps each, the delivery its last. */
  private static final Set<String> TYPES = OrderReadProjection.types().stream()
      .filter(type -> !type.equals("LocationUpdated")).collect(java.util.stream.Collectors.toUnmodifiableSet());

  @Override
  public void apply(RecordedEvent recorded, Connection db) throws SQLException {
    String orderId;
    String summary;
    switch (recorded.streamType()) {
      case "order" -> {
        OrderEvent event = OrderingTypes.ORDER.codec().decode(recorded);
        orderId = event.orderId();
        summary = summary(event);
      }
      case "dispatch" -> {
        DispatchEvent event = OrderingTypes.DISPATCH.codec().decode(recorded);
        orderId = switch (event) {
          case DispatchEvent.DispatchOpened e -> e.orderId();
          case DispatchEvent.DispatchPickedUp e -> e.orderId();
          default -> null;
        };
        if (event instanceof DispatchEvent.DispatchOpened) {
          BATCH.get().add(db, MAP_STREAM, recorded.streamId(), orderId);
        }
        summary = summary(event);
      }
      case "delivery" -> {
        DeliveryEvent event = OrderingTypes.DELIVERY.codec().decode(recorded);
        orderId = switch (event) {
          case DeliveryEvent.DeliveryStarted e -> e.orderId();
          case DeliveryEvent.DeliveryCompleted e -> e.orderId();
          default -> null;
        };
        if (event instanceof DeliveryEvent.DeliveryStarted) {
          BATCH.get().add(db, MAP_STREAM, recorded.streamId(), orderId);
        }
        summary = summary(event);
      }
      default -> {
        return;
      }
    }
    BATCH.get().add(db, INSERT_AUDIT, orderId, recorded.streamId(), recorded.position(), recorded.streamId(),
        recorded.streamType(), recorded.version(), recorded.type(), summary, recorded.data(),
        recorded.metadata().actor(), recorded.metadata().commandId(), recorded.metadata().correlationId(),
        Timestamp.from(recorded.occurredAt()));
  }

  @Override
  public void flush(Connection db) throws SQLException {
    BATCH.get().flush();
  }

  static String summary(OrderEvent event) {
    return switch (event) {
      case OrderEvent.OrderPlaced e -> "placed %d item(s) of %d product(s) for %d won%s, payment due by %s".formatted(
          e.items().stream().mapToInt(OrderItem::quantity).sum(), e.items().size(), e.totalAmount(),
          e.shippingAddress().isExpress() ? ", express" : "", e.paymentDueAt());
      case OrderEvent.ItemReserved e -> "stock reserved for product " + e.productId();
      case OrderEvent.OrderReserved e -> "all stock reserved";
      case OrderEvent.OrderRejected e -> "rejected: %s%s".formatted(e.reason(),
          e.productId() == null ? "" : " (product " + e.productId() + ")");
      case OrderEvent.OrderApproved e -> "approved";
      case OrderEvent.OrderPaid e -> "paid %d won by %s".formatted(e.amount(), e.method());
      case OrderEvent.OrderShipped e -> "shipped, tracking number " + e.trackingNumber();
      case OrderEvent.OrderDelivered e -> "delivered";
      case OrderEvent.OrderCancelled e -> "cancelled" + reason(e.reason());
      case OrderEvent.OrderRefunded e -> "refunded %d won to %s".formatted(e.amount(), e.method());
      case OrderEvent.OrderExpired e -> "expired unpaid";
    };
  }

  static String summary(DispatchEvent event) {
    return switch (event) {
      case DispatchEvent.DispatchOpened e -> "dispatch opened";
      case DispatchEvent.RiderAssigned e -> "rider " + e.riderId() + " assigned";
      case DispatchEvent.DispatchAccepted e -> "rider " + e.riderId() + " accepted";
      case DispatchEvent.DispatchDeclined e -> "rider " + e.riderId() + " declined" + reason(e.reason());
      case DispatchEvent.DispatchPickedUp e -> "rider " + e.riderId() + " picked the parcel up";
      case DispatchEvent.DispatchCancelled e -> "dispatch cancelled" + reason(e.reason());
    };
  }

  static String summary(DeliveryEvent event) {
    return switch (event) {
      case DeliveryEvent.DeliveryStarted e -> "delivery started by rider " + e.riderId();
      case DeliveryEvent.LocationUpdated e -> "located at %s, %s".formatted(e.lat(), e.lon());
      case DeliveryEvent.DeliveryCompleted e -> "delivery completed";
    };
  }

  private static String reason(String reason) {
    return reason == null || reason.isBlank() ? "" : " (" + reason + ")";
  }
}
