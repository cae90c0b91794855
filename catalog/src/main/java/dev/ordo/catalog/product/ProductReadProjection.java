package dev.ordo.catalog.product;

import dev.ordo.catalog.CatalogTypes;
import dev.ordo.catalog.category.CategoryEvent;
import dev.ordo.catalog.store.StoreEvent;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.spring.readmodel.StatementBatch;
import dev.ordo.spring.readmodel.TableProjection;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Keeps {@code product_read} (with the store and category rows it denormalizes) in step with the log. */
public final class ProductReadProjection implements TableProjection {

  private static final String INSERT_STORE = "INSERT INTO store_read (store_id, name) VALUES (?, ?)";
  private static final String RENAME_STORE = "UPDATE store_read SET name = ? WHERE store_id = ?";
  private static final String STORE_NAME_IN_PRODUCTS = "UPDATE product_read SET store_name = ? WHERE store_id = ?";

  /*
   * Where the log is followed through Kafka (distributed mode), topics arrive in no order among
   * themselves: a product may come before its store or category, an order before its products. What
   * came first is kept and joined when the rest arrives, so the read model ends the same either way.
   */
  private static final String CATEGORY_IN_PRODUCTS = """
      UPDATE product_read p SET category_path = c.path, category_depth = c.depth
        FROM category_read c WHERE c.category_id = ? AND p.category_id = c.category_id
      """;

  private static final String INSERT_CATEGORY = """
      INSERT INTO category_read (category_id, name, parent_id, path, depth)
      SELECT ?, ?, ?, coalesce((SELECT path || ' > ' FROM category_read WHERE category_id = ?), '') || ?,
             coalesce((SELECT depth + 1 FROM category_read WHERE category_id = ?), 1)
      """;

  /** Renames a category and rewrites the paths of its whole subtree, then of its products. */
  private static final String RENAME_CATEGORY = """
      WITH RECURSIVE root AS (
        SELECT c.category_id,
               coalesce((SELECT p.path || ' > ' FROM category_read p WHERE p.category_id = c.parent_id), '') || ? AS path
          FROM category_read c WHERE c.category_id = ?
      ), subtree AS (
        SELECT category_id, path FROM root
        UNION ALL
        SELECT c.category_id, s.path || ' > ' || c.name FROM category_read c JOIN subtree s ON c.parent_id = s.category_id
      ), categories AS (
        UPDATE category_read c SET path = s.path, name = CASE WHEN c.category_id = ? THEN ? ELSE c.name END
          FROM subtree s WHERE c.category_id = s.category_id
      )
      UPDATE product_read p SET category_path = s.path FROM subtree s WHERE p.category_id = s.category_id
      """;

  /**
   * What full-text search matches: the name, the description, the tags and the keywords, words as
   * written (Korean has no stemmer here).
   */
  private static final String SEARCH_VECTOR = """
      to_tsvector('simple', name || ' ' || coalesce(description, '') || ' ' || array_to_string(tags, ' ') || ' '
                            || array_to_string(keywords, ' '))""";

  /** Text changed: the search vector again, from the row as it now reads. */
  private static final String SEARCH_AGAIN = "UPDATE product_read SET search_vector = " + SEARCH_VECTOR
      + " WHERE product_id = ?";

  private static final String INSERT_PRODUCT = """
      INSERT INTO product_read (product_id, store_id, store_name, category_id, category_path, category_depth, name,
                                description, thumbnail_url, primary_image_url, detail_image_urls, images, tags,
                                keywords, price, original_price, stock, status, version, position, created_at,
                                updated_at, search_vector, order_count)
      SELECT ?, ?, (SELECT name FROM store_read WHERE store_id = ?), ?,
             (SELECT path FROM category_read WHERE category_id = ?),
             (SELECT depth FROM category_read WHERE category_id = ?),
             ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, 'ACTIVE', ?, ?, ?, ?,
             -- SEARCH_VECTOR over the values inserted
             to_tsvector('simple', ?::text || ' ' || coalesce(?::text, '') || ' ' || array_to_string(?::text[], ' ')
                                   || ' ' || array_to_string(?::text[], ' ')),
             -- orders that came before the product (topics arrive in no order): counted now
             (SELECT count(*) FROM product_read_order WHERE product_id = ?)
      """;

  /**
   * An order placed counts once for each product in it. The pair is kept until the order ends or
   * ships, so an order ending uncounts exactly the products it counted, whatever its end event lists.
   */
  private static final String COUNT_ORDER = """
      WITH counted AS (
        INSERT INTO product_read_order (order_id, product_id) VALUES (?, ?) ON CONFLICT DO NOTHING RETURNING product_id
      )
      UPDATE product_read p SET order_count = p.order_count + 1, last_ordered_at = ?
        FROM counted WHERE p.product_id = counted.product_id
      """;

  /** An order rejected, cancelled or expired: no longer an order of its products. */
  private static final String UNCOUNT_ORDER = """
      WITH ended AS (DELETE FROM product_read_order WHERE order_id = ? RETURNING product_id)
      UPDATE product_read p SET order_count = p.order_count - 1 FROM ended WHERE p.product_id = ended.product_id
      """;

  /** An order shipped stays counted for good. */
  private static final String KEEP_ORDER = "DELETE FROM product_read_order WHERE order_id = ?";

  /** A review kept for its pages, and counted in the product's rating, in one statement (one batch). */
  private static final String ADD_REVIEW = """
      WITH review AS (
        INSERT INTO product_review (product_id, version, position, rating, comment, actor, created_at)
        VALUES (?, ?, ?, ?, ?, ?, ?)
      )
      UPDATE product_read SET review_count = review_count + 1, rating_sum = rating_sum + ?,
                              average_rating = round((rating_sum + ?)::numeric / (review_count + 1), 2),
                              version = ?, position = ?, updated_at = ?
       WHERE product_id = ?
      """;

  private static final String TOUCH = "UPDATE product_read SET version = ?, position = ?, updated_at = ? WHERE product_id = ?";

  private static final String TABLES = TableProjection.tablesFrom("db/catalog/projections/product_read.sql");

  /** One per runner thread: the runners of two generations share this projection. */
  private static final ThreadLocal<StatementBatch> BATCH = ThreadLocal.withInitial(StatementBatch::new);

  private final Set<String> types;

  /** What this thread's runner applied since its last commit: products, or all of them (renames). */
  private static final class Changed {
    final Set<String> products = new java.util.HashSet<>();
    boolean all;
  }

  private final ThreadLocal<Changed> changed = ThreadLocal.withInitial(Changed::new);
  private final ProductDetailCache cache;

  public ProductReadProjection() {
    this(null);
  }

  /** Keeping {@code cache} in step: each product evicted once the change to its row has committed. */
  public ProductReadProjection(ProductDetailCache cache) {
    this.cache = cache;
    types = Stream.concat(Stream.of(CatalogTypes.STORE, CatalogTypes.CATEGORY, CatalogTypes.PRODUCT)
            .flatMap(t -> t.codec().types().names().stream()), OrderItems.TYPES.stream())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The catalog's own read-database tables (the search log) and extensions, as migration files. */
  public static void migrate(DataSource readDatabase) {
    Flyway.configure().dataSource(readDatabase).baselineOnMigrate(true).baselineVersion("0")
        .locations("classpath:db/catalog/read")
        .table("catalog_read_schema_history").load().migrate();
  }

  @Override
  public String name() {
    return "product_read";
  }

  /**
   * 2: orders are counted from the ordering context's events, no longer from StockAdjusted with reason ORDER.
   * 3: tags and keywords (also searched), and product_review: the reviews of every product.
   */
  @Override
  public int version() {
    return 3;
  }

  @Override
  public String tables() {
    return TABLES;
  }

  @Override
  public Set<String> eventTypes() {
    return types;
  }

  @Override
  public void apply(RecordedEvent event, Connection db) throws SQLException {
    OrderItems order = OrderItems.TYPES.contains(event.type()) ? OrderItems.of(event) : null;
    if (cache != null) {
      Changed mine = changed.get();
      if (order != null) {
        mine.products.addAll(order.quantities().keySet());
      } else if (event.streamType().equals("product")) {
        mine.products.add(event.streamId());
      } else {
        mine.all = true; // a store or category renamed rewrites many products' rows
      }
    }
    if (order != null) {
      order(event, order, db);
      return;
    }
    switch (event.streamType()) {
      case "store" -> store(CatalogTypes.STORE.codec().decode(event), db);
      case "category" -> category(CatalogTypes.CATEGORY.codec().decode(event), db);
      case "product" -> product(CatalogTypes.PRODUCT.codec().decode(event), event, db);
      default -> { }
    }
  }

  private static void store(StoreEvent event, Connection db) throws SQLException {
    switch (event) {
      case StoreEvent.StoreRegistered e -> {
        update(db, INSERT_STORE, e.storeId(), e.name());
        update(db, STORE_NAME_IN_PRODUCTS, e.name(), e.storeId());
      }
      case StoreEvent.StoreRenamed e -> {
        update(db, RENAME_STORE, e.newName(), e.storeId());
        update(db, STORE_NAME_IN_PRODUCTS, e.newName(), e.storeId());
      }
    }
  }

  private static void category(CategoryEvent event, Connection db) throws SQLException {
    switch (event) {
      case CategoryEvent.CategoryCreated e -> {
        update(db, INSERT_CATEGORY, e.categoryId(), e.name(), e.parentId(), e.parentId(), e.name(), e.parentId());
        update(db, CATEGORY_IN_PRODUCTS, e.categoryId());
      }
      case CategoryEvent.CategoryRenamed e ->
          update(db, RENAME_CATEGORY, e.newName(), e.categoryId(), e.categoryId(), e.newName());
    }
  }

  /** The ordering context's events, by type name and JSON: how often each product is ordered. */
  private static void order(RecordedEvent event, OrderItems order, Connection db) throws SQLException {
    switch (event.type()) {
      case OrderItems.PLACED -> {
        Timestamp at = Timestamp.from(event.occurredAt());
        for (String productId : order.quantities().keySet()) {
          update(db, COUNT_ORDER, order.orderId(), productId, at);
        }
      }
      case OrderItems.REJECTED, OrderItems.CANCELLED, OrderItems.EXPIRED -> update(db, UNCOUNT_ORDER, order.orderId());
      case OrderItems.SHIPPED -> update(db, KEEP_ORDER, order.orderId());
      default -> { }
    }
  }

  private static void product(ProductEvent event, RecordedEvent recorded, Connection db) throws SQLException {
    Timestamp at = Timestamp.from(recorded.occurredAt());
    switch (event) {
      case ProductEvent.ProductRegistered e -> {
        java.sql.Array tags = texts(db, e.tags());
        java.sql.Array keywords = texts(db, e.keywords());
        update(db, INSERT_PRODUCT, e.productId(), e.storeId(), e.storeId(), e.categoryId(), e.categoryId(),
            e.categoryId(), e.name(), e.description(), e.thumbnailUrl(), primaryImage(e.images(), e.thumbnailUrl()),
            detailImages(db, e.images()), CatalogTypes.JSON.writeValueAsString(e.images()), tags, keywords, e.price(),
            e.price(), e.stockQuantity(), recorded.version(), recorded.position(), at, at, e.name(), e.description(),
            tags, keywords, e.productId());
        return;
      }
      case ProductEvent.ProductInfoUpdated e -> {
        var c = e.changes();
        if (c.name() != null) {
          update(db, "UPDATE product_read SET name = ? WHERE product_id = ?", c.name().newValue(), e.productId());
        }
        if (c.description() != null) {
          update(db, "UPDATE product_read SET description = ? WHERE product_id = ?", c.description().newValue(),
              e.productId());
        }
        if (c.tags() != null) {
          update(db, "UPDATE product_read SET tags = ? WHERE product_id = ?", texts(db, c.tags().newValue()),
              e.productId());
        }
        if (c.keywords() != null) {
          update(db, "UPDATE product_read SET keywords = ? WHERE product_id = ?", texts(db, c.keywords().newValue()),
              e.productId());
        }
        if (c.name() != null || c.description() != null || c.tags() != null || c.keywords() != null) {
          update(db, SEARCH_AGAIN, e.productId());
        }
        if (c.thumbnailUrl() != null) {
          update(db, "UPDATE product_read SET thumbnail_url = ? WHERE product_id = ?", c.thumbnailUrl().newValue(),
              e.productId());
        }
        if (c.images() != null) {
          List<ProductImage> images = c.images().newValue();
          update(db, """
              UPDATE product_read SET images = ?::jsonb, primary_image_url = coalesce(?, thumbnail_url),
                                      detail_image_urls = ?
               WHERE product_id = ?""",
              CatalogTypes.JSON.writeValueAsString(images), primaryImage(images, null), detailImages(db, images),
              e.productId());
        }
        if (c.categoryId() != null) {
          update(db, """
              UPDATE product_read p SET category_id = c.category_id, category_path = c.path, category_depth = c.depth
                FROM category_read c WHERE c.category_id = ? AND p.product_id = ?""",
              c.categoryId().newValue(), e.productId());
        }
      }
      case ProductEvent.PriceChanged e -> {
        touch(db, "price = ?, is_sale = ? < original_price", new Object[] {e.newPrice(), e.newPrice()}, recorded, at);
        return;
      }
      case ProductEvent.StockAdjusted e -> {
        touch(db, "stock = ?", new Object[] {e.stockAfter()}, recorded, at);
        return;
      }
      case ProductEvent.StockReserved e -> {
        touch(db, "stock = ?", new Object[] {e.stockAfter()}, recorded, at);
        return;
      }
      case ProductEvent.StockReleased e -> {
        touch(db, "stock = ?", new Object[] {e.stockAfter()}, recorded, at);
        return;
      }
      case ProductEvent.StockReservationRefused e -> { }
      case ProductEvent.ReservationSettled e -> { }
      case ProductEvent.ProductHidden e -> {
        touch(db, "status = 'HIDDEN', hidden_at = ?", new Object[] {at}, recorded, at);
        return;
      }
      case ProductEvent.ProductRestored e -> {
        touch(db, "status = 'ACTIVE', hidden_at = NULL", new Object[0], recorded, at);
        return;
      }
      case ProductEvent.ProductDeleted e -> {
        touch(db, "status = 'DELETED'", new Object[0], recorded, at);
        return;
      }
      case ProductEvent.ReviewAdded e -> {
        update(db, ADD_REVIEW, e.productId(), recorded.version(), recorded.position(), e.rating(), e.comment(),
            recorded.metadata().actor(), at, e.rating(), e.rating(), recorded.version(), recorded.position(), at,
            e.productId());
        return;
      }
    }
    update(db, TOUCH, recorded.version(), recorded.position(), at, event.productId());
  }

  private static String primaryImage(List<ProductImage> images, String otherwise) {
    return images.stream().filter(i -> i.imageType() == ProductImage.ImageType.PRIMARY)
        .min(Comparator.comparingInt(ProductImage::displayOrder)).map(ProductImage::imageUrl).orElse(otherwise);
  }

  private static java.sql.Array texts(Connection db, List<String> texts) throws SQLException {
    return db.createArrayOf("text", texts.toArray());
  }

  private static java.sql.Array detailImages(Connection db, List<ProductImage> images) throws SQLException {
    return db.createArrayOf("text", images.stream().filter(i -> i.imageType() == ProductImage.ImageType.DETAIL)
        .sorted(Comparator.comparingInt(ProductImage::displayOrder)).map(ProductImage::imageUrl).toArray());
  }

  /** One change and the row's version, position and time, in one statement: the hot path of the projection. */
  private static void touch(Connection db, String assignment, Object[] values, RecordedEvent recorded, Timestamp at)
      throws SQLException {
    Object[] parameters = Arrays.copyOf(values, values.length + 4);
    parameters[values.length] = recorded.version();
    parameters[values.length + 1] = recorded.position();
    parameters[values.length + 2] = at;
    parameters[values.length + 3] = recorded.streamId();
    update(db, "UPDATE product_read SET " + assignment + ", version = ?, position = ?, updated_at = ? WHERE product_id = ?",
        parameters);
  }

  /** Queued on this thread's batch: runs of the same statement (stock changes, mostly) go in one round trip. */
  private static void update(Connection db, String sql, Object... parameters) throws SQLException {
    BATCH.get().add(db, sql, parameters);
  }

  @Override
  public void flush(Connection db) throws SQLException {
    BATCH.get().flush();
  }

  @Override
  public void committed() {
    if (cache == null) {
      return;
    }
    Changed mine = changed.get();
    if (mine.all) {
      cache.evictAll();
    } else if (!mine.products.isEmpty()) {
      cache.evict(mine.products);
    }
    mine.products.clear();
    mine.all = false;
  }
}
