package dev.ordo.catalog.product;

import java.util.List;

/** A product as its commands need it. {@code id} is null until it is registered. */
public record Product(String id, String storeId, String categoryId, String name, String description,
    String thumbnailUrl, List<ProductImage> images, long price, long stock, ProductStatus status, int reviewCount,
    long ratingSum) {

  public static final Product NONE =
      new Product(null, null, null, null, null, null, List.of(), 0, 0, ProductStatus.ACTIVE, 0, 0);

  public boolean exists() {
    return id != null;
  }
}
