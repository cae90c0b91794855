package dev.ordo.ordering.order;

import dev.ordo.command.Aggregates;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.ordering.delivery.DeliveryView;
import dev.ordo.ordering.dispatch.DispatchView;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An order as every order query answers it (seed 004 §2's order view): its {@code order_read} row
 * (alias {@code o}) with its dispatch and delivery, or, with the read database down, what the
 * aggregates know.
 */
public final class OrderView {

  /** The order, its dispatch's and its delivery's columns. */
  public static final String COLUMNS = """
      o.order_id, o.user_id, o.status, o.items::text AS items, o.item_count, o.total_amount, o.payment_status,
      o.payment_method, o.paid_amount, o.refunded_amount, o.payment_due_at, o.shipping_address::text AS shipping_address,
      o.tracking_number, o.estimated_delivery, o.placed_at, o.reserved_at, o.rejected_at, o.reject_reason,
      o.rejected_product_id, o.approved_at, o.paid_at, o.shipped_at, o.delivered_at, o.cancelled_at, o.cancel_reason,
      o.refunded_at, o.expired_at, o.version, o.position, o.updated_at,
      """ + DispatchView.COLUMNS + ", " + DeliveryView.COLUMNS;

  /** {@code order_read o} with its dispatch {@code d} and delivery {@code v}. */
  public static final String FROM = """
      order_read o LEFT JOIN dispatch_read d ON d.dispatch_id = o.dispatch_id
                   LEFT JOIN delivery_read v ON v.delivery_id = o.delivery_id
      """;

  private OrderView() {}

  /** The order of the current row of a query selecting {@link #COLUMNS} {@link #FROM}. */
  public static Map<String, Object> of(ResultSet rs) throws SQLException {
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", rs.getString("order_id"));
    view.put("userId", rs.getString("user_id"));
    view.put("status", rs.getString("status"));
    view.put("items", OrderingTypes.JSON.readTree(rs.getString("items")));
    view.put("itemCount", rs.getInt("item_count"));
    view.put("totalAmount", rs.getLong("total_amount"));
    view.put("paymentStatus", rs.getString("payment_status"));
    view.put("paymentMethod", rs.getString("payment_method"));
    view.put("paidAmount", rs.getObject("paid_amount"));
    view.put("refundedAmount", rs.getObject("refunded_amount"));
    view.put("paymentDueAt", instant(rs, "payment_due_at"));
    view.put("shippingAddress", OrderingTypes.JSON.readTree(rs.getString("shipping_address")));
    view.put("trackingNumber", rs.getString("tracking_number"));
    view.put("estimatedDelivery", rs.getObject("estimated_delivery", java.time.LocalDate.class).toString());
    view.put("placedAt", instant(rs, "placed_at"));
    view.put("reservedAt", instant(rs, "reserved_at"));
    view.put("rejectedAt", instant(rs, "rejected_at"));
    view.put("rejectReason", rs.getString("reject_reason"));
    view.put("rejectedProductId", rs.getString("rejected_product_id"));
    view.put("approvedAt", instant(rs, "approved_at"));
    view.put("paidAt", instant(rs, "paid_at"));
    view.put("shippedAt", instant(rs, "shipped_at"));
    view.put("deliveredAt", instant(rs, "delivered_at"));
    view.put("cancelledAt", instant(rs, "cancelled_at"));
    view.put("cancelReason", rs.getString("cancel_reason"));
    view.put("refundedAt", instant(rs, "refunded_at"));
    view.put("expiredAt", instant(rs, "expired_at"));
    view.put("dispatch", DispatchView.of(rs));
    view.put("delivery", DeliveryView.of(rs));
    view.put("version", rs.getLong("version"));
    view.put("position", rs.getLong("position"));
    view.put("updatedAt", instant(rs, "updated_at"));
    return view;
  }

  /**
   * What the order aggregate knows: its status, items, total and payment, no times, address or
   * tracking number (its state keeps only what its rules need). {@code dispatch} and
   * {@code delivery} are their own write-model views, or null.
   */
  public static Map<String, Object> of(Aggregates.Loaded<Order> loaded, Map<String, Object> dispatch,
      Map<String, Object> delivery) {
    Order order = loaded.state();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", order.id());
    view.put("userId", order.userId());
    view.put("status", order.status().name());
    List<Map<String, Object>> items = new ArrayList<>(order.items().size());
    for (OrderItem item : order.items()) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("productId", item.productId());
      line.put("productName", item.productName());
      line.put("storeId", item.storeId());
      line.put("unitPrice", item.unitPrice());
      line.put("quantity", item.quantity());
      line.put("lineTotal", item.lineTotal());
      items.add(line);
    }
    view.put("items", items);
    view.put("itemCount", order.items().stream().mapToInt(OrderItem::quantity).sum());
    view.put("totalAmount", order.total());
    view.put("paymentStatus", paymentStatus(order));
    view.put("paymentMethod", order.paymentMethod() == null ? null : order.paymentMethod().name());
    view.put("paymentDueAt", order.paymentDueAt() == null ? null : order.paymentDueAt().toString());
    view.put("dispatch", dispatch);
    view.put("delivery", delivery);
    view.put("version", loaded.version());
    view.put("position", loaded.position());
    return view;
  }

  /** An order keeps its payment method from its payment on; a paid order that is cancelled is refunded. */
  private static String paymentStatus(Order order) {
    if (order.paymentMethod() == null) {
      return "UNPAID";
    }
    return order.status() == OrderStatus.CANCELLED ? "REFUNDED" : "PAID";
  }

  static String instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant().toString();
  }
}
