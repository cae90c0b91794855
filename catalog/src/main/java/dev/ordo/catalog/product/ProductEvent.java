package dev.ordo.catalog.product;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.UUID;

/** What happened to a product; each names one thing that happened in the domain. */
public sealed interface ProductEvent {

  String productId();

  /**
   * Schema v3. v1 had no {@code images}: its upcaster derives them from the thumbnail; v2 had no
   * {@code tags} and {@code keywords}: its upcaster makes them empty.
   */
  record ProductRegistered(String productId, String storeId, String categoryId, String name, long price,
      long stockQuantity, String thumbnailUrl, String description, List<ProductImage> images, List<String> tags,
      List<String> keywords) implements ProductEvent {}

  /**
   * Field-level changes: {@code {"name": {"old": "A", "new": "B"}}}; unchanged fields are absent. Still
   * schema v1 with {@code tags} and {@code keywords}: an event written before them lacks them, as it
   * lacks any field it did not change.
   */
  record ProductInfoUpdated(String productId, Changes changes) implements ProductEvent {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Changes(Change<String> name, Change<String> description, Change<String> thumbnailUrl,
      Change<String> categoryId, Change<List<ProductImage>> images, Change<List<String>> tags,
      Change<List<String>> keywords) {

    boolean isEmpty() {
      return name == null && description == null && thumbnailUrl == null && categoryId == null && images == null
          && tags == null && keywords == null;
    }
  }

  record Change<T>(@JsonProperty("old") T oldValue, @JsonProperty("new") T newValue) {}

  record PriceChanged(String productId, long oldPrice, long newPrice, String reason) implements ProductEvent {}

  record StockAdjusted(String productId, long delta, StockReason reason, UUID relatedOrderId, long stockAfter)
      implements ProductEvent {}

  record ProductHidden(String productId) implements ProductEvent {}

  record ProductRestored(String productId) implements ProductEvent {}

  record ProductDeleted(String productId, String reason) implements ProductEvent {}

  record ReviewAdded(String productId, int rating, String comment) implements ProductEvent {}

  /** {@code quantity} taken off the stock for the order; {@code stockAfter} is what can still be sold. */
  record StockReserved(String productId, String orderId, long quantity, long stockAfter) implements ProductEvent {}

  /**
   * Nothing reserved for the order: {@code reason} is {@code insufficient-stock} ({@code available} is
   * the stock there was), {@code product-not-available} (hidden, deleted or never registered;
   * {@code available} is 0) or {@code invalid-quantity} (less than 1).
   */
  record StockReservationRefused(String productId, String orderId, long quantity, long available, String reason)
      implements ProductEvent {}

  /** What was held for the order, back on the stock. */
  record StockReleased(String productId, String orderId, long quantity, long stockAfter) implements ProductEvent {}

  /** What was held for the order is sold; the stock does not change. */
  record ReservationSettled(String productId, String orderId, long quantity) implements ProductEvent {}
}
