package dev.ordo.catalog.product;

import dev.ordo.command.Caller;
import dev.ordo.spring.query.QueryInput;
import dev.ordo.spring.security.Callers;

import dev.ordo.spring.query.QueryInput.Cursor;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.query.ReadModels;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lists over {@code product_read}: filters, sorts, keyset cursors; popular search terms from the
 * search log (API.md "Catalog → Queries"); and the PostgreSQL search (full text with prefix
 * matching plus trigram similarity for typos) that {@link ProductSearch} falls back on.
 */
@RestController
public class ProductListing {

  /** A sort: its ORDER BY, the key column a cursor carries, and the keyset condition after a cursor. */
  private record Sort(String orderBy, String key, String after) {}

  private static final Map<String, Sort> LIST_SORTS = Map.of(
      "newest", new Sort("created_at DESC, product_id DESC", "created_at", "(created_at, product_id) < (?::timestamptz, ?)"),
      "price_asc", new Sort("price, product_id", "price", "(price, product_id) > (?::bigint, ?)"),
      "price_desc", new Sort("price DESC, product_id DESC", "price", "(price, product_id) < (?::bigint, ?)"),
      "popular", new Sort("order_count DESC, product_id DESC", "order_count",
          "(order_count, product_id) < (?::integer, ?)"),
      "rating", new Sort("average_rating DESC, product_id DESC", "average_rating",
          "(average_rating, product_id) < (?::numeric, ?)"));

  private static final Map<String, Sort> SEARCH_SORTS = Map.of(
      "relevance", new Sort("score DESC, product_id DESC", "score", "(score, product_id) < (?::float8, ?)"),
      "newest", LIST_SORTS.get("newest"),
      "price_asc", LIST_SORTS.get("price_asc"),
      "price_desc", LIST_SORTS.get("price_desc"),
      "popular", LIST_SORTS.get("popular"),
      "rating", LIST_SORTS.get("rating"));

  private static final Set<String> STATUSES = Set.of("ACTIVE", "HIDDEN", "DELETED");

  private static final String CATEGORY_SUBTREE = """
      category_id IN (WITH RECURSIVE subtree AS (
                        SELECT category_id FROM category_read WHERE category_id = ?
                        UNION ALL
                        SELECT c.category_id FROM category_read c JOIN subtree s ON c.parent_id = s.category_id)
                      SELECT category_id FROM subtree)""";

  /** Full text (prefix per word), trigram word similarity (typos), or a plain substring. */
  private static final String MATCHES = """
      (search_vector @@ to_tsquery('simple', ?) OR ? <% name OR name ILIKE ?)""";

  private static final String SCORE = """
      (ts_rank(search_vector, to_tsquery('simple', ?)) + word_similarity(?, name))::float8""";

  private static final String LOG_SEARCH = """
      INSERT INTO product_search_log (user_id, search_query, normalized, result_count) VALUES (?, ?, ?, ?)
      """;

  private static final String POPULAR = """
      SELECT normalized, count(*) FROM product_search_log
       WHERE searched_at > now() - make_interval(days => ?) AND result_count > 0
       GROUP BY normalized ORDER BY count(*) DESC, normalized LIMIT ?
      """;

  private static final String SUGGEST_PRODUCTS = """
      SELECT product_id, name FROM product_read
       WHERE status = 'ACTIVE' AND (name ILIKE ? OR ? <% name)
       ORDER BY (name ILIKE ?) DESC, word_similarity(?, name) DESC, order_count DESC, product_id
       LIMIT ?
      """;

  private static final String SUGGEST_TERMS = """
      SELECT normalized FROM product_search_log
       WHERE normalized LIKE ? AND searched_at > now() - interval '30 days' AND result_count > 0
       GROUP BY normalized ORDER BY count(*) DESC, normalized LIMIT 5
      """;

  private static final long[] PRICE_BOUNDS = {10_000, 50_000, 100_000, 500_000};

  private final DataSource readDatabase;
  private final ReadModels readModels;

  public ProductListing(DataSource readDatabase, ReadModels readModels) {
    this.readDatabase = readDatabase;
    this.readModels = readModels;
  }

  /** Filters and conditions common to list and search, with their parameters in order. */
  private static final class Where {
    final List<String> conditions = new ArrayList<>();
    final List<Object> parameters = new ArrayList<>();

    Where add(String condition, Object... values) {
      conditions.add(condition);
      parameters.addAll(Arrays.asList(values));
      return this;
    }

    String sql() {
      return conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
    }
  }

  private static Where filters(String storeId, String categoryId, String minPrice, String maxPrice, String status) {
    Where where = new Where();
    where.add("status = ?", QueryInput.oneOf("status", status, "ACTIVE", STATUSES));
    String store = QueryInput.id("storeId", storeId);
    if (store != null) {
      where.add("store_id = ?", store);
    }
    String category = QueryInput.id("categoryId", categoryId);
    if (category != null) {
      where.add(CATEGORY_SUBTREE, category);
    }
    Long min = QueryInput.optionalLong("minPrice", minPrice, 0);
    Long max = QueryInput.optionalLong("maxPrice", maxPrice, 0);
    if (min != null && max != null && min > max) {
      throw new InvalidInputException("minPrice", "must not be above maxPrice");
    }
    if (min != null) {
      where.add("price >= ?", min);
    }
    if (max != null) {
      where.add("price <= ?", max);
    }
    return where;
  }

  @GetMapping("/api/v1/products")
  public ResponseEntity<Map<String, Object>> list(@RequestParam(required = false) String storeId,
      @RequestParam(required = false) String categoryId, @RequestParam(required = false) String minPrice,
      @RequestParam(required = false) String maxPrice, @RequestParam(required = false) String status,
      @RequestParam(required = false) String sort, @RequestParam(required = false) String cursor,
      @RequestParam(required = false) String size, HttpServletRequest request) throws InterruptedException {
    String sortName = QueryInput.oneOf("sort", sort, "newest", LIST_SORTS.keySet());
    Sort order = LIST_SORTS.get(sortName);
    Cursor after = Cursor.decode(cursor, sortName);
    int limit = QueryInput.size(size, QueryInput.DEFAULT_SIZE);
    Where where = filters(storeId, categoryId, minPrice, maxPrice, status);
    if (after != null) {
      where.add(order.after(), after.key(), after.id());
    }
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    String sql = "SELECT " + ProductQueries.ITEM_COLUMNS + ", " + order.key() + "::text AS sort_key FROM product_read WHERE "
        + where.sql() + " ORDER BY " + order.orderBy() + " LIMIT ?";
    where.parameters.add(limit + 1);
    Page page = page(sql, where.parameters, limit, sortName, null);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.items());
    body.put("nextCursor", page.next());
    body.put("size", limit);
    body.put("sort", sortName);
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent)).body(body);
  }

  private record Page(List<Map<String, Object>> items, String next) {}

  private Page page(String sql, List<Object> parameters, int limit, String sortName, List<String> highlight) {
    List<Map<String, Object>> items = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    try (Connection connection = readDatabase.getConnection()) {
      beginSearch(connection);
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        bind(select, parameters);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            Map<String, Object> item = ProductQueries.item(rs);
            if (highlight != null) {
              item.put("highlightedName", highlight((String) item.get("name"), highlight));
            }
            items.add(item);
            keys.add(rs.getString("sort_key"));
          }
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    String next = null;
    if (items.size() > limit) {
      items = items.subList(0, limit);
      next = new Cursor(sortName, keys.get(limit - 1), (String) items.getLast().get("id")).encode();
    }
    return new Page(items, next);
  }

  /**
   * A transaction in which trigram matching tolerates a typo in a short Korean word: "갤럭스" is 0.5
   * similar to "갤럭시" (pg_trgm's default word threshold is 0.6).
   */
  private static void beginSearch(Connection connection) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement statement = connection.createStatement()) {
      statement.execute("SET LOCAL pg_trgm.word_similarity_threshold = 0.4");
    }
  }

  private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      statement.setObject(i + 1, parameters.get(i));
    }
  }

  /** Search terms: letters and digits of each word; the rest is just text, never syntax. */
  private static List<String> terms(String q) {
    return Arrays.stream(q.toLowerCase(Locale.ROOT).split("\\s+"))
        .map(w -> w.codePoints().filter(Character::isLetterOrDigit)
            .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString())
        .filter(w -> !w.isEmpty()).distinct().limit(10).toList();
  }

  /** Each term as a prefix, all required: {@code 'gal':* & 'phone':*}; empty (matches nothing) without terms. */
  private static String tsquery(List<String> terms) {
    return terms.isEmpty() ? "" : String.join(" & ", terms.stream().map(t -> "'" + t + "':*").toList());
  }

  private static String like(String text) {
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }

  static String query(String q, int max) {
    if (q == null || q.isBlank()) {
      throw new InvalidInputException("q", "is required");
    }
    String stripped = q.strip().replaceAll("\\s+", " ");
    if (stripped.length() > max) {
      throw new InvalidInputException("q", "must be at most " + max + " characters");
    }
    return stripped;
  }

  /** Search in PostgreSQL: {@link ProductSearch} answers with it while the search index cannot. */
  ResponseEntity<Map<String, Object>> search(@RequestParam(required = false) String q,
      @RequestParam(required = false) String categoryId, @RequestParam(required = false) String minPrice,
      @RequestParam(required = false) String maxPrice, @RequestParam(required = false) String sort,
      @RequestParam(required = false) String cursor, @RequestParam(required = false) String size,
      HttpServletRequest request) throws InterruptedException {
    String text = query(q, 100);
    String sortName = QueryInput.oneOf("sort", sort, "relevance", SEARCH_SORTS.keySet());
    Sort order = SEARCH_SORTS.get(sortName);
    Cursor after = Cursor.decode(cursor, sortName);
    int limit = QueryInput.size(size, QueryInput.DEFAULT_SIZE);
    List<String> terms = terms(text);
    String tsquery = tsquery(terms);
    String lower = text.toLowerCase(Locale.ROOT);
    Where where = filters(null, categoryId, minPrice, maxPrice, null);
    where.add(MATCHES, tsquery, lower, like(text));
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);

    String matches = "SELECT *, " + SCORE + " AS score FROM product_read WHERE " + where.sql();
    List<Object> parameters = new ArrayList<>(List.of(tsquery, lower));
    parameters.addAll(where.parameters);
    String pageSql = "SELECT " + ProductQueries.ITEM_COLUMNS + ", " + order.key() + "::text AS sort_key FROM (" + matches
        + ") m" + (after == null ? "" : " WHERE " + order.after()) + " ORDER BY " + order.orderBy() + " LIMIT ?";
    List<Object> pageParameters = new ArrayList<>(parameters);
    if (after != null) {
      pageParameters.add(after.key());
      pageParameters.add(after.id());
    }
    pageParameters.add(limit + 1);
    Page page = page(pageSql, pageParameters, limit, sortName, terms);

    Map<String, Object> facets = facets(matches, parameters);
    long total = (long) facets.remove("total");
    if (after == null) {
      record(caller(), text, lower, total);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", text);
    body.put("total", total);
    body.put("items", page.items());
    body.put("nextCursor", page.next());
    body.put("facets", facets);
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent)).body(body);
  }

  /** Counts over every match (not just the page): by category, by price range, and in total. */
  private Map<String, Object> facets(String matches, List<Object> parameters) {
    String priceRange = "CASE WHEN price < %d THEN 0 WHEN price < %d THEN 1 WHEN price < %d THEN 2 WHEN price < %d THEN 3 ELSE 4 END"
        .formatted(PRICE_BOUNDS[0], PRICE_BOUNDS[1], PRICE_BOUNDS[2], PRICE_BOUNDS[3]);
    String sql = """
        SELECT category_id, category_path, NULL::integer, count(*) FROM (%1$s) m GROUP BY category_id, category_path
        UNION ALL
        SELECT NULL, NULL, %2$s, count(*) FROM (%1$s) m GROUP BY 3
        """.formatted(matches, priceRange);
    List<Object> twice = new ArrayList<>(parameters);
    twice.addAll(parameters);
    List<Map<String, Object>> categories = new ArrayList<>();
    long[] ranges = new long[PRICE_BOUNDS.length + 1];
    long total = 0;
    try (Connection connection = readDatabase.getConnection()) {
      beginSearch(connection);
      try (PreparedStatement select = connection.prepareStatement(sql)) {
        bind(select, twice);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            if (rs.getObject(3) == null) {
              Map<String, Object> category = new LinkedHashMap<>();
              category.put("categoryId", rs.getString(1));
              category.put("categoryPath", rs.getString(2));
              category.put("count", rs.getLong(4));
              categories.add(category);
              total += rs.getLong(4);
            } else {
              ranges[rs.getInt(3)] = rs.getLong(4);
            }
          }
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    categories.sort((a, b) -> Long.compare((long) b.get("count"), (long) a.get("count")));
    List<Map<String, Object>> prices = new ArrayList<>();
    for (int i = 0; i < ranges.length; i++) {
      Map<String, Object> range = new LinkedHashMap<>();
      range.put("min", i == 0 ? 0 : PRICE_BOUNDS[i - 1]);
      range.put("max", i == PRICE_BOUNDS.length ? null : PRICE_BOUNDS[i] - 1);
      range.put("count", ranges[i]);
      prices.add(range);
    }
    Map<String, Object> facets = new LinkedHashMap<>();
    facets.put("categories", categories);
    facets.put("priceRanges", prices);
    facets.put("total", total);
    return facets;
  }

  /** A search, for popular terms: not worth a disk sync each (a crash may lose the last few). */
  /** Who searches, for the search log: null for an anonymous shopper. */
  static String caller() {
    Caller caller = Callers.current();
    return caller == null ? null : caller.id();
  }

  void record(String user, String text, String normalized, long results) {
    try (Connection connection = readDatabase.getConnection()) {
      connection.setAutoCommit(false);
      try (Statement relaxed = connection.createStatement()) {
        relaxed.execute("SET LOCAL synchronous_commit = off");
      }
      try (PreparedStatement insert = connection.prepareStatement(LOG_SEARCH)) {
        insert.setString(1, user);
        insert.setString(2, text);
        insert.setString(3, normalized);
        insert.setLong(4, results);
        insert.executeUpdate();
      }
      connection.commit();
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
  }

  /** Terms searched in the last 30 days (with results) that begin with {@code text}, most searched first. */
  List<Map<String, Object>> searchedTerms(String text) {
    List<Map<String, Object>> terms = new ArrayList<>();
    String lower = text.toLowerCase(Locale.ROOT);
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(SUGGEST_TERMS)) {
      select.setString(1, lower.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          terms.add(Map.of("text", rs.getString(1), "kind", "search"));
        }
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    return terms;
  }

  /** The name with each search term wrapped in {@code <em>}, HTML-escaped. */
  static String highlight(String name, List<String> terms) {
    String escaped = escape(name);
    if (terms.isEmpty()) {
      return escaped;
    }
    String alternatives = String.join("|", terms.stream().map(t -> Pattern.quote(escape(t))).toList());
    Matcher matcher = Pattern.compile("(" + alternatives + ")", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE)
        .matcher(escaped);
    return matcher.replaceAll(m -> "<em>" + Matcher.quoteReplacement(m.group()) + "</em>");
  }

  private static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  /** Suggestions from PostgreSQL: {@link ProductSearch} answers with them while the search index cannot. */
  ResponseEntity<Map<String, Object>> suggest(@RequestParam(required = false) String q,
      @RequestParam(required = false) String size, HttpServletRequest request) throws InterruptedException {
    String text = query(q, 50);
    int limit = QueryInput.size(size, 10);
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    String lower = text.toLowerCase(Locale.ROOT);
    String prefix = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
    List<Map<String, Object>> suggestions = new ArrayList<>();
    try (Connection connection = readDatabase.getConnection()) {
      beginSearch(connection);
      try (PreparedStatement select = connection.prepareStatement(SUGGEST_TERMS)) {
        select.setString(1, lower.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%");
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            suggestions.add(Map.of("text", rs.getString(1), "kind", "search"));
          }
        }
      }
      try (PreparedStatement select = connection.prepareStatement(SUGGEST_PRODUCTS)) {
        bind(select, List.of(prefix, lower, prefix, lower, limit));
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            suggestions.add(Map.of("text", rs.getString(2), "kind", "product", "productId", rs.getString(1)));
          }
        }
      }
      connection.commit();
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent))
        .body(Map.of("query", text, "suggestions", suggestions.stream().limit(limit).toList()));
  }

  @GetMapping("/api/v1/search/popular")
  public ResponseEntity<Map<String, Object>> popular(@RequestParam(required = false) String days,
      @RequestParam(required = false) String size, HttpServletRequest request) throws InterruptedException {
    Long window = QueryInput.optionalLong("days", days, 1);
    if (window != null && window > 365) {
      throw new InvalidInputException("days", "must be at most 365");
    }
    int limit = QueryInput.size(size, 10);
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    List<Map<String, Object>> terms = new ArrayList<>();
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(POPULAR)) {
      select.setInt(1, window == null ? 7 : window.intValue());
      select.setInt(2, limit);
      try (ResultSet rs = select.executeQuery()) {
        int rank = 1;
        while (rs.next()) {
          terms.add(Map.of("rank", rank++, "term", rs.getString(1), "count", rs.getLong(2)));
        }
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent))
        .body(Map.of("days", window == null ? 7 : window, "terms", terms));
  }
}
