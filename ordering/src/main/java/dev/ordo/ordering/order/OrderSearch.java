package dev.ordo.ordering.order;

import dev.ordo.search.SearchEngine;
import dev.ordo.search.SearchQuery;
import dev.ordo.search.SearchResult;
import dev.ordo.search.SearchUnavailableException;
import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.query.QueryInput;
import dev.ordo.spring.query.QueryInput.Cursor;
import dev.ordo.spring.query.ReadModels;
import dev.ordo.spring.search.Searches;
import jakarta.servlet.http.HttpServletRequest;
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
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /orders/search?q}: orders by the words of their products (Korean, with synonyms and
 * typos, as product search), recipient, address and ids, newest first, from the order search index
 * ({@link OrderSearchIndex}); the orders as {@code order_read} has them. While the index cannot
 * answer, the substring search of {@link OrderListing} does, and the header says which answered.
 */
@RestController
public class OrderSearch {

  private static final String SORT = "newest";
  private static final SearchQuery.Order NEWEST = new SearchQuery.Order("placed_at", true);
  private static final String ROWS = "SELECT " + OrderView.COLUMNS + " FROM " + OrderView.FROM
      + " WHERE o.order_id = ANY(?)";

  private final Searches searches;
  private final OrderListing postgres;
  private final DataSource readDatabase;

  public OrderSearch(Searches searches, OrderListing postgres, DataSource readDatabase) {
    this.searches = searches;
    this.postgres = postgres;
    this.readDatabase = readDatabase;
  }

  @GetMapping("/api/v1/orders/search")
  public ResponseEntity<Map<String, Object>> search(@RequestParam(required = false) String q,
      @RequestParam(required = false) String cursor, @RequestParam(required = false) String size,
      HttpServletRequest request) throws InterruptedException {
    String text = OrderListing.query(q);
    String user = OrderReaders.ownOnly(null); // a customer searches their own orders, an admin everyone's
    SearchEngine engine = searches.engine(OrderSearchIndex.NAME);
    Cursor after = Cursor.decode(cursor, SORT);
    int limit = QueryInput.size(size, QueryInput.DEFAULT_SIZE);
    if (!engine.available()) {
      return fallback(postgres.search(q, user, cursor, size, request));
    }
    boolean consistent = searches.awaitApplied(OrderSearchIndex.NAME, QueryInput.minPosition(request),
        QueryInput.MAX_WAIT);
    SearchResult result;
    try {
      result = engine.search(new SearchQuery(OrderSearchIndex.ORDER, text,
          user == null ? Map.of() : Map.of("user_id", List.of(user)), Map.of(), NEWEST,
          after == null ? null : new SearchQuery.After(after.key(), after.id()), limit + 1, List.of(), null));
    } catch (SearchUnavailableException e) {
      return fallback(postgres.search(q, user, cursor, size, request));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("cursor", "is not a cursor this endpoint gave out");
    }
    List<SearchResult.Hit> hits = result.hits();
    String next = null;
    if (hits.size() > limit) {
      hits = hits.subList(0, limit);
      next = new Cursor(SORT, hits.getLast().sortKey(), hits.getLast().id()).encode();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", text);
    body.put("total", result.total());
    body.put("items", orders(hits));
    body.put("nextCursor", next);
    body.put("size", limit);
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent))
        .header("Ordo-Search-Engine", engine.name()).body(body);
  }

  private ResponseEntity<Map<String, Object>> fallback(ResponseEntity<Map<String, Object>> answer) {
    searches.fellBack(OrderSearchIndex.NAME);
    return ResponseEntity.status(answer.getStatusCode()).headers(answer.getHeaders())
        .header("Ordo-Search-Engine", "postgres").body(answer.getBody());
  }

  private List<Map<String, Object>> orders(List<SearchResult.Hit> hits) {
    if (hits.isEmpty()) {
      return List.of();
    }
    Map<String, Map<String, Object>> rows = new HashMap<>();
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(ROWS)) {
      select.setArray(1, connection.createArrayOf("text", hits.stream().map(SearchResult.Hit::id).toArray()));
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          Map<String, Object> order = OrderView.of(rs);
          rows.put((String) order.get("id"), order);
        }
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    List<Map<String, Object>> orders = new ArrayList<>();
    for (SearchResult.Hit hit : hits) {
      Map<String, Object> order = rows.get(hit.id());
      if (order != null) { // indexed before order_read has it: left out until it does
        orders.add(order);
      }
    }
    return orders;
  }
}
