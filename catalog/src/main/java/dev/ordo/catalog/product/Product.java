package dev.ordo.catalog.product;

import java.util.List;
import java.util.Map;

/**
 * A product as its commands need it. {@code id} is null until it is registered.
 *
 * @param stock        what can still be sold: reserved quantities are already taken off
 * @param reservations the orders holding stock of this product, by order id, with the quantity each holds;
 *                     an entry goes when the order's stock is released or sold, so it holds open orders only
 */
public record Product(String id, String storeId, String categoryId, String name, String description,
    String thumbnailUrl, List<ProductImage> images, List<String> tags, List<String> keywords, long price, long stock,
    ProductStatus status, int reviewCount, long ratingSum, Map<String, Long> reservations) {

  public static final Product NONE = new Product(null, null, null, null, null, null, List.of(), List.of(), List.of(),
      0, 0, ProductStatus.ACTIVE, 0, 0, Map.of());

  public Product {
    tags = tags == null ? List.of() : tags;
    keywords = keywords == null ? List.of() : keywords;
    reservations = reservations == null ? Map.of() : Map.copyOf(reservations); // a no-op on an unmodifiable map
  }

  public boolean exists() {
    return id != null;
  }
}
