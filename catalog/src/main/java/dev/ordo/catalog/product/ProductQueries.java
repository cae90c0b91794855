package dev.ordo.catalog.product;

import dev.ordo.catalog.category.Category;

import dev.ordo.catalog.category.CategoryCommand;
import dev.ordo.catalog.category.CategoryEvent;
import dev.ordo.catalog.store.Store;
import dev.ordo.catalog.store.StoreCommand;
import dev.ordo.catalog.store.StoreEvent;
import dev.ordo.command.Aggregates;
import dev.ordo.command.Caller;
import dev.ordo.spring.flags.QueryFlags;
import dev.ordo.spring.problem.ForbiddenException;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.query.QueryInput;
import dev.ordo.spring.query.ReadModels;
import dev.ordo.spring.security.Callers;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

/**
 * One product: its detail from the read database, the product as it was (folded from the log),
 * its price and audit histories (API.md "Catalog → Queries"). With the read database unreachable
 * the detail is folded from the write side and says so ({@code Ordo-Source: write-model}).
 */
@RestController
public class ProductQueries {

  private static final Logger log = LoggerFactory.getLogger(ProductQueries.class);
  /** Its feature flag: switched, the detail is folded from the log. */
  public static final String FAMILY = "product-detail";
  /** A product is flagged new for its first 30 days. */
  private static final Duration NEW_FOR = Duration.ofDays(30);
  private static final JsonMapper JSON = JsonMapper.builder().build();

  /**
   * Seventeen columns, read by position: a caller appends its own from the 18th on (the lists their
   * sort key). The tags ride in the 16th, behind the thumbnail, so that the count stays.
   */
  static final String ITEM_COLUMNS = """
      product_id, store_id, store_name, category_id, category_path, name, price, original_price, is_sale,
      stock, status, review_count, average_rating, order_count, primary_image_url, thumbnail_url, created_at, tags
      """;

  private static final String DETAIL = """
      SELECT %s, category_depth, description, images::text, detail_image_urls, hidden_at, last_ordered_at, version,
             updated_at, keywords
        FROM product_read WHERE product_id = ?
      """.formatted(ITEM_COLUMNS);

  private static final String PRICE_HISTORY = """
      SELECT version, position, old_price, new_price, reason, actor, changed_at
        FROM product_price_history WHERE product_id = ? ORDER BY version
      """;

  private static final String AUDIT = """
      SELECT version, position, event_type, status, change_summary, data::text, actor, command_id, correlation_id,
             occurred_at
        FROM product_audit WHERE product_id = ? AND version > ? ORDER BY version LIMIT ?
      """;

  /** A page of reviews, newest first: the stream's order, so version order (the primary key, read backwards). */
  private static final String REVIEWS = """
      SELECT version, rating, comment, actor, created_at
        FROM product_review WHERE product_id = ? AND version < ? ORDER BY version DESC LIMIT ?
      """;

  /** The one order reviews come in; their cursors carry it, as the lists' carry their sort. */
  private static final String REVIEWS_SORT = "newest";

  private static final String EXISTS = "SELECT 1 FROM product_read WHERE product_id = ?";

  private static final String STORE_OF = "SELECT store_id FROM product_read WHERE product_id = ?";

  private final DataSource readDatabase;
  private final ReadModels readModels;
  private final Aggregates<ProductCommand, Product, ProductEvent> products;
  private final Aggregates<StoreCommand, Store, StoreEvent> stores;
  private final Aggregates<CategoryCommand, Category, CategoryEvent> categories;
  private final ProductDetailCache cache;

  private final QueryFlags flags;

  public ProductQueries(DataSource readDatabase, ReadModels readModels,
      Aggregates<ProductCommand, Product, ProductEvent> products, Aggregates<StoreCommand, Store, StoreEvent> stores,
      Aggregates<CategoryCommand, Category, CategoryEvent> categories, ProductDetailCache cache, QueryFlags flags) {
    this.flags = flags;
    this.readDatabase = readDatabase;
    this.readModels = readModels;
    this.products = products;
    this.stores = stores;
    this.categories = categories;
    this.cache = cache;
  }

  /**
   * One product. With {@code Ordo-Min-Position} it first waits (up to 5 s) for that event to be
   * applied; with {@code at} or {@code version} it is folded from the log as it was then.
   */
  @GetMapping("/api/v1/products/{id}")
  public ResponseEntity<?> detail(@PathVariable String id,
      @RequestParam(required = false) String at, @RequestParam(required = false) String version,
      HttpServletRequest request) throws InterruptedException {
    if (at != null || version != null) {
      return asItWas(id, at, version);
    }
    if (flags.writeSide(FAMILY)) {
      return fromWriteModel(id);
    }
    var minPosition = QueryInput.minPosition(request);
    boolean consistent = readModels.awaitApplied(minPosition, QueryInput.MAX_WAIT);
    // From memory only where this process applies the active product_read itself and its last
    // batch went through; and not for a read-your-write that timed out: the database answers
    // that (or, if it is down, the write model does).
    Integer generation = !consistent ? null : readModels.servingGeneration("product_read").orElse(null);
    ProductDetailCache.Entry entry = generation == null ? null : cache.get(id, generation);
    if (entry == null) {
      long stamp = cache.stamp();
      Map<String, Object> product;
      try (Connection connection = readDatabase.getConnection();
          PreparedStatement select = connection.prepareStatement(DETAIL)) {
        select.setString(1, id);
        try (ResultSet rs = select.executeQuery()) {
          if (!rs.next()) {
            throw new NotFoundException("no product " + id);
          }
          product = item(rs);
          product.put("categoryDepth", rs.getObject(19));
          product.put("description", rs.getString(20));
          product.put("images", JSON.readTree(rs.getString(21)));
          product.put("detailImageUrls", rs.getArray(22).getArray());
          product.put("hiddenAt", instant(rs, 23));
          product.put("lastOrderedAt", instant(rs, 24));
          product.put("version", rs.getLong(25));
          product.put("updatedAt", instant(rs, 26));
          product.put("keywords", rs.getArray(27).getArray());
        }
      } catch (SQLException e) {
        log.warn("read database unreachable, answering {} from the write model: {}", id, e.getMessage());
        return fromWriteModel(id);
      }
      Instant created = Instant.parse((String) product.get("createdAt"));
      Instant noLongerNew = created.plus(NEW_FOR);
      entry = new ProductDetailCache.Entry(JSON.writeValueAsBytes(product), (Long) product.get("version"),
          generation == null ? -1 : generation, noLongerNew.isAfter(Instant.now()) ? noLongerNew : Instant.MAX);
      if (generation != null) {
        cache.put(id, entry, stamp);
      }
    }
    return ResponseEntity.ok()
        .contentType(MediaType.APPLICATION_JSON)
        .eTag("\"" + entry.version() + "\"")
        .header("Ordo-Consistent", Boolean.toString(consistent))
        .body(entry.body());
  }

  /** The fields a list item and the detail share, from {@link #ITEM_COLUMNS}. */
  static Map<String, Object> item(ResultSet rs) throws SQLException {
    Map<String, Object> item = new LinkedHashMap<>();
    item.put("id", rs.getString(1));
    item.put("storeId", rs.getString(2));
    item.put("storeName", rs.getString(3));
    item.put("categoryId", rs.getString(4));
    item.put("categoryPath", rs.getString(5));
    item.put("name", rs.getString(6));
    long price = rs.getLong(7);
    long original = rs.getLong(8);
    item.put("price", price);
    item.put("originalPrice", original);
    item.put("discountRate", original > price && original > 0 ? Math.round((original - price) * 100.0 / original) : 0);
    item.put("stockQuantity", rs.getLong(10));
    item.put("status", rs.getString(11));
    int reviews = rs.getInt(12);
    item.put("reviewCount", reviews);
    item.put("averageRating", reviews == 0 ? null : rs.getBigDecimal(13).doubleValue());
    item.put("orderCount", rs.getInt(14));
    String image = rs.getString(15);
    item.put("primaryImageUrl", image);
    item.put("thumbnailUrl", rs.getString(16));
    item.put("tags", rs.getArray(18).getArray());
    Instant created = rs.getObject(17, OffsetDateTime.class).toInstant();
    item.put("createdAt", created.toString());
    Map<String, Object> flags = new LinkedHashMap<>();
    flags.put("isNew", created.isAfter(Instant.now().minus(NEW_FOR)));
    flags.put("isSale", rs.getBoolean(9));
    flags.put("isHidden", "HIDDEN".equals(rs.getString(11)));
    flags.put("isSoldOut", rs.getLong(10) == 0);
    item.put("flags", flags);
    return item;
  }

  private static String instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant().toString();
  }

  private ResponseEntity<Map<String, Object>> asItWas(String id, String at, String version) {
    // present but empty: asked for the past without saying when (absent asks for now)
    if (at != null && at.isBlank()) {
      throw new InvalidInputException("at", "must not be empty");
    }
    if (version != null && version.isBlank()) {
      throw new InvalidInputException("version", "must not be empty");
    }
    if (at != null && version != null) {
      throw new InvalidInputException("at", "cannot be combined with version");
    }
    Aggregates.Loaded<Product> loaded;
    Instant when = null;
    if (at != null) {
      try {
        when = OffsetDateTime.parse(at.strip()).toInstant();
      } catch (DateTimeParseException e) {
        throw new InvalidInputException("at", "must be an ISO-8601 time with offset, like 2026-11-21T08:00:00Z");
      }
      loaded = products.loadAt(id, when);
    } else {
      long v = QueryInput.optionalLong("version", version, 1);
      loaded = products.loadAtVersion(id, v);
      if (loaded.exists() && loaded.version() < v) {
        throw new NotFoundException("product " + id + " has no version " + v + " (latest " + loaded.version() + ")");
      }
    }
    if (!loaded.exists()) {
      throw new NotFoundException(at != null ? "product " + id + " did not exist at " + at : "no product " + id);
    }
    Map<String, Object> body = folded(loaded, when);
    body.put("asOf", at != null ? when.toString() : null);
    return ResponseEntity.ok().eTag("\"" + loaded.version() + "\"").header("Ordo-Source", "event-log").body(body);
  }

  /** The read side is down: the product folded from its stream, which is always current. */
  private ResponseEntity<Map<String, Object>> fromWriteModel(String id) {
    Aggregates.Loaded<Product> loaded = products.load(id);
    if (!loaded.exists()) {
      throw new NotFoundException("no product " + id);
    }
    return ResponseEntity.ok().eTag("\"" + loaded.version() + "\"").header("Ordo-Source", "write-model")
        .header("Ordo-Consistent", "true").body(folded(loaded, null));
  }

  /** A product state with its store's name and category path, all as of {@code at} (null: now). */
  private Map<String, Object> folded(Aggregates.Loaded<Product> loaded, Instant at) {
    Product p = loaded.state();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("id", p.id());
    body.put("storeId", p.storeId());
    body.put("storeName", (at == null ? stores.load(p.storeId()) : stores.loadAt(p.storeId(), at)).state().name());
    body.put("categoryId", p.categoryId());
    body.put("categoryPath", categoryPath(p.categoryId(), at));
    body.put("name", p.name());
    body.put("description", p.description());
    body.put("thumbnailUrl", p.thumbnailUrl());
    body.put("images", p.images());
    body.put("tags", p.tags());
    body.put("keywords", p.keywords());
    body.put("price", p.price());
    body.put("stockQuantity", p.stock());
    body.put("status", p.status().name());
    body.put("reviewCount", p.reviewCount());
    body.put("averageRating", p.reviewCount() == 0 ? null : Math.round(p.ratingSum() * 100.0 / p.reviewCount()) / 100.0);
    body.put("primaryImageUrl", p.images().stream().filter(i -> i.imageType() == ProductImage.ImageType.PRIMARY)
        .map(ProductImage::imageUrl).findFirst().orElse(p.thumbnailUrl()));
    body.put("version", loaded.version());
    body.put("position", loaded.position());
    return body;
  }

  private String categoryPath(String categoryId, Instant at) {
    List<String> names = new ArrayList<>();
    String next = categoryId;
    for (int depth = 0; next != null && depth < 20; depth++) {
      Category category = (at == null ? categories.load(next) : categories.loadAt(next, at)).state();
      if (category == null || category.name() == null) {
        break;
      }
      names.addFirst(category.name());
      next = category.parentId();
    }
    return String.join(" > ", names);
  }

  @GetMapping("/api/v1/products/{id}/price-history")
  public ResponseEntity<Map<String, Object>> priceHistory(@PathVariable String id, HttpServletRequest request)
      throws InterruptedException {
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    List<Map<String, Object>> prices = new ArrayList<>();
    try (Connection connection = readDatabase.getConnection()) {
      requireProduct(connection, id);
      try (PreparedStatement select = connection.prepareStatement(PRICE_HISTORY)) {
        select.setString(1, id);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            Map<String, Object> price = new LinkedHashMap<>();
            price.put("version", rs.getLong(1));
            price.put("position", rs.getLong(2));
            price.put("oldPrice", rs.getObject(3));
            price.put("newPrice", rs.getLong(4));
            price.put("reason", rs.getString(5));
            price.put("actor", rs.getString(6));
            price.put("changedAt", instant(rs, 7));
            prices.add(price);
          }
        }
      }
    } catch (SQLException e) {
      throw failure(e);
    }
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent))
        .body(Map.of("productId", id, "prices", prices));
  }

  /**
   * The audit trail: every event of the product with its actor and time, oldest first, paged by
   * version; for admins and the sellers of the product's store.
   */
  @GetMapping("/api/v1/products/{id}/history")
  public ResponseEntity<Map<String, Object>> history(@PathVariable String id,
      @RequestParam(required = false) String cursor, @RequestParam(required = false) String size,
      HttpServletRequest request) throws InterruptedException {
    long after = QueryInput.optionalLong("cursor", cursor, 0) == null ? 0 : Long.parseLong(cursor.strip());
    int limit = QueryInput.size(size, 50);
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    List<Map<String, Object>> events = new ArrayList<>();
    try (Connection connection = readDatabase.getConnection()) {
      requireSellersProduct(connection, id);
      try (PreparedStatement select = connection.prepareStatement(AUDIT)) {
        select.setString(1, id);
        select.setLong(2, after);
        select.setInt(3, limit + 1);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("version", rs.getLong(1));
            event.put("position", rs.getLong(2));
            event.put("type", rs.getString(3));
            event.put("status", rs.getString(4));
            event.put("summary", rs.getString(5));
            event.put("data", JSON.readTree(rs.getString(6)));
            event.put("actor", rs.getString(7));
            event.put("commandId", rs.getString(8));
            event.put("correlationId", rs.getString(9));
            event.put("occurredAt", instant(rs, 10));
            events.add(event);
          }
        }
      }
    } catch (SQLException e) {
      throw failure(e);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("productId", id);
    String next = null;
    if (events.size() > limit) {
      events = events.subList(0, limit);
      next = events.getLast().get("version").toString();
    }
    body.put("events", events);
    body.put("nextCursor", next);
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent)).body(body);
  }

  /**
   * A product's reviews, newest first, a page at a time: {@code nextCursor} (null on the last page)
   * goes back as {@code cursor} for the next.
   */
  @GetMapping("/api/v1/products/{id}/reviews")
  public ResponseEntity<Map<String, Object>> reviews(@PathVariable String id,
      @RequestParam(required = false) String cursor, @RequestParam(required = false) String size,
      HttpServletRequest request) throws InterruptedException {
    long before = reviewsBefore(QueryInput.Cursor.decode(cursor, REVIEWS_SORT), id);
    int limit = QueryInput.size(size, QueryInput.DEFAULT_SIZE);
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    List<Map<String, Object>> reviews = new ArrayList<>();
    List<Long> versions = new ArrayList<>();
    try (Connection connection = readDatabase.getConnection()) {
      requireProduct(connection, id);
      try (PreparedStatement select = connection.prepareStatement(REVIEWS)) {
        select.setString(1, id);
        select.setLong(2, before);
        select.setInt(3, limit + 1);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            versions.add(rs.getLong(1));
            Map<String, Object> review = new LinkedHashMap<>();
            review.put("rating", rs.getInt(2));
            review.put("comment", rs.getString(3));
            review.put("actor", rs.getString(4));
            review.put("createdAt", instant(rs, 5));
            reviews.add(review);
          }
        }
      }
    } catch (SQLException e) {
      throw failure(e);
    }
    String next = null;
    if (reviews.size() > limit) {
      reviews = reviews.subList(0, limit);
      next = new QueryInput.Cursor(REVIEWS_SORT, versions.get(limit - 1).toString(), id).encode();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("productId", id);
    body.put("items", reviews);
    body.put("nextCursor", next);
    body.put("size", limit);
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent)).body(body);
  }

  /** The version a page of reviews starts below: a cursor carries its last review's, and is for this product only. */
  private static long reviewsBefore(QueryInput.Cursor cursor, String productId) {
    if (cursor == null) {
      return Long.MAX_VALUE;
    }
    if (!cursor.id().equals(productId)) {
      throw new InvalidInputException("cursor", "belongs to the reviews of another product");
    }
    try {
      return Long.parseLong(cursor.key());
    } catch (NumberFormatException e) {
      throw new InvalidInputException("cursor", "is not a cursor this endpoint gave out");
    }
  }

  private static void requireProduct(Connection connection, String id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(EXISTS)) {
      select.setString(1, id);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("no product " + id);
        }
      }
    }
  }

  private static void requireSellersProduct(Connection connection, String id) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(STORE_OF)) {
      select.setString(1, id);
      try (ResultSet rs = select.executeQuery()) {
        if (!rs.next()) {
          throw new NotFoundException("no product " + id);
        }
        Caller caller = Callers.current();
        if (caller == null || !(caller.isAdmin() || caller.has("seller") && caller.belongsTo(rs.getString(1)))) {
          throw new ForbiddenException("only the sellers of its store and admins see a product's history");
        }
      }
    }
  }

  /** The read database out of reach is a 503 with Retry-After; any other failure is a fault of ours (500). */
  static RuntimeException failure(SQLException e) {
    return ReadModels.failure(e);
  }
}
