package dev.ordo.catalog;

import dev.ordo.catalog.category.Category;
import dev.ordo.catalog.category.CategoryCommand;
import dev.ordo.catalog.category.CategoryDecider;
import dev.ordo.catalog.category.CategoryEvent;
import dev.ordo.catalog.product.Product;
import dev.ordo.catalog.product.ProductAccess;
import dev.ordo.catalog.product.ProductCommand;
import dev.ordo.catalog.product.ProductDecider;
import dev.ordo.catalog.product.ProductEvent;
import dev.ordo.catalog.product.ProductStatus;
import dev.ordo.catalog.store.Store;
import dev.ordo.catalog.store.StoreAccess;
import dev.ordo.catalog.store.StoreCommand;
import dev.ordo.catalog.store.StoreDecider;
import dev.ordo.catalog.store.StoreEvent;
import dev.ordo.codec.EventCodec;
import dev.ordo.command.AggregateType;
import dev.ordo.eventstore.UniqueKey;
import java.text.Normalizer;
import java.util.Locale;
import java.util.Set;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The catalog's aggregates: their stream types, event names and schema versions, and upcasters. */
public final class CatalogTypes {

  /** Events are read leniently: a field a later build added must not break an older reader. */
  public static final JsonMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  public static final AggregateType<StoreCommand, Store, StoreEvent> STORE = new AggregateType<>("store",
      new StoreDecider(),
      EventCodec.builder(StoreEvent.class, JSON)
          .event(StoreEvent.StoreRegistered.class, "StoreRegistered", 1)
          .event(StoreEvent.StoreRenamed.class, "StoreRenamed", 1)
          .build(),
      Store.class, 1).withAccess(new StoreAccess());

  public static final AggregateType<CategoryCommand, Category, CategoryEvent> CATEGORY = new AggregateType<>(
      "category",
      new CategoryDecider(),
      EventCodec.builder(CategoryEvent.class, JSON)
          .event(CategoryEvent.CategoryCreated.class, "CategoryCreated", 1)
          .event(CategoryEvent.CategoryRenamed.class, "CategoryRenamed", 1)
          .build(),
      Category.class, 1);

  public static final AggregateType<ProductCommand, Product, ProductEvent> PRODUCT = new AggregateType<>("product",
      new ProductDecider(),
      EventCodec.builder(ProductEvent.class, JSON)
          .event(ProductEvent.ProductRegistered.class, "ProductRegistered", 3)
          // v1 had a thumbnail but no images: the thumbnail becomes the primary image
          .upcaster("ProductRegistered", 1, CatalogTypes::imagesFromThumbnail)
          // v2 had no tags and no keywords: none
          .upcaster("ProductRegistered", 2, CatalogTypes::noTagsOrKeywords)
          .event(ProductEvent.ProductInfoUpdated.class, "ProductInfoUpdated", 1)
          .event(ProductEvent.PriceChanged.class, "PriceChanged", 1)
          .event(ProductEvent.StockAdjusted.class, "StockAdjusted", 1)
          .event(ProductEvent.ProductHidden.class, "ProductHidden", 1)
          .event(ProductEvent.ProductRestored.class, "ProductRestored", 1)
          .event(ProductEvent.ProductDeleted.class, "ProductDeleted", 1)
          .event(ProductEvent.ReviewAdded.class, "ReviewAdded", 1)
          .event(ProductEvent.StockReserved.class, "StockReserved", 1)
          .event(ProductEvent.StockReservationRefused.class, "StockReservationRefused", 1)
          .event(ProductEvent.StockReleased.class, "StockReleased", 1)
          .event(ProductEvent.ReservationSettled.class, "ReservationSettled", 1)
          .build(),
      Product.class, 3, // 2: the reservations held for orders; 3: tags and keywords
      CatalogTypes::productNameKeys).withAccess(new ProductAccess());

  private CatalogTypes() {}

  private static ObjectNode imagesFromThumbnail(ObjectNode v1) {
    var images = v1.putArray("images");
    var thumbnail = v1.get("thumbnailUrl");
    if (thumbnail != null && !thumbnail.isNull() && !thumbnail.asString().isBlank()) {
      images.addObject().put("imageType", "PRIMARY").put("imageUrl", thumbnail.asString()).put("displayOrder", 0);
    }
    return v1;
  }

  private static ObjectNode noTagsOrKeywords(ObjectNode v2) {
    v2.putArray("tags");
    v2.putArray("keywords");
    return v2;
  }

  /** A product's name is unique within its store while the product is not deleted. */
  static Set<UniqueKey> productNameKeys(Product product) {
    if (!product.exists() || product.status() == ProductStatus.DELETED) {
      return Set.of();
    }
    return Set.of(new UniqueKey("product-name:" + product.storeId(), normalizedName(product.name())));
  }

  /** Names differing only in case, width or spacing are the same name. Runs on every product command. */
  static String normalizedName(String name) {
    String normalized = Normalizer.normalize(name, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    var collapsed = new StringBuilder(normalized.length());
    boolean space = false;
    for (int i = 0; i < normalized.length(); i++) {
      char c = normalized.charAt(i);
      if (Character.isWhitespace(c)) {
        space = collapsed.length() > 0;
      } else {
        if (space) {
          collapsed.append(' ');
          space = false;
        }
        collapsed.append(c);
      }
    }
    return collapsed.toString();
  }
}
