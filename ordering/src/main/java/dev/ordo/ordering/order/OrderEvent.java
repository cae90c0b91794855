package dev.ordo.ordering.order;

import java.time.Instant;
import java.util.List;

/**
 * What happened to an order. Other contexts read these by type name and JSON (the catalog gives
 * stock back on {@code OrderRejected}, {@code OrderCancelled} and {@code OrderExpired} from their
 * {@code items}), so a field is never renamed or removed without an upcaster.
 */
public sealed interface OrderEvent {

  String orderId();

  /** A product and how many of it: what an order holds of the catalog's stock. */
  record Line(String productId, int quantity) {}

  record OrderPlaced(String orderId, String userId, List<OrderItem> items, long totalAmount,
      ShippingAddress shippingAddress, Instant paymentDueAt) implements OrderEvent {}

  /** The catalog reserved one product's stock for the order. */
  record ItemReserved(String orderId, String productId) implements OrderEvent {}

  /** Every item's stock is reserved. */
  record OrderReserved(String orderId) implements OrderEvent {}

  /** The catalog refused an item ({@code insufficient-stock}, {@code product-not-available}). */
  record OrderRejected(String orderId, String reason, String productId, List<Line> items) implements OrderEvent {}

  record OrderApproved(String orderId) implements OrderEvent {}

  record OrderPaid(String orderId, PaymentMethod method, long amount, Instant paidAt) implements OrderEvent {}

  record OrderShipped(String orderId, String trackingNumber, List<Line> items) implements OrderEvent {}

  record OrderDelivered(String orderId) implements OrderEvent {}

  record OrderCancelled(String orderId, String reason, List<Line> items, boolean paid) implements OrderEvent {}

  /** The money of a paid order that was cancelled goes back the way it came. */
  record OrderRefunded(String orderId, long amount, PaymentMethod method) implements OrderEvent {}

  /** Unpaid past its payment deadline. */
  record OrderExpired(String orderId, List<Line> items) implements OrderEvent {}
}
