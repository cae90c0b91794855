package dev.ordo.ordering.order;

import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.query.QueryInput;
import dev.ordo.spring.query.QueryInput.Cursor;
import dev.ordo.spring.query.ReadModels;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Lists and search over {@code order_read}, newest first by the time each order was placed, paged
 * by keyset cursors (API.md "Ordering"): a user's orders, the orders in a status, within a range
 * of placing times; orders found by id, user, product, recipient or address.
 */
@RestController
public class OrderListing {

  private static final String SORT = "newest";
  private static final String ORDER_BY = " ORDER BY o.placed_at DESC, o.order_id DESC LIMIT ?";
  private static final String AFTER = "(o.placed_at, o.order_id) < (?::timestamptz, ?)";
  private static final Set<String> STATUSES = Arrays.stream(OrderStatus.values()).map(Enum::name)
      .collect(Collectors.toUnmodifiableSet());

  private final DataSource readDatabase;
  private final ReadModels readModels;

  public OrderListing(DataSource readDatabase, ReadModels readModels) {
    this.readDatabase = readDatabase;
    this.readModels = readModels;
  }

  /** Conditions and their parameters, in order. */
  private static final class Where {
    final List<String> conditions = new ArrayList<>();
    final List<Object> parameters = new ArrayList<>();

    void add(String condition, Object... values) {
      conditions.add(condition);
      parameters.addAll(Arrays.asList(values));
    }

    String sql() {
      return conditions.isEmpty() ? "TRUE" : String.join(" AND ", conditions);
    }
  }

  /**
   * Orders newest first: a user's ({@code userId}), in a status, placed from {@code from}
   * (inclusive) to {@code to} (exclusive); a date for either is a Seoul calendar day, {@code to}
   * then taking the whole day in.
   */
  @GetMapping("/api/v1/orders")
  public ResponseEntity<Map<String, Object>> list(@RequestParam(required = false) String userId,
      @RequestParam(required = false) String status, @RequestParam(required = false) String from,
      @RequestParam(required = false) String to, @RequestParam(required = false) String cursor,
      @RequestParam(required = false) String size, HttpServletRequest request) throws InterruptedException {
    Where where = new Where();
    String user = OrderReaders.ownOnly(QueryInput.id("userId", userId));
    if (user != null) {
      where.add("o.user_id = ?", user);
    }
    String state = QueryInput.oneOf("status", status == null ? null : status.strip(), null, STATUSES);
    if (state != null) {
      where.add("o.status = ?", state);
    }
    Instant start = time("from", from, false);
    Instant end = time("to", to, true);
    if (start != null && end != null && !start.isBefore(end)) {
      throw new InvalidInputException("from", "must be before to");
    }
    if (start != null) {
      where.add("o.placed_at >= ?", Timestamp.from(start));
    }
    if (end != null) {
      where.add("o.placed_at < ?", Timestamp.from(end));
    }
    Cursor after = Cursor.decode(cursor, SORT);
    int limit = QueryInput.size(size, QueryInput.DEFAULT_SIZE);
    if (after != null) {
      where.add(AFTER, key(after), after.id());
    }
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    Map<String, Object> body = new LinkedHashMap<>();
    body.putAll(page(where, limit));
    body.put("size", limit);
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent)).body(body);
  }

  /** The words searched for, spaces collapsed; required, at most 100 characters. */
  static String query(String q) {
    if (q == null || q.isBlank()) {
      throw new InvalidInputException("q", "is required");
    }
    String text = q.strip().replaceAll("\\s+", " ");
    if (text.length() > 100) {
      throw new InvalidInputException("q", "must be at most 100 characters");
    }
    return text;
  }

  /**
   * Orders whose id, user, product names, recipient, address, postal code or tracking number hold
   * every word of {@code q} (a substring, any case; trigram-indexed), newest first: what {@link
   * OrderSearch} answers with while the order search index cannot.
   */
  ResponseEntity<Map<String, Object>> search(String q, String user, String cursor, String size,
      HttpServletRequest request) throws InterruptedException {
    String text = query(q);
    Cursor after = Cursor.decode(cursor, SORT);
    int limit = QueryInput.size(size, QueryInput.DEFAULT_SIZE);
    Where where = new Where();
    if (user != null) {
      where.add("o.user_id = ?", user);
    }
    Arrays.stream(text.toLowerCase(Locale.ROOT).split(" ")).distinct().limit(10)
        .forEach(word -> where.add("o.search_text LIKE ?", like(word)));
    if (after != null) {
      where.add(AFTER, key(after), after.id());
    }
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", text);
    body.putAll(page(where, limit));
    body.put("size", limit);
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent)).body(body);
  }

  private Map<String, Object> page(Where where, int limit) {
    String sql = "SELECT " + OrderView.COLUMNS + " FROM " + OrderView.FROM + " WHERE " + where.sql() + ORDER_BY;
    List<Map<String, Object>> items = new ArrayList<>();
    try (Connection connection = readDatabase.getConnection();
        PreparedStatement select = connection.prepareStatement(sql)) {
      int i = 1;
      for (Object parameter : where.parameters) {
        select.setObject(i++, parameter);
      }
      select.setInt(i, limit + 1);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          items.add(OrderView.of(rs));
        }
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    String next = null;
    if (items.size() > limit) {
      items = items.subList(0, limit);
      Map<String, Object> last = items.getLast();
      next = new Cursor(SORT, (String) last.get("placedAt"), (String) last.get("id")).encode();
    }
    Map<String, Object> page = new LinkedHashMap<>();
    page.put("items", items);
    page.put("nextCursor", next);
    return page;
  }

  /** The placing time a cursor carries; one this endpoint did not give out is a 400. */
  private static Timestamp key(Cursor cursor) {
    try {
      return Timestamp.from(Instant.parse(cursor.key()));
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("cursor", "is not a cursor this endpoint gave out");
    }
  }

  /** A time with its offset, or a Seoul calendar day: its start, or for an end the start of the next day. */
  private static Instant time(String field, String value, boolean end) {
    if (value == null || value.isBlank()) {
      return null;
    }
    String text = value.strip();
    try {
      if (text.length() == 10) {
        LocalDate day = LocalDate.parse(text);
        return (end ? day.plusDays(1) : day).atStartOfDay(OrderReadProjection.DAYS).toInstant();
      }
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      throw new InvalidInputException(field,
          "must be a date (2026-12-01, a day in Seoul) or a time with offset (2026-12-01T09:00:00Z)");
    }
  }

  private static String like(String word) {
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
  }
}
