package dev.ordo.catalog.product;

import dev.ordo.catalog.CatalogTypes;
import dev.ordo.catalog.category.CategoryEvent;
import dev.ordo.catalog.store.StoreEvent;
import dev.ordo.consumer.Projection;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.search.IndexBatch;
import dev.ordo.search.SearchSchema;
import dev.ordo.search.SearchSchema.Field;
import dev.ordo.spring.search.SearchIndexDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The product search index ({@code product_search}): a document per product with what search
 * matches (name, tags, keywords, store name, category path, description, weighed in that order),
 * filters and facets on (status, store, category and its ancestors, price) and sorts by (creation,
 * orders, rating). Beside them the index keeps what it needs to fill them in, as documents of its
 * own: stores' names, categories' paths and the orders it counted. Written from the log like {@code
 * product_read}, and like it tolerant of order between streams: a product whose store or category
 * comes later is completed when it does.
 */
public final class ProductSearchIndex implements Projection<IndexBatch> {

  public static final String NAME = "product_search";
  static final String PRODUCT = "product";
  private static final String STORE = "store";
  private static final String CATEGORY = "category";
  private static final String ORDER = "order";

  static final SearchSchema PRODUCTS = new SearchSchema(PRODUCT, "name", Field.text("name", 3),
      Field.text("tags", 2), Field.text("keywords", 2), Field.text("store_name", 1), Field.text("category_path", 1),
      Field.text("description", 0.3f),
      Field.keyword("status"), Field.keyword("store_id"), Field.keyword("category_id"), Field.keyword("categories"),
      Field.number("price"), Field.number("created_at"), Field.number("orders"), Field.decimal("rating"));

  private static final List<SearchSchema> SCHEMAS = List.of(PRODUCTS,
      new SearchSchema(STORE, null, Field.keyword("name")),
      new SearchSchema(CATEGORY, null, Field.keyword("ancestors")),
      new SearchSchema(ORDER, null, Field.keyword("products")));

  private final Set<String> types = Stream.concat(Stream.of(CatalogTypes.STORE, CatalogTypes.CATEGORY,
      CatalogTypes.PRODUCT).flatMap(t -> t.codec().types().names().stream()), OrderItems.TYPES.stream())
      .filter(t -> !t.startsWith("Stock") && !t.equals("ReservationSettled")).collect(java.util.stream.Collectors.toSet());

  public static SearchIndexDefinition definition() {
    return new SearchIndexDefinition(NAME, SCHEMAS, new ProductSearchIndex());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public Set<String> eventTypes() {
    return types;
  }

  /** One product that cannot be indexed is parked and the others stay searchable; a rebuild takes it again. */
  @Override
  public OnFailure onFailure() {
    return OnFailure.SKIP;
  }

  @Override
  public void apply(RecordedEvent event, IndexBatch index) {
    if (OrderItems.TYPES.contains(event.type())) {
      order(event.type(), OrderItems.of(event), index);
      return;
    }
    switch (event.streamType()) {
      case "store" -> store(CatalogTypes.STORE.codec().decode(event), index);
      case "category" -> category(CatalogTypes.CATEGORY.codec().decode(event), index);
      case "product" -> product(CatalogTypes.PRODUCT.codec().decode(event), event, index);
      default -> { }
    }
  }

  private static void store(StoreEvent event, IndexBatch index) {
    String id;
    String name;
    switch (event) {
      case StoreEvent.StoreRegistered e -> {
        id = e.storeId();
        name = e.name();
      }
      case StoreEvent.StoreRenamed e -> {
        id = e.storeId();
        name = e.newName();
      }
    }
    index.put(STORE, id, Map.of("name", name));
    for (String product : index.ids(PRODUCT, "store_id", id)) {
      update(index, product, doc -> doc.put("store_name", name));
    }
  }

  private static void category(CategoryEvent event, IndexBatch index) {
    switch (event) {
      case CategoryEvent.CategoryCreated e -> {
        Map<String, Object> parent = e.parentId() == null ? null : index.get(CATEGORY, e.parentId()).orElse(null);
        List<String> ancestors = new ArrayList<>();
        if (parent != null) {
          ancestors.addAll(strings(parent.get("ancestors")));
        }
        ancestors.add(e.categoryId());
        String path = parent == null ? e.name() : parent.get("path") + " > " + e.name();
        index.put(CATEGORY, e.categoryId(), category(e.name(), e.parentId(), ancestors, path));
        for (String product : index.ids(PRODUCT, "category_id", e.categoryId())) {
          update(index, product, doc -> placeIn(doc, e.categoryId(), index));
        }
      }
      case CategoryEvent.CategoryRenamed e -> {
        index.get(CATEGORY, e.categoryId()).ifPresent(renamed -> {
          renamed.put("name", e.newName());
          index.put(CATEGORY, e.categoryId(), renamed);
          // the category and those under it, parents first (their paths build on their parents')
          List<Map.Entry<String, Map<String, Object>>> below = new ArrayList<>();
          for (String id : index.ids(CATEGORY, "ancestors", e.categoryId())) {
            index.get(CATEGORY, id).ifPresent(c -> below.add(Map.entry(id, c)));
          }
          below.sort((a, b) -> Integer.compare(strings(a.getValue().get("ancestors")).size(),
              strings(b.getValue().get("ancestors")).size()));
          for (var entry : below) {
            Map<String, Object> category = entry.getValue();
            Object parentId = category.get("parent");
            String path = parentId == null ? (String) category.get("name")
                : index.get(CATEGORY, parentId.toString()).map(p -> p.get("path") + " > ").orElse("") + category.get("name");
            category.put("path", path);
            index.put(CATEGORY, entry.getKey(), category);
          }
          for (String product : index.ids(PRODUCT, "categories", e.categoryId())) {
            update(index, product, doc -> placeIn(doc, (String) doc.get("category_id"), index));
          }
        });
      }
    }
  }

  private static Map<String, Object> category(String name, String parent, List<String> ancestors, String path) {
    Map<String, Object> category = new HashMap<>();
    category.put("name", name);
    category.put("parent", parent);
    category.put("ancestors", ancestors);
    category.put("path", path);
    return category;
  }

  /** The product's category and its path and ancestors, as far as the category is known yet. */
  private static void placeIn(Map<String, Object> doc, String categoryId, IndexBatch index) {
    doc.put("category_id", categoryId);
    var category = index.get(CATEGORY, categoryId);
    doc.put("categories", category.map(c -> c.get("ancestors")).orElse(List.of(categoryId)));
    doc.put("category_path", category.map(c -> c.get("path")).orElse(null));
  }

  /** How often each product is ordered, as {@code product_read} counts it: placed, unless refused or given up before shipping. */
  private static void order(String type, OrderItems order, IndexBatch index) {
    var counted = index.get(ORDER, order.orderId());
    switch (type) {
      case OrderItems.PLACED -> {
        if (counted.isEmpty()) {
          List<String> products = List.copyOf(order.quantities().keySet());
          index.put(ORDER, order.orderId(), Map.of("products", products, "kept", false));
          products.forEach(p -> update(index, p, doc -> doc.put("orders", number(doc.get("orders")) + 1)));
        }
      }
      case OrderItems.REJECTED, OrderItems.CANCELLED, OrderItems.EXPIRED -> counted.ifPresent(o -> {
        if (!Boolean.TRUE.equals(o.get("kept"))) {
          index.delete(ORDER, order.orderId());
          strings(o.get("products")).forEach(p -> update(index, p,
              doc -> doc.put("orders", Math.max(0, number(doc.get("orders")) - 1))));
        }
      });
      case OrderItems.SHIPPED -> counted.ifPresent(o -> {
        o.put("kept", true);
        index.put(ORDER, order.orderId(), o);
      });
      default -> { }
    }
  }

  private static void product(ProductEvent event, RecordedEvent recorded, IndexBatch index) {
    switch (event) {
      case ProductEvent.ProductRegistered e -> {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("name", e.name());
        doc.put("description", e.description());
        doc.put("tags", e.tags() == null ? List.of() : e.tags());
        doc.put("keywords", e.keywords() == null ? List.of() : e.keywords());
        doc.put("store_id", e.storeId());
        doc.put("store_name", index.get(STORE, e.storeId()).map(s -> s.get("name")).orElse(null));
        placeIn(doc, e.categoryId(), index);
        doc.put("status", "ACTIVE");
        doc.put("price", e.price());
        doc.put("created_at", recorded.occurredAt().toEpochMilli());
        doc.put("orders", (long) index.ids(ORDER, "products", e.productId()).size());
        doc.put("reviews", 0L);
        doc.put("rating_sum", 0L);
        doc.put("rating", 0.0);
        index.put(PRODUCT, e.productId(), doc);
      }
      case ProductEvent.ProductInfoUpdated e -> update(index, e.productId(), doc -> {
        var c = e.changes();
        if (c.name() != null) {
          doc.put("name", c.name().newValue());
        }
        if (c.description() != null) {
          doc.put("description", c.description().newValue());
        }
        if (c.tags() != null) {
          doc.put("tags", c.tags().newValue());
        }
        if (c.keywords() != null) {
          doc.put("keywords", c.keywords().newValue());
        }
        if (c.categoryId() != null) {
          placeIn(doc, c.categoryId().newValue(), index);
        }
      });
      case ProductEvent.PriceChanged e -> update(index, e.productId(), doc -> doc.put("price", e.newPrice()));
      case ProductEvent.ProductHidden e -> update(index, e.productId(), doc -> doc.put("status", "HIDDEN"));
      case ProductEvent.ProductRestored e -> update(index, e.productId(), doc -> doc.put("status", "ACTIVE"));
      case ProductEvent.ProductDeleted e -> update(index, e.productId(), doc -> doc.put("status", "DELETED"));
      case ProductEvent.ReviewAdded e -> update(index, e.productId(), doc -> {
        long reviews = number(doc.get("reviews")) + 1;
        long sum = number(doc.get("rating_sum")) + e.rating();
        doc.put("reviews", reviews);
        doc.put("rating_sum", sum);
        doc.put("rating", Math.round(sum * 100.0 / reviews) / 100.0);
      });
      default -> { }
    }
  }

  /** Changes a product's document; nothing when the product is not indexed (yet). */
  private static void update(IndexBatch index, String productId, java.util.function.Consumer<Map<String, Object>> change) {
    index.get(PRODUCT, productId).ifPresent(doc -> {
      change.accept(doc);
      index.put(PRODUCT, productId, doc);
    });
  }

  private static long number(Object value) {
    return value == null ? 0 : ((Number) value).longValue();
  }

  private static List<String> strings(Object value) {
    return value instanceof List<?> list ? list.stream().map(String::valueOf).toList() : List.of();
  }
}
