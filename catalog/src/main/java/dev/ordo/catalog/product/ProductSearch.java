package dev.ordo.catalog.product;

import dev.ordo.search.SearchEngine;
import dev.ordo.search.SearchQuery;
import dev.ordo.search.SearchResult;
import dev.ordo.search.SearchUnavailableException;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.query.QueryInput;
import dev.ordo.spring.query.QueryInput.Cursor;
import dev.ordo.spring.query.ReadModels;
import dev.ordo.spring.search.Searches;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Product search, suggestions and related products from the search index ({@link
 * ProductSearchIndex}: Korean morphemes, synonyms, typos), the items as {@code product_read} has
 * them. While the index cannot answer (being built the first time, its engine unreachable) search
 * and suggestions answer from PostgreSQL ({@link ProductListing}) and say so: {@code
 * Ordo-Search-Engine: postgres} instead of {@code lucene}.
 */
@RestController
public class ProductSearch {

  private static final Logger log = LoggerFactory.getLogger(ProductSearch.class);

  /** A sort: the index field (null: relevance) and its direction. */
  private static final Map<String, SearchQuery.Order> SORTS = Map.of(
      "relevance", SearchQuery.Order.RELEVANCE,
      "newest", new SearchQuery.Order("created_at", true),
      "price_asc", new SearchQuery.Order("price", false),
      "price_desc", new SearchQuery.Order("price", true),
      "popular", new SearchQuery.Order("orders", true),
      "rating", new SearchQuery.Order("rating", true));

  private static final long[] PRICE_BOUNDS = {10_000, 50_000, 100_000, 500_000};

  private static final String ITEMS = "SELECT " + ProductQueries.ITEM_COLUMNS
      + " FROM product_read WHERE product_id = ANY(?)";

  private static final String KNOWN = "SELECT 1 FROM product_read WHERE product_id = ?";

  private static final String CATEGORY_PATHS = "SELECT category_id, path FROM category_read WHERE category_id = ANY(?)";

  static final String ENGINE_HEADER = "Ordo-Search-Engine";

  private final Searches searches;
  private final ProductQueries details;
  private final ProductListing postgres;
  private final DataSource readDatabase;
  private final ReadModels readModels;

  public ProductSearch(Searches searches, ProductQueries details, ProductListing postgres, DataSource readDatabase,
      ReadModels readModels) {
    this.searches = searches;
    this.details = details;
    this.postgres = postgres;
    this.readDatabase = readDatabase;
    this.readModels = readModels;
  }

  private SearchEngine engine() {
    return searches.engine(ProductSearchIndex.NAME);
  }

  @GetMapping("/api/v1/products/search")
  public ResponseEntity<Map<String, Object>> search(@RequestParam(required = false) String q,
      @RequestParam(required = false) String categoryId, @RequestParam(required = false) String minPrice,
      @RequestParam(required = false) String maxPrice, @RequestParam(required = false) String sort,
      @RequestParam(required = false) String cursor, @RequestParam(required = false) String size,
      HttpServletRequest request) throws InterruptedException {
    String text = ProductListing.query(q, 100);
    String sortName = QueryInput.oneOf("sort", sort, "relevance", SORTS.keySet());
    Cursor after = Cursor.decode(cursor, sortName);
    int limit = QueryInput.size(size, QueryInput.DEFAULT_SIZE);
    Map<String, List<String>> filters = new HashMap<>(Map.of("status", List.of("ACTIVE")));
    String category = QueryInput.id("categoryId", categoryId);
    if (category != null) {
      filters.put("categories", List.of(category));
    }
    Long min = QueryInput.optionalLong("minPrice", minPrice, 0);
    Long max = QueryInput.optionalLong("maxPrice", maxPrice, 0);
    if (min != null && max != null && min > max) {
      throw new InvalidInputException("minPrice", "must not be above maxPrice");
    }
    Map<String, SearchQuery.Range> ranges = min == null && max == null ? Map.of()
        : Map.of("price", new SearchQuery.Range(min, max));
    if (!engine().available()) {
      return fallback(postgres.search(q, categoryId, minPrice, maxPrice, sort, cursor, size, request), null);
    }
    boolean consistent = searches.awaitApplied(ProductSearchIndex.NAME, QueryInput.minPosition(request),
        QueryInput.MAX_WAIT);
    SearchResult result;
    try {
      result = engine().search(new SearchQuery(ProductSearchIndex.PRODUCT, text, filters, ranges, SORTS.get(sortName),
          after == null ? null : new SearchQuery.After(after.key(), after.id()), limit + 1, List.of("category_id"),
          new SearchQuery.Buckets("price", PRICE_BOUNDS)));
    } catch (SearchUnavailableException e) {
      return fallback(postgres.search(q, categoryId, minPrice, maxPrice, sort, cursor, size, request), e);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("cursor", "is not a cursor of this search");
    }
    List<SearchResult.Hit> hits = result.hits();
    String next = null;
    if (hits.size() > limit) {
      hits = hits.subList(0, limit);
      next = new Cursor(sortName, hits.getLast().sortKey(), hits.getLast().id()).encode();
    }
    if (after == null) {
      postgres.record(ProductListing.caller(), text, text.toLowerCase(java.util.Locale.ROOT), result.total());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", text);
    body.put("total", result.total());
    body.put("corrected", result.corrected());
    body.put("items", items(hits));
    body.put("nextCursor", next);
    body.put("facets", facets(result));
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent))
        .header(ENGINE_HEADER, engine().name()).body(body);
  }

  private ResponseEntity<Map<String, Object>> fallback(ResponseEntity<Map<String, Object>> answer,
      SearchUnavailableException why) {
    searches.fellBack(ProductSearchIndex.NAME);
    if (why != null) {
      log.warn("search answers from PostgreSQL: {}", why.getMessage());
    }
    return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders()).header(ENGINE_HEADER, "postgres")
        .body(answer.getBody());
  }

  /** The items of the hits from {@code product_read}, in the hits' order, each with its highlighted name. */
  private List<Map<String, Object>> items(List<SearchResult.Hit> hits) {
    if (hits.isEmpty()) {
      return List.of();
    }
    Map<String, Map<String, Object>> rows = new HashMap<>();
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(ITEMS)) {
      Array ids = connection.createArrayOf("text", hits.stream().map(SearchResult.Hit::id).toArray());
      select.setArray(1, ids);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> item = ProductQueries.item(rs);
          rows.put((String) item.get("id"), item);
        }
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    List<Map<String, Object>> items = new ArrayList<>();
    for (SearchResult.Hit hit : hits) {
      Map<String, Object> item = rows.get(hit.id());
      if (item != null) { // indexed before product_read has it: left out until it does
        item.put("highlightedName", hit.highlighted());
        items.add(item);
      }
    }
    return items;
  }

  /** Categories (with their paths) and price ranges, counted over every match, as the PostgreSQL search has them. */
  private Map<String, Object> facets(SearchResult result) {
    List<SearchResult.Count> counts = result.facets().getOrDefault("category_id", List.of());
    Map<String, String> paths = new HashMap<>();
    if (!counts.isEmpty()) {
      try (Connection connection = readDatabase.getConnection();
          PreparedStatement select = connection.prepareStatement(CATEGORY_PATHS)) {
        select.setArray(1, connection.createArrayOf("text", counts.stream().map(SearchResult.Count::value).toArray()));
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            paths.put(rs.getString(1), rs.getString(2));
          }
        }
      } catch (SQLException e) {
        throw ReadModels.failure(e);
      }
    }
    List<Map<String, Object>> categories = new ArrayList<>();
    for (SearchResult.Count count : counts) {
      Map<String, Object> category = new LinkedHashMap<>();
      category.put("categoryId", count.value());
      category.put("categoryPath", paths.get(count.value()));
      category.put("count", count.count());
      categories.add(category);
    }
    List<Map<String, Object>> prices = new ArrayList<>();
    for (SearchResult.Bucket bucket : result.buckets()) {
      Map<String, Object> range = new LinkedHashMap<>();
      range.put("min", bucket.min());
      range.put("max", bucket.max() == null ? null : bucket.max() - 1);
      range.put("count", bucket.count());
      prices.add(range);
    }
    Map<String, Object> facets = new LinkedHashMap<>();
    facets.put("categories", categories);
    facets.put("priceRanges", prices);
    return facets;
  }

  @GetMapping("/api/v1/products/suggest")
  public ResponseEntity<Map<String, Object>> suggest(@RequestParam(required = false) String q,
      @RequestParam(required = false) String size, HttpServletRequest request) throws InterruptedException {
    String text = ProductListing.query(q, 50);
    int limit = QueryInput.size(size, 10);
    if (!engine().available()) {
      return fallback(postgres.suggest(q, size, request), null);
    }
    List<SearchResult.Hit> products;
    try {
      products = engine().suggest(ProductSearchIndex.PRODUCT, text, Map.of("status", List.of("ACTIVE")), "orders", limit);
    } catch (SearchUnavailableException e) {
      return fallback(postgres.suggest(q, size, request), e);
    }
    List<Map<String, Object>> suggestions = new ArrayList<>(postgres.searchedTerms(text));
    for (SearchResult.Hit hit : products) {
      suggestions.add(Map.of("text", hit.source().get("name"), "kind", "product", "productId", hit.id()));
    }
    return ResponseEntity.ok().header("Ordo-Consistent", "true").header(ENGINE_HEADER, engine().name())
        .body(Map.of("query", text, "suggestions", suggestions.stream().limit(limit).toList()));
  }

  /**
   * Products like this one (more like this over the index), best first; none while the index cannot
   * answer; 404 for a product {@code product_read} does not have.
   */
  @GetMapping("/api/v1/products/{id}/related")
  public ResponseEntity<Map<String, Object>> related(@PathVariable String id, @RequestParam(required = false) String size) {
    String product = QueryInput.id("id", id);
    int limit = QueryInput.size(size, 5);
    if (!known(product)) {
      throw new NotFoundException("no product " + product);
    }
    List<Map<String, Object>> items = related(product, limit);
    return ResponseEntity.ok().header(ENGINE_HEADER, items == null ? "none" : engine().name())
        .body(Map.of("productId", product, "items", items == null ? List.of() : items));
  }

  private boolean known(String product) {
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(KNOWN)) {
      select.setString(1, product);
      try (ResultSet rs = select.executeQuery()) {
        return rs.next();
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
  }

  /** Null while the index cannot answer. */
  private List<Map<String, Object>> related(String product, int size) {
    try {
      List<Map<String, Object>> items = items(engine().related(ProductSearchIndex.PRODUCT, product,
          Map.of("status", List.of("ACTIVE")), size));
      items.forEach(item -> item.remove("highlightedName"));
      return items;
    } catch (SearchUnavailableException e) {
      return null;
    }
  }

  /**
   * The detail with {@code related}: five products like it (more like this over the index; empty
   * while the index cannot answer). Asked for with {@code include=related}, so the plain detail
   * stays a read of one cached row; this answer has no {@code ETag}, the related products changing
   * without the product.
   */
  @GetMapping(value = "/api/v1/products/{id}", params = "include=related")
  public ResponseEntity<?> detailWithRelated(@PathVariable String id, @RequestParam(required = false) String at,
      @RequestParam(required = false) String version, HttpServletRequest request) throws InterruptedException {
    ResponseEntity<?> detail = details.detail(id, at, version, request);
    Object body = detail.getBody();
    @SuppressWarnings("unchecked")
    Map<String, Object> product = body instanceof byte[] bytes
        ? new LinkedHashMap<>(dev.ordo.catalog.CatalogTypes.JSON.readValue(bytes, Map.class))
        : new LinkedHashMap<>(dev.ordo.catalog.CatalogTypes.JSON.convertValue(body, Map.class));
    List<Map<String, Object>> related = related(QueryInput.id("id", id), 5);
    product.put("related", related == null ? List.of() : related);
    var headers = new org.springframework.http.HttpHeaders();
    headers.putAll(detail.getHeaders());
    headers.remove(org.springframework.http.HttpHeaders.ETAG);
    headers.set(ENGINE_HEADER, related == null ? "none" : engine().name());
    return ResponseEntity.status(detail.getStatusCode()).headers(headers).body(product);
  }
}
