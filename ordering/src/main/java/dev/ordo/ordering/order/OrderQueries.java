package dev.ordo.ordering.order;

import dev.ordo.command.Aggregates;
import dev.ordo.ordering.CriticalDetail;
import dev.ordo.ordering.Ids;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.ordering.delivery.Delivery;
import dev.ordo.ordering.delivery.DeliveryCommand;
import dev.ordo.ordering.delivery.DeliveryEvent;
import dev.ordo.ordering.delivery.DeliveryView;
import dev.ordo.ordering.delivery.LastLocation;
import dev.ordo.ordering.dispatch.Dispatch;
import dev.ordo.ordering.dispatch.DispatchCommand;
import dev.ordo.ordering.dispatch.DispatchEvent;
import dev.ordo.ordering.dispatch.DispatchView;
import dev.ordo.spring.fallback.WriteServices;
import dev.ordo.spring.flags.QueryFlags;
import dev.ordo.spring.problem.NotFoundException;
import dev.ordo.spring.query.QueryInput;
import dev.ordo.spring.query.ReadModels;
import jakarta.servlet.http.HttpServletRequest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * One order: its view from the read database with its dispatch and delivery (API.md "Ordering"),
 * and its audit trail. The order's status is a critical query (seed 003 §4): with the read
 * database unreachable it is answered from the aggregates and says so ({@code Ordo-Source:
 * write-model}); the history then answers 503 like every other query.
 */
@RestController
public class OrderQueries {

  private static final String DETAIL = "SELECT " + OrderView.COLUMNS + " FROM " + OrderView.FROM
      + " WHERE o.order_id = ?";

  private static final String AUDIT = """
      SELECT position, stream_id, stream_type, version, event_type, summary, data::text, actor, command_id,
             correlation_id, occurred_at
        FROM order_audit WHERE order_id = ? AND position > ? ORDER BY position LIMIT ?
      """;

  private static final String KNOWN = "SELECT 1 FROM order_audit WHERE order_id = ? LIMIT 1";

  private final DataSource readDatabase;
  private final ReadModels readModels;
  private final WriteServices.Fallback fallback;
  private final Aggregates<OrderCommand, Order, OrderEvent> orders;
  private final Aggregates<DispatchCommand, Dispatch, DispatchEvent> dispatches;
  private final Aggregates<DeliveryCommand, Delivery, DeliveryEvent> deliveries;
  private final LastLocation lastLocation;

  /** Its feature flag: switched, the detail is folded from the log (or asked of the write service). */
  public static final String FAMILY = "order-detail";

  private final QueryFlags flags;

  public OrderQueries(DataSource readDatabase, ReadModels readModels,
      Aggregates<OrderCommand, Order, OrderEvent> orders,
      Aggregates<DispatchCommand, Dispatch, DispatchEvent> dispatches,
      Aggregates<DeliveryCommand, Delivery, DeliveryEvent> deliveries, LastLocation lastLocation,
      WriteServices writeServices, QueryFlags flags) {
    this.flags = flags;
    this.readDatabase = readDatabase;
    this.readModels = readModels;
    this.orders = orders;
    this.dispatches = dispatches;
    this.deliveries = deliveries;
    this.fallback = writeServices.fallback("order");
    this.lastLocation = lastLocation;
  }

  /**
   * The order. {@code ETag} is its version, what {@code If-Match} on its commands takes; its
   * dispatch and delivery carry their own versions and change under the same ETag (a rider
   * assigned, a new location), so the answer is never stored by caches: revalidated by that ETag,
   * it would come back unchanged.
   */
  @GetMapping("/api/v1/orders/{id}")
  public ResponseEntity<?> detail(@PathVariable String id, HttpServletRequest request)
      throws InterruptedException {
    String orderId = QueryInput.aggregateId("order", id);
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    Optional<Map<String, Object>> read = flags.writeSide(FAMILY) ? Optional.empty()
        : CriticalDetail.read(readDatabase, DETAIL, "order", orderId, OrderView::of);
    if (read.isEmpty()) {
      return fallback.answer(request, () -> fromWriteModel(orderId));
    }
    Map<String, Object> order = read.get();
    OrderReaders.require(order);
    return ResponseEntity.ok().eTag("\"" + order.get("version") + "\"").cacheControl(CacheControl.noStore())
        .header("Ordo-Consistent", Boolean.toString(consistent)).body(order);
  }

  /** The read side is down: the order, its dispatch and its delivery folded from their streams. */
  private ResponseEntity<Map<String, Object>> fromWriteModel(String orderId) {
    Aggregates.Loaded<Order> order = orders.load(orderId);
    if (!order.exists()) {
      throw new NotFoundException("no order " + orderId);
    }
    Aggregates.Loaded<Dispatch> dispatch = dispatches.load(Ids.dispatch(orderId));
    Aggregates.Loaded<Delivery> delivery = deliveries.load(Ids.delivery(orderId));
    Map<String, Object> body = OrderView.of(order, dispatch.exists() ? DispatchView.of(dispatch) : null,
        delivery.exists() ? DeliveryView.of(delivery, lastLocation.of(delivery.state().id(), delivery.version()))
            : null);
    OrderReaders.require(body);
    return ResponseEntity.ok().eTag("\"" + order.version() + "\"").cacheControl(CacheControl.noStore())
        .header("Ordo-Source", "write-model")
        .header("Ordo-Consistent", "true").body(body);
  }

  /**
   * The audit trail: every event of the order, its dispatch and its delivery with its actor and
   * time, in log order, paged by position ({@code nextCursor}).
   */
  @GetMapping("/api/v1/orders/{id}/history")
  public ResponseEntity<Map<String, Object>> history(@PathVariable String id,
      @RequestParam(required = false) String cursor, @RequestParam(required = false) String size,
      HttpServletRequest request) throws InterruptedException {
    String orderId = QueryInput.aggregateId("order", id);
    Long after = QueryInput.optionalLong("cursor", cursor, 0);
    int limit = QueryInput.size(size, 50);
    boolean consistent = readModels.awaitApplied(QueryInput.minPosition(request), QueryInput.MAX_WAIT);
    List<Map<String, Object>> events = new ArrayList<>();
    try (Connection connection = readDatabase.getConnection()) {
      try (PreparedStatement known = connection.prepareStatement(KNOWN)) {
        known.setString(1, orderId);
        try (ResultSet rs = known.executeQuery()) {
          if (!rs.next()) {
            throw new NotFoundException("no order " + orderId);
          }
        }
      }
      try (PreparedStatement detail = connection.prepareStatement(DETAIL)) {
        detail.setString(1, orderId);
        try (ResultSet rs = detail.executeQuery()) {
          // an order the read model does not show yet: its history is for admins only until it does
          OrderReaders.require(rs.next() ? OrderView.of(rs) : Map.of());
        }
      }
      try (PreparedStatement select = connection.prepareStatement(AUDIT)) {
        select.setString(1, orderId);
        select.setLong(2, after == null ? 0 : after);
        select.setInt(3, limit + 1);
        try (ResultSet rs = select.executeQuery()) {
          while (rs.next()) {
            Map<String, Object> event = new LinkedHashMap<>();
            event.put("position", rs.getLong(1));
            event.put("streamId", rs.getString(2));
            event.put("streamType", rs.getString(3));
            event.put("version", rs.getLong(4));
            event.put("type", rs.getString(5));
            event.put("summary", rs.getString(6));
            event.put("data", OrderingTypes.JSON.readTree(rs.getString(7)));
            event.put("actor", rs.getString(8));
            event.put("commandId", rs.getString(9));
            event.put("correlationId", rs.getString(10));
            event.put("occurredAt", OrderView.instant(rs, "occurred_at"));
            events.add(event);
          }
        }
      }
    } catch (SQLException e) {
      throw ReadModels.failure(e);
    }
    String next = null;
    if (events.size() > limit) {
      events = events.subList(0, limit);
      next = events.getLast().get("position").toString();
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("orderId", orderId);
    body.put("events", events);
    body.put("nextCursor", next);
    return ResponseEntity.ok().header("Ordo-Consistent", Boolean.toString(consistent)).body(body);
  }
}
