package dev.ordo.ordering.order;

import dev.ordo.command.Aggregates;
import dev.ordo.spring.verify.ReadModelCheck;
import dev.ordo.spring.verify.TableRows;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/** {@code order_read} held against the orders folded from the log ({@code ./ordo verify}). */
public final class OrderReadCheck implements ReadModelCheck {

  private static final String ROWS = """
      SELECT order_id, user_id, total_amount, status, item_count
        FROM order_read
       WHERE order_id = ANY (?)
      """;

  private static final String IDS = """
      SELECT order_id FROM order_read WHERE order_id > ? ORDER BY order_id LIMIT ?
      """;

  private final Aggregates<OrderCommand, Order, OrderEvent> orders;
  private final DataSource readDatabase;

  public OrderReadCheck(Aggregates<OrderCommand, Order, OrderEvent> orders, DataSource readDatabase) {
    this.orders = orders;
    this.readDatabase = readDatabase;
  }

  @Override
  public String readModel() {
    return "order_read";
  }

  @Override
  public String streamType() {
    return orders.type().streamType();
  }

  @Override
  public Map<String, Object> expected(String id) {
    Aggregates.Loaded<Order> loaded = orders.load(id);
    if (!loaded.exists()) {
      return null;
    }
    Order o = loaded.state();
    return row(o.userId(), o.total(), o.status().name(), o.items().stream().mapToLong(OrderItem::quantity).sum());
  }

  @Override
  public Map<String, Map<String, Object>> stored(List<String> ids) {
    return TableRows.rows(readDatabase, ROWS, ids, rs -> row(rs.getString(2), rs.getLong(3), rs.getString(4), rs.getLong(5)));
  }

  @Override
  public List<String> ids(String after, int limit) {
    return TableRows.ids(readDatabase, IDS, after, limit);
  }

  private static Map<String, Object> row(String userId, long total, String status, long itemCount) {
    Map<String, Object> row = new LinkedHashMap<>();
    row.put("userId", userId);
    row.put("totalAmount", total);
    row.put("status", status);
    row.put("itemCount", itemCount);
    return row;
  }
}
