package dev.ordo.catalog.product;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.UUID;

/** What happened to a product; each names one thing that happened in the domain. */
public sealed interface ProductEvent {

  String productId();

  /** Schema v2: v1 had no {@code images}; its upcaster derives them from the thumbnail. */
  record ProductRegistered(String productId, String storeId, String categoryId, String name, long price,
      long stockQuantity, String thumbnailUrl, String description, List<ProductImage> images)
      implements ProductEvent {}

  /** Field-level changes: {@code {"name": {"old": "A", "new": "B"}}}; unchanged fields are absent. */
  record ProductInfoUpdated(String productId, Changes changes) implements ProductEvent {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  record Changes(Change<String> name, Change<String> description, Change<String> thumbnailUrl,
      Change<String> categoryId, Change<List<ProductImage>> images) {

    boolean isEmpty() {
      return name == null && description == null && thumbnailUrl == null && categoryId == null && images == null;
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
}
