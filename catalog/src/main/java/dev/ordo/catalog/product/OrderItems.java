package dev.ordo.catalog.product;

import dev.ordo.catalog.CatalogTypes;
import dev.ordo.eventstore.RecordedEvent;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the catalog reads of the ordering context's events: the order and the products in it, from
 * the events' type names and JSON alone, as a separate service would (the catalog never imports
 * ordering). Every one of these events carries {@code orderId} and {@code items:[{productId, quantity}]};
 * other fields are ignored.
 */
record OrderItems(String orderId, List<Item> items) {

  static final String PLACED = "OrderPlaced";
  static final String REJECTED = "OrderRejected";
  static final String CANCELLED = "OrderCancelled";
  static final String EXPIRED = "OrderExpired";
  static final String SHIPPED = "OrderShipped";

  static final Set<String> TYPES = Set.of(PLACED, REJECTED, CANCELLED, EXPIRED, SHIPPED);

  record Item(String productId, Long quantity) {}

  /**
   * The order and its items; the stream id stands in for a missing {@code orderId} (an order's
   * stream is named by its id). An event without items, or with an item naming no product, is
   * refused: it is not one the catalog can act on, and acting on part of it would be wrong.
   */
  static OrderItems of(RecordedEvent event) {
    OrderItems read = CatalogTypes.JSON.readValue(event.data(), OrderItems.class);
    String orderId = read.orderId() == null || read.orderId().isBlank() ? event.streamId() : read.orderId();
    if (read.items() == null) {
      throw new IllegalArgumentException(event.type() + " at " + event.position() + " has no items");
    }
    for (Item item : read.items()) {
      if (item == null || item.productId() == null || item.productId().isBlank()) {
        throw new IllegalArgumentException(event.type() + " at " + event.position() + " has an item without a product");
      }
    }
    return new OrderItems(orderId, read.items());
  }

  /** Each product once, in the order of its first item, with the quantities of all its items. */
  Map<String, Long> quantities() {
    Map<String, Long> quantities = new LinkedHashMap<>();
    for (Item item : items) {
      quantities.merge(item.productId(), item.quantity() == null ? 0 : item.quantity(), Long::sum);
    }
    return quantities;
  }
}
