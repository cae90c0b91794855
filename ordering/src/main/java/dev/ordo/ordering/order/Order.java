package dev.ordo.ordering.order;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/**
 * An order as its commands need it. {@code id} is null until it is placed; {@code reserved} holds
 * the products whose stock the catalog has reserved for it so far.
 */
public record Order(String id, String userId, List<OrderItem> items, long total, OrderStatus status,
    Set<String> reserved, Instant paymentDueAt, PaymentMethod paymentMethod) {

  public static final Order NONE = new Order(null, null, List.of(), 0, null, Set.of(), null, null);

  public boolean exists() {
    return id != null;
  }

  /** What the order holds of each product: given back when it is rejected, cancelled or expired. */
  public List<OrderEvent.Line> lines() {
    return items.stream().map(i -> new OrderEvent.Line(i.productId(), i.quantity())).toList();
  }
}
