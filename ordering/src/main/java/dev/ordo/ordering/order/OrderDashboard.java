package dev.ordo.ordering.order;

import dev.ordo.spring.problem.InvalidInputException;
import dev.ordo.spring.query.QueryInput;
import dev.ordo.spring.query.ReadModels;
import jakarta.servlet.http.HttpServletRequest;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /dashboard} (seed 004 §3, the dashboard statistics), from the per-day figures
 * {@link OrderReadProjection} keeps, never a scan of the orders. A period is a run of Seoul
 * calendar days ending with {@code date} (today unless given): {@code today} one, {@code week}
 * seven, {@code month} thirty; the trend compares it with the run of as many days before it.
 * Orders and their statuses count on the day they were placed; revenue (payments less refunds),
 * the average order value (paid amount over paid orders) and the products sold on the day the
 * money moved.
 */
@RestController
public class OrderDashboard {

  private static final Map<String, Integer> PERIODS = Map.of("today", 1, "week", 7, "month", 30);

  private static final String TOTALS = """
      SELECT coalesce(sum(placed_orders), 0), coalesce(sum(placed_amount), 0), coalesce(sum(paid_orders), 0),
             coalesce(sum(paid_amount), 0), coalesce(sum(refunded_orders), 0), coalesce(sum(refunded_amount), 0)
        FROM order_day WHERE day BETWEEN ? AND ?
      """;

  private static final String BY_STATUS = """
      SELECT status, sum(orders) FROM order_day_status WHERE day BETWEEN ? AND ? GROUP BY status
      """;

  /** Net of refunds; a product only refunded in the period is not among the top. */
  private static final String TOP_PRODUCTS = """
      SELECT product_id, (array_agg(product_name ORDER BY day DESC))[1], sum(quantity), sum(revenue)
        FROM order_day_product WHERE day BETWEEN ? AND ?
       GROUP BY product_id HAVING sum(quantity) > 0
       ORDER BY sum(quantity) DESC, sum(revenue) DESC, product_id LIMIT ?
      """;

  private final DataSource readDatabase;
  private final ReadModels readModels;
  private final Clock clock;

  public OrderDashboard(DataSource readDatabase, ReadModels readModels, Clock clock) {
    this.readDatabase = readDatabase;
    this.readModels = readModels;
    this.clock = clock;
  }

  /** The figures of one run of days. */
  private record Totals(LocalDate from, LocalDate to, long orders, long placedAmount, long paidOrders,
      long paidAmount, long refunds, long refundedAmount) {

    long revenue() {
      return paidAmount - refundedAmount;
    }

    long averageOrderValue() {
      return paidOrders == 0 ? 0 : BigDecimal.valueOf(paidAmount)
          .divide(BigDecimal.valueOf(paidOrders), 0, RoundingMode.HALF_UP).longValueExact();
    }
  }

  @GetMapping("/api/v1/dashboard")
  public ResponseEntity<Map<String, Object>> dashboard(@RequestParam(required = false) String period,
      @RequestParam(required = false) String date, @RequestParam(required = false) String top,
      HttpServletRequest request) throws InterruptedException {
    String name = QueryInput.oneOf("period", period == null ? null : period.strip(), "today", PERIODS.keySet());
    int days = PERIODS.get(name);
    LocalDate to = day(date);
    LocalDate from = to.minusDays(days - 1);
    Long topSize = QueryInput.optionalLong("top", top, 1);
    if (topSize != null && topSize > QueryInput.MAX_SIZE) {
      throw new InvalidInputException("top", "must be at most " + QueryInput.MAX_SIZE);
    }
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    Totals current;
    Totals previous;
    Map<String, Long> byStatus = new LinkedHashMap<>();
    List<Map<String, Object>> products = new ArrayList<>();
    try (Connection connection = readDatabase.getConnection()) {
      current = totals(connection, from, to);
      previous = totals(connection, from.minusDays(days), from.minusDays(1));
      for (OrderStatus status : OrderStatus.values()) {
        byStatus.put(status.name(), 0L);
      }
      try (PreparedStatement select = connection.prepareStatement(BY_STATUS)) {
        select.setObject(1, from);
        select.setObject(2, to);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            byStatus.put(rs.getString(1), rs.getLong(2));
          }
        }
      }
      try (PreparedStatement select = connection.prepareStatement(TOP_PRODUCTS)) {
        select.setObject(1, from);
        select.setObject(2, to);
        select.setInt(3, topSize == null ? 5 : topSize.intValue());
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            Map<String, Object> product = new LinkedHashMap<>();
            product.put("productId", rs.getString(1));
            product.put("name", rs.getString(2));
            product.put("quantity", rs.getLong(3));
            product.put("revenue", rs.getLong(4));
            products.add(product);
          }
        }
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("period", name);
    body.put("timeZone", OrderReadProjection.DAYS.getId());
    body.putAll(figures(current));
    body.put("byStatus", byStatus);
    body.put("topProducts", products);
    body.put("previous", figures(previous));
    Map<String, Object> trend = new LinkedHashMap<>();
    trend.put("orders", change(current.orders(), previous.orders()));
    trend.put("revenue", change(current.revenue(), previous.revenue()));
    trend.put("paidOrders", change(current.paidOrders(), previous.paidOrders()));
    trend.put("averageOrderValue", change(current.averageOrderValue(), previous.averageOrderValue()));
    body.put("trend", trend);
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent)).body(body);
  }

  private LocalDate day(String date) {
    if (date == null || date.isBlank()) {
      return OrderReadProjection.day(clock.instant());
    }
    try {
      LocalDate day = LocalDate.parse(date.strip());
      if (day.getYear() < 2000 || day.getYear() > 9999) {
        throw new InvalidInputException("date", "must be a day from the year 2000 on");
      }
      return day;
    } catch (DateTimeParseException e) {
      throw new InvalidInputException("date", "must be a date, like 2026-12-01 (a day in Seoul)");
    }
  }

  private static Totals totals(Connection connection, LocalDate from, LocalDate to) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(TOTALS)) {
      select.setObject(1, from);
      select.setObject(2, to);
      try (ResultSet rs = select.executeQuery()) {
        rs.next();
        return new Totals(from, to, rs.getLong(1), rs.getLong(2), rs.getLong(3), rs.getLong(4), rs.getLong(5),
            rs.getLong(6));
      }
    }
  }

  private static Map<String, Object> figures(Totals totals) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("from", totals.from().toString());
    figures.put("to", totals.to().toString());
    figures.put("orders", totals.orders());
    figures.put("orderedAmount", totals.placedAmount());
    figures.put("paidOrders", totals.paidOrders());
    figures.put("paidAmount", totals.paidAmount());
    figures.put("refunds", totals.refunds());
    figures.put("refundedAmount", totals.refundedAmount());
    figures.put("revenue", totals.revenue());
    figures.put("averageOrderValue", totals.averageOrderValue());
    return figures;
  }

  /** The change from the previous period; no percentage from nothing. */
  private static Map<String, Object> change(long current, long previous) {
    Map<String, Object> change = new LinkedHashMap<>();
    change.put("current", current);
    change.put("previous", previous);
    change.put("change", current - previous);
    change.put("changePercent", previous == 0 ? null : BigDecimal.valueOf(current - previous)
        .multiply(BigDecimal.valueOf(100)).divide(BigDecimal.valueOf(Math.abs(previous)), 1, RoundingMode.HALF_UP)
        .doubleValue());
    return change;
  }
}
