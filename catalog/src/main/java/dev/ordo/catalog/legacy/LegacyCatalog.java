package dev.ordo.catalog.legacy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import dev.ordo.catalog.legacy.Reconciliation.Figures;

/**
 * The legacy catalog's tables ({@code db/catalog/legacy/schema.sql}), read with plain JDBC over
 * one connection: keyset pages in id order, each page's images, reviews and tags in one query
 * each. Everything is read in one read-only REPEATABLE READ transaction, so the pages and the
 * counts the reconciliation compares come from one snapshot even while the old system still runs.
 */
final class LegacyCatalog implements AutoCloseable {

  /** The source said no: it cannot be reached, refused the login, or lacks the tables. */
  static final class SourceRefused extends Exception {
    final String type;

    SourceRefused(String type, String message) {
      super(message, null, false, false);
      this.type = type;
    }
  }

  record Store(String id, String name, Instant createdAt) {}

  record Category(String id, String parentId, String name, Instant createdAt) {}

  record Image(String id, String imageType, String imageUrl, int displayOrder) {}

  record Review(String id, String userId, int rating, String content, Instant createdAt) {}

  /** A row of p_product with its images (not deleted, in display order), tags and reviews (not deleted). */
  record Product(String id, String storeId, String categoryId, String name, String status, long price, long stock,
      String thumbnailUrl, String description, Instant hiddenAt, Instant createdAt, Instant updatedAt,
      Instant deletedAt, List<Image> images, List<String> tags, List<Review> reviews) {}

  static final List<String> REQUIRED = List.of("p_store", "p_category", "p_product", "p_product_image");

  /** The tables read in keyset pages of their ids. */
  private static final List<String> KEYSET = List.of("p_store", "p_category", "p_product");

  private static final String TABLES = """
      SELECT t.name, to_regclass(t.name) IS NOT NULL,
             (SELECT format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
               WHERE a.attrelid = to_regclass(t.name) AND a.attname = 'id')
        FROM unnest(ARRAY['p_store', 'p_category', 'p_product', 'p_product_image', 'p_review', 'p_product_tag']) AS t(name)
      """;

  private static final String STORES = """
      SELECT id::text, store_name, created_at FROM p_store %s ORDER BY id
      """;

  private static final String CATEGORIES = """
      SELECT id::text, parent_id::text, category_name, created_at FROM p_category ORDER BY id
      """;

  private static final String PRODUCTS = """
      SELECT id::text, store_id::text, category_id::text, product_name, status, round(price)::bigint, stock_quantity,
             thumbnail_url, description, hidden_at, created_at, updated_at, deleted_at
        FROM p_product %s ORDER BY id
      """;

  private static final String IMAGES = """
      SELECT product_id::text, id::text, image_type, image_url, display_order
        FROM p_product_image WHERE product_id BETWEEN CAST(? AS %1$s) AND CAST(? AS %1$s) AND deleted_at IS NULL
       ORDER BY product_id, display_order, id
      """;

  private static final String REVIEWS = """
      SELECT product_id::text, id::text, user_id::text, rating, content, created_at
        FROM p_review WHERE product_id BETWEEN CAST(? AS %1$s) AND CAST(? AS %1$s) AND deleted_at IS NULL
       ORDER BY product_id, created_at, id
      """;

  private static final String TAGS = """
      SELECT product_id::text, tag FROM p_product_tag WHERE product_id BETWEEN CAST(? AS %1$s) AND CAST(? AS %1$s)
       ORDER BY product_id, tag
      """;

  private static final String IDS = "SELECT id::text FROM %s %s ORDER BY id LIMIT ?";

  /** The last id of the page after {@code after}: the page's bound, from the primary key's index alone. */
  private static final String PAGE_END = "SELECT id::text FROM %s %s ORDER BY id OFFSET ? LIMIT 1";

  private static final String PRODUCT_FIGURES = """
      SELECT (SELECT count(*) FROM p_store), (SELECT count(*) FROM p_category), count(*),
             (SELECT count(*) FROM p_product_image WHERE deleted_at IS NULL),
             coalesce(sum(round(price)), 0)::bigint, coalesce(sum(stock_quantity), 0)::bigint
        FROM p_product
      """;

  private static final String REVIEW_FIGURES = """
      SELECT count(*), coalesce(sum(rating), 0)::bigint FROM p_review WHERE deleted_at IS NULL
      """;

  private final Connection connection;
  private final Map<String, String> idTypes = new HashMap<>();
  private final boolean reviews;
  private final boolean tags;

  private LegacyCatalog(Connection connection) throws SQLException, SourceRefused {
    this.connection = connection;
    List<String> missing = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(TABLES); ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        if (rs.getBoolean(2)) {
          idTypes.put(rs.getString(1), KEYSET.contains(rs.getString(1)) ? idType(rs.getString(1), rs.getString(3)) : "");
        } else if (REQUIRED.contains(rs.getString(1))) {
          missing.add(rs.getString(1));
        }
      }
    }
    if (!missing.isEmpty()) {
      throw new SourceRefused("source-schema", "the source has no table " + String.join(", ", missing)
          + ": a legacy catalog has p_store, p_category, p_product and p_product_image (p_review and p_product_tag "
          + "if it has reviews and tags)");
    }
    reviews = idTypes.containsKey("p_review");
    tags = idTypes.containsKey("p_product_tag");
    connection.setAutoCommit(false);
    connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
  }

  /** Connects (within {@code timeoutSeconds}) and checks the tables; the password goes to the driver only. */
  static LegacyCatalog open(SourceUrl url, String user, String password, int timeoutSeconds) throws SourceRefused {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    if (password != null) {
      properties.setProperty("password", password);
    }
    properties.setProperty("connectTimeout", Integer.toString(timeoutSeconds));
    properties.setProperty("loginTimeout", Integer.toString(timeoutSeconds));
    properties.setProperty("ApplicationName", "ordo-import");
    properties.setProperty("readOnly", "true");
    properties.setProperty("prepareThreshold", "0"); // planned for each page's bounds, never a generic plan
    Connection connection;
    try {
      connection = DriverManager.getConnection(url.url(), properties);
    } catch (SQLException e) {
      throw new SourceRefused("source-unreachable", "cannot connect to " + url.display() + ": "
          + scrub(e.getMessage(), password));
    }
    try {
      connection.setReadOnly(true);
      return new LegacyCatalog(connection);
    } catch (SQLException e) {
      close(connection);
      throw new SourceRefused("source-unreachable", "cannot read " + url.display() + ": " + scrub(e.getMessage(), password));
    } catch (SourceRefused e) {
      close(connection);
      throw e;
    }
  }

  /** A driver's message with the password taken out, should it ever echo one. */
  static String scrub(String message, String password) {
    String text = message == null ? "no reason given" : message;
    return password == null || password.length() < 3 ? text : text.replace(password, "***");
  }

  /** A page of stores after {@code after} (null: from the first). */
  List<Store> stores(String after, int limit) throws SQLException {
    List<Store> stores = new ArrayList<>(limit);
    try (PreparedStatement select = page(STORES, "p_store", after, limit); ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        stores.add(new Store(rs.getString(1), rs.getString(2), instant(rs, 3)));
      }
    }
    return stores;
  }

  /** Every category, by id: the tree is put in order by whoever reads it. */
  List<Category> categories() throws SQLException {
    List<Category> categories = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(CATEGORIES); ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        categories.add(new Category(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4)));
      }
    }
    return categories;
  }

  /** A page of products after {@code after} (null: from the first), each with its images, tags and reviews. */
  List<Product> products(String after, int limit) throws SQLException {
    List<String[]> rows = new ArrayList<>(limit);
    List<Instant[]> times = new ArrayList<>(limit);
    List<long[]> numbers = new ArrayList<>(limit);
    try (PreparedStatement select = page(PRODUCTS, "p_product", after, limit); ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        rows.add(new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
            rs.getString(8), rs.getString(9)});
        numbers.add(new long[] {rs.getLong(6), rs.getLong(7)});
        times.add(new Instant[] {instant(rs, 10), instant(rs, 11), instant(rs, 12), instant(rs, 13)});
      }
    }
    if (rows.isEmpty()) {
      return List.of();
    }
    String first = rows.getFirst()[0];
    String last = rows.getLast()[0];
    Map<String, List<Image>> images = children(IMAGES, first, last, rs -> new Image(rs.getString(2), rs.getString(3),
        rs.getString(4), rs.getInt(5)));
    Map<String, List<Review>> reviewsOf = reviews ? children(REVIEWS, first, last, rs -> new Review(rs.getString(2),
        rs.getString(3), rs.getInt(4), rs.getString(5), instant(rs, 6))) : Map.of();
    Map<String, List<String>> tagsOf = tags ? children(TAGS, first, last, rs -> rs.getString(2)) : Map.of();
    List<Product> products = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      String[] r = rows.get(i);
      Instant[] t = times.get(i);
      products.add(new Product(r[0], r[1], r[2], r[3], r[4], numbers.get(i)[0], numbers.get(i)[1], r[5], r[6], t[0],
          t[1], t[2], t[3], images.getOrDefault(r[0], List.of()), tagsOf.getOrDefault(r[0], List.of()),
          reviewsOf.getOrDefault(r[0], List.of())));
    }
    return products;
  }

  /** A page of a table's ids after {@code after} (null: from the first). */
  List<String> ids(String table, String after, int limit) throws SQLException {
    List<String> ids = new ArrayList<>(limit);
    try (PreparedStatement select = idsAfter(table, after, limit);
        ResultSet rs = select.executeQuery()) {
      while (rs.next()) {
        ids.add(rs.getString(1));
      }
    }
    return ids;
  }

  /** The counts and sums of the whole source, in the snapshot the pages were read in. */
  Figures figures() throws SQLException {
    long[] p = new long[6];
    try (PreparedStatement select = connection.prepareStatement(PRODUCT_FIGURES); ResultSet rs = select.executeQuery()) {
      rs.next();
      for (int i = 0; i < p.length; i++) {
        p[i] = rs.getLong(i + 1);
      }
    }
    long reviewCount = 0;
    long ratingSum = 0;
    if (reviews) {
      try (PreparedStatement select = connection.prepareStatement(REVIEW_FIGURES); ResultSet rs = select.executeQuery()) {
        rs.next();
        reviewCount = rs.getLong(1);
        ratingSum = rs.getLong(2);
      }
    }
    return new Figures(p[0], p[1], p[2], p[3], reviewCount, p[4], p[5], ratingSum);
  }

  /**
   * The rows of a page, between bounds: its last id is looked up in the primary key's index first,
   * so the rows are read by range. ({@code WHERE id > ? ORDER BY id LIMIT ?} alone is planned as a
   * scan of every row after {@code after} and a sort when ids are random UUIDs: a page would cost as
   * much as the rest of the table.)
   */
  private PreparedStatement page(String sql, String table, String after, int limit) throws SQLException {
    String type = idTypes.get(table);
    String from = after == null ? null : "id > CAST(? AS " + type + ")";
    String end;
    try (PreparedStatement bound = connection.prepareStatement(PAGE_END.formatted(table,
        from == null ? "" : "WHERE " + from))) {
      if (after != null) {
        bound.setString(1, after);
      }
      bound.setInt(after == null ? 1 : 2, limit - 1);
      try (ResultSet rs = bound.executeQuery()) {
        end = rs.next() ? rs.getString(1) : null; // none: fewer rows than a page are left
      }
    }
    String to = end == null ? null : "id <= CAST(? AS " + type + ")";
    String where = from == null && to == null ? "" : "WHERE " + (from == null ? to : to == null ? from : from + " AND " + to);
    PreparedStatement select = connection.prepareStatement(sql.formatted(where));
    int i = 1;
    if (after != null) {
      select.setString(i++, after);
    }
    if (end != null) {
      select.setString(i, end);
    }
    return select;
  }

  private PreparedStatement idsAfter(String table, String after, int limit) throws SQLException {
    PreparedStatement select = connection.prepareStatement(IDS.formatted(table,
        after == null ? "" : "WHERE id > CAST(? AS " + idTypes.get(table) + ")"));
    int i = 1;
    if (after != null) {
      select.setString(i++, after);
    }
    select.setInt(i, limit);
    return select;
  }

  @FunctionalInterface
  private interface Row<T> {
    T read(ResultSet rs) throws SQLException;
  }

  /**
   * The rows of a child table whose product is in the page: one range scan from its first to its last
   * product (the page holds every product in between), not a probe per product.
   */
  private <T> Map<String, List<T>> children(String sql, String first, String last, Row<T> row) throws SQLException {
    Map<String, List<T>> byProduct = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(sql.formatted(idTypes.get("p_product")))) {
      select.setString(1, first);
      select.setString(2, last);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          byProduct.computeIfAbsent(rs.getString(1), k -> new ArrayList<>()).add(row.read(rs));
        }
      }
    }
    return byProduct;
  }

  /** The SQL type ids are compared as in keyset pages; only types whose order a page may rely on. */
  private static String idType(String table, String type) throws SourceRefused {
    return switch (type == null ? "" : type) {
      case "uuid", "bigint", "integer", "text" -> type;
      case "character varying" -> "text";
      default -> throw new SourceRefused("source-schema", table + ".id is of type " + type
          + "; the import reads uuid, bigint, integer or text ids");
    };
  }

  private static Instant instant(ResultSet rs, int column) throws SQLException {
    OffsetDateTime time = rs.getObject(column, OffsetDateTime.class);
    return time == null ? null : time.toInstant();
  }

  @Override
  public void close() {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // read only: nothing to keep
    }
    close(connection);
  }

  private static void close(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // already gone
    }
  }
}
