package dev.ordo.ordering.order;

import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.ordering.customer.CustomerEvent;
import dev.ordo.ordering.delivery.DeliveryEvent;
import dev.ordo.ordering.dispatch.DispatchEvent;
import dev.ordo.ordering.dispatch.DispatchStatus;
import dev.ordo.personaldata.PersonalData;
import dev.ordo.spring.readmodel.StatementBatch;
import dev.ordo.spring.readmodel.TableProjection;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Keeps {@code order_read} (seed 004 §2's order view: items, totals, payment, address, a time per
 * state), {@code dispatch_read} and {@code delivery_read} from the order, dispatch and delivery
 * events, and the dashboard's per-day figures beside them in the same transaction. Dispatch and
 * delivery rows carry their order's id, so the events that do not name the order find it by key.
 *
 * <p>The address arrives sealed ({@link PersonalData}) and is kept opened; a customer's personal
 * data forgotten is replaced by {@link PersonalData#FORGOTTEN} in their orders' rows and left out
 * of their search text, as a rebuild after the key is gone writes them in the first place.
 */
public final class OrderReadProjection implements TableProjection {

  public static final String NAME = "order_read";

  /** The days of the dashboard and of the estimated delivery: calendar days in Korea, where the shop sells. */
  public static final ZoneId DAYS = ZoneId.of("Asia/Seoul");

  private static final String TABLES = TableProjection.tablesFrom("db/ordering/projections/order_read.sql");

  /** The order, and its day's figures: one more order placed, one more in PLACED. */
  private static final String PLACE = """
      WITH placed AS (
        INSERT INTO order_read (order_id, user_id, items, item_count, total_amount, status, payment_due_at,
                                shipping_address, estimated_delivery, placed_day, placed_at, version, position,
                                updated_at, search_text)
        VALUES (?, ?, ?::jsonb, ?, ?, 'PLACED', ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?)
        RETURNING placed_day, total_amount
      ), counted AS (
        INSERT INTO order_day_status (day, status, orders) SELECT placed_day, 'PLACED', 1 FROM placed
        ON CONFLICT (day, status) DO UPDATE SET orders = order_day_status.orders + 1
      )
      INSERT INTO order_day (day, placed_orders, placed_amount) SELECT placed_day, 1, total_amount FROM placed
      ON CONFLICT (day) DO UPDATE SET placed_orders = order_day.placed_orders + 1,
                                      placed_amount = order_day.placed_amount + excluded.placed_amount
      """;

  /**
   * An order moving to another status ({@code %s}: what else the event sets), and its placing
   * day's count moving from the status it left to the one it entered. Parameters: order id, new
   * status, the assignments' values, version, position, time.
   */
  private static final String TRANSITION = """
      WITH prior AS (
        SELECT order_id, placed_day, status FROM order_read WHERE order_id = ?
      ), moved AS (
        UPDATE order_read o SET status = ?, %s, version = ?, position = ?, updated_at = ?
          FROM prior WHERE o.order_id = prior.order_id
        RETURNING prior.placed_day, prior.status AS was, o.status AS became
      ), left_status AS (
        UPDATE order_day_status d SET orders = d.orders - 1
          FROM moved WHERE d.day = moved.placed_day AND d.status = moved.was AND moved.was <> moved.became
      )
      INSERT INTO order_day_status (day, status, orders) SELECT placed_day, became, 1 FROM moved WHERE was <> became
      ON CONFLICT (day, status) DO UPDATE SET orders = order_day_status.orders + 1
      """;

  private static final String RESERVE = TRANSITION.formatted("reserved_at = ?");
  private static final String REJECT = TRANSITION.formatted(
      "rejected_at = ?, reject_reason = ?, rejected_product_id = ?");
  private static final String APPROVE = TRANSITION.formatted("approved_at = ?");
  private static final String PAY = TRANSITION.formatted(
      "paid_at = ?, payment_status = 'PAID', payment_method = ?, paid_amount = ?");
  private static final String SHIP = TRANSITION.formatted(
      "shipped_at = ?, tracking_number = ?, search_text = search_text || ' ' || ?");
  private static final String DELIVER = TRANSITION.formatted("delivered_at = ?");
  private static final String CANCEL = TRANSITION.formatted("cancelled_at = ?, cancel_reason = ?");
  private static final String EXPIRE = TRANSITION.formatted("expired_at = ?");

  private static final String TOUCH = """
      UPDATE order_read SET version = ?, position = ?, updated_at = ? WHERE order_id = ?
      """;

  private static final String REFUND = """
      UPDATE order_read SET payment_status = 'REFUNDED', refunded_amount = ?, refunded_at = ?, version = ?,
                            position = ?, updated_at = ?
       WHERE order_id = ?
      """;

  private static final String DAY_PAID = """
      INSERT INTO order_day (day, paid_orders, paid_amount) VALUES (?, 1, ?)
      ON CONFLICT (day) DO UPDATE SET paid_orders = order_day.paid_orders + 1,
                                      paid_amount = order_day.paid_amount + excluded.paid_amount
      """;

  private static final String DAY_REFUNDED = """
      INSERT INTO order_day (day, refunded_orders, refunded_amount) VALUES (?, 1, ?)
      ON CONFLICT (day) DO UPDATE SET refunded_orders = order_day.refunded_orders + 1,
                                      refunded_amount = order_day.refunded_amount + excluded.refunded_amount
      """;

  /** The order's items sold (sign 1) or given back (sign -1) on a day; an order names a product once. */
  private static final String DAY_PRODUCTS = """
      INSERT INTO order_day_product (day, product_id, product_name, quantity, revenue)
      SELECT ?::date, i ->> 'productId', i ->> 'productName', ?::bigint * (i ->> 'quantity')::bigint,
             ?::bigint * (i ->> 'lineTotal')::bigint
        FROM order_read, jsonb_array_elements(items) i WHERE order_id = ?
      ON CONFLICT (day, product_id) DO UPDATE SET quantity = order_day_product.quantity + excluded.quantity,
                                                  revenue = order_day_product.revenue + excluded.revenue
      """;

  private static final String OPEN_DISPATCH = """
      WITH opened AS (
        INSERT INTO dispatch_read (dispatch_id, order_id, status, opened_at, version, position, updated_at)
        VALUES (?, ?, 'WAITING', ?, ?, ?, ?)
        RETURNING dispatch_id, order_id
      )
      UPDATE order_read o SET dispatch_id = opened.dispatch_id FROM opened WHERE o.order_id = opened.order_id
      """;

  /** A dispatch's new status ({@code %s}: what else the event sets); then version, position, time, id. */
  private static final String DISPATCH = """
      UPDATE dispatch_read SET status = ?, %s, version = ?, position = ?, updated_at = ? WHERE dispatch_id = ?
      """;

  private static final String ASSIGN = DISPATCH.formatted("rider_id = ?, assigned_at = ?");
  private static final String ACCEPT = DISPATCH.formatted("rider_id = ?, accepted_at = ?");
  private static final String DECLINE = DISPATCH.formatted(
      "rider_id = NULL, declines = declines + 1, decline_reason = ?");
  private static final String PICK_UP = DISPATCH.formatted("picked_up_at = ?, delivery_id = ?");
  private static final String CANCEL_DISPATCH = DISPATCH.formatted("cancelled_at = ?, cancel_reason = ?");

  private static final String START_DELIVERY = """
      WITH started AS (
        INSERT INTO delivery_read (delivery_id, order_id, dispatch_id, rider_id, status, started_at, version, position,
                                   updated_at)
        VALUES (?, ?, ?, ?, 'IN_TRANSIT', ?, ?, ?, ?)
        RETURNING delivery_id, order_id
      )
      UPDATE order_read o SET delivery_id = started.delivery_id FROM started WHERE o.order_id = started.order_id
      """;

  /** The hot path: one row by its key, no indexed column changed. */
  private static final String LOCATE = """
      UPDATE delivery_read SET last_lat = ?, last_lon = ?, last_located_at = ?, version = ?, position = ?,
                               updated_at = ?
       WHERE delivery_id = ?
      """;

  /** A customer's orders without their personal data; the search text made again without it. */
  private static final String FORGET = """
      UPDATE order_read SET
        shipping_address = jsonb_build_object('recipient', ?, 'phone', ?, 'address', ?, 'zipCode', ?,
                                               'express', shipping_address -> 'express'),
        search_text = lower(concat_ws(' ', order_id, user_id,
                                      (SELECT string_agg(i ->> 'productName', ' ' ORDER BY n)
                                         FROM jsonb_array_elements(items) WITH ORDINALITY AS e(i, n)),
                                      tracking_number))
       WHERE user_id = ?
      """;

  private static final String COMPLETE_DELIVERY = """
      UPDATE delivery_read SET status = 'COMPLETED', completed_at = ?, version = ?, position = ?, updated_at = ?
       WHERE delivery_id = ?
      """;

  /** One per runner thread: the runners of two generations share this projection. */
  private static final ThreadLocal<StatementBatch> BATCH = ThreadLocal.withInitial(StatementBatch::new);

  private static final Set<String> TYPES = Stream.of(OrderingTypes.ORDER, OrderingTypes.DISPATCH, OrderingTypes.DELIVERY)
      .flatMap(t -> t.codec().types().names().stream())
      .collect(Collectors.toUnmodifiableSet());

  private static final Set<String> HANDLED = Stream.concat(TYPES.stream(),
      OrderingTypes.CUSTOMER.codec().types().names().stream()).collect(Collectors.toUnmodifiableSet());

  private final PersonalData personalData;

  public OrderReadProjection(PersonalData personalData) {
    this.personalData = personalData;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public String tables() {
    return TABLES;
  }

  @Override
  public Set<String> eventTypes() {
    return HANDLED;
  }

  /** Every event type of the three aggregates (the customer's are not the order read model's). */
  public static Set<String> types() {
    return TYPES;
  }

  @Override
  public void apply(RecordedEvent event, Connection db) throws SQLException {
    switch (event.streamType()) {
      case "order" -> order(OrderingTypes.ORDER.codec().decode(event), event, db);
      case "dispatch" -> dispatch(OrderingTypes.DISPATCH.codec().decode(event), event, db);
      case "delivery" -> delivery(OrderingTypes.DELIVERY.codec().decode(event), event, db);
      case "customer" -> customer(OrderingTypes.CUSTOMER.codec().decode(event), db);
      default -> { }
    }
  }

  private void order(OrderEvent event, RecordedEvent recorded, Connection db) throws SQLException {
    Timestamp at = Timestamp.from(recorded.occurredAt());
    String id = event.orderId();
    switch (event) {
      case OrderEvent.OrderPlaced e -> {
        LocalDate day = day(recorded.occurredAt());
        ShippingAddress address = opened(e.shippingAddress());
        add(db, PLACE, id, e.userId(), itemsJson(e.items()),
            e.items().stream().mapToInt(OrderItem::quantity).sum(), e.totalAmount(),
            Timestamp.from(e.paymentDueAt()), addressJson(address), day.plusDays(address.isExpress() ? 2 : 5), day, at,
            recorded.version(), recorded.position(), at, searchText(e, address));
      }
      case OrderEvent.ItemReserved e -> add(db, TOUCH, recorded.version(), recorded.position(), at, id);
      case OrderEvent.OrderReserved e -> transition(db, RESERVE, recorded, OrderStatus.RESERVED, at);
      case OrderEvent.OrderRejected e ->
          transition(db, REJECT, recorded, OrderStatus.REJECTED, at, e.reason(), e.productId());
      case OrderEvent.OrderApproved e -> transition(db, APPROVE, recorded, OrderStatus.APPROVED, at);
      case OrderEvent.OrderPaid e -> {
        transition(db, PAY, recorded, OrderStatus.PAID, Timestamp.from(e.paidAt()), e.method().name(), e.amount());
        LocalDate day = day(e.paidAt());
        add(db, DAY_PAID, day, e.amount());
        add(db, DAY_PRODUCTS, day, 1, 1, id);
      }
      case OrderEvent.OrderShipped e -> transition(db, SHIP, recorded, OrderStatus.SHIPPED, at, e.trackingNumber(),
          e.trackingNumber().toLowerCase(Locale.ROOT));
      case OrderEvent.OrderDelivered e -> transition(db, DELIVER, recorded, OrderStatus.DELIVERED, at);
      case OrderEvent.OrderCancelled e -> transition(db, CANCEL, recorded, OrderStatus.CANCELLED, at, e.reason());
      case OrderEvent.OrderRefunded e -> {
        add(db, REFUND, e.amount(), at, recorded.version(), recorded.position(), at, id);
        LocalDate day = day(recorded.occurredAt());
        add(db, DAY_REFUNDED, day, e.amount());
        add(db, DAY_PRODUCTS, day, -1, -1, id);
      }
      case OrderEvent.OrderExpired e -> transition(db, EXPIRE, recorded, OrderStatus.EXPIRED, at);
    }
  }

  private static void customer(CustomerEvent event, Connection db) throws SQLException {
    switch (event) {
      case CustomerEvent.PersonalDataForgotten e -> {
        String forgotten = PersonalData.FORGOTTEN;
        add(db, FORGET, forgotten, forgotten, forgotten, forgotten, e.customerId());
      }
    }
  }

  private ShippingAddress opened(ShippingAddress address) {
    return new ShippingAddress(personalData.open(address.recipient()), personalData.open(address.phone()),
        personalData.open(address.address()), personalData.open(address.zipCode()), address.express());
  }

  private static void transition(Connection db, String sql, RecordedEvent recorded, OrderStatus status,
      Object... assigned) throws SQLException {
    List<Object> parameters = new ArrayList<>(assigned.length + 5);
    parameters.add(recorded.streamId());
    parameters.add(status.name());
    parameters.addAll(Arrays.asList(assigned)); // a reason may be null
    parameters.add(recorded.version());
    parameters.add(recorded.position());
    parameters.add(Timestamp.from(recorded.occurredAt()));
    add(db, sql, parameters.toArray());
  }

  private static void dispatch(DispatchEvent event, RecordedEvent recorded, Connection db) throws SQLException {
    Timestamp at = Timestamp.from(recorded.occurredAt());
    switch (event) {
      case DispatchEvent.DispatchOpened e -> add(db, OPEN_DISPATCH, e.dispatchId(), e.orderId(), at,
          recorded.version(), recorded.position(), at);
      case DispatchEvent.RiderAssigned e ->
          dispatchTo(db, ASSIGN, recorded, DispatchStatus.ASSIGNED, e.riderId(), at);
      case DispatchEvent.DispatchAccepted e ->
          dispatchTo(db, ACCEPT, recorded, DispatchStatus.ACCEPTED, e.riderId(), at);
      case DispatchEvent.DispatchDeclined e -> dispatchTo(db, DECLINE, recorded, DispatchStatus.WAITING, e.reason());
      case DispatchEvent.DispatchPickedUp e ->
          dispatchTo(db, PICK_UP, recorded, DispatchStatus.PICKED_UP, at, e.deliveryId());
      case DispatchEvent.DispatchCancelled e ->
          dispatchTo(db, CANCEL_DISPATCH, recorded, DispatchStatus.CANCELLED, at, e.reason());
    }
  }

  private static void dispatchTo(Connection db, String sql, RecordedEvent recorded, DispatchStatus status,
      Object... assigned) throws SQLException {
    List<Object> parameters = new ArrayList<>(assigned.length + 5);
    parameters.add(status.name());
    parameters.addAll(Arrays.asList(assigned)); // a reason may be null
    parameters.add(recorded.version());
    parameters.add(recorded.position());
    parameters.add(Timestamp.from(recorded.occurredAt()));
    parameters.add(recorded.streamId());
    add(db, sql, parameters.toArray());
  }

  private static void delivery(DeliveryEvent event, RecordedEvent recorded, Connection db) throws SQLException {
    Timestamp at = Timestamp.from(recorded.occurredAt());
    switch (event) {
      case DeliveryEvent.DeliveryStarted e -> add(db, START_DELIVERY, e.deliveryId(), e.orderId(), e.dispatchId(),
          e.riderId(), at, recorded.version(), recorded.position(), at);
      case DeliveryEvent.LocationUpdated e -> add(db, LOCATE, e.lat(), e.lon(), at, recorded.version(),
          recorded.position(), at, e.deliveryId());
      case DeliveryEvent.DeliveryCompleted e -> add(db, COMPLETE_DELIVERY, at, recorded.version(),
          recorded.position(), at, e.deliveryId());
    }
  }

  /** The Seoul calendar day of an instant. */
  public static LocalDate day(Instant at) {
    return at.atZone(DAYS).toLocalDate();
  }

  private static String itemsJson(List<OrderItem> items) {
    List<Map<String, Object>> lines = new ArrayList<>(items.size());
    for (OrderItem item : items) {
      Map<String, Object> line = new LinkedHashMap<>();
      line.put("productId", item.productId());
      line.put("productName", item.productName());
      line.put("storeId", item.storeId());
      line.put("unitPrice", item.unitPrice());
      line.put("quantity", item.quantity());
      line.put("lineTotal", item.lineTotal());
      lines.add(line);
    }
    return OrderingTypes.JSON.writeValueAsString(lines);
  }

  private static String addressJson(ShippingAddress address) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("recipient", address.recipient());
    json.put("phone", address.phone());
    json.put("address", address.address());
    json.put("zipCode", address.zipCode());
    json.put("express", address.isExpress());
    return OrderingTypes.JSON.writeValueAsString(json);
  }

  /**
   * What {@code GET /orders/search} matches, lower case: the ids, the products, who and where it
   * goes ({@link #FORGET} makes it again without the last three).
   */
  private static String searchText(OrderEvent.OrderPlaced e, ShippingAddress address) {
    List<String> words = new ArrayList<>();
    words.add(e.orderId());
    words.add(e.userId());
    e.items().forEach(i -> words.add(i.productName()));
    Stream.of(address.recipient(), address.address(), address.zipCode())
        .filter(word -> !PersonalData.FORGOTTEN.equals(word)).forEach(words::add);
    return String.join(" ", words).toLowerCase(Locale.ROOT);
  }

  /** Queued on this thread's batch: runs of the same statement (location updates, mostly) go in one round trip. */
  private static void add(Connection db, String sql, Object... parameters) throws SQLException {
    BATCH.get().add(db, sql, parameters);
  }

  @Override
  public void flush(Connection db) throws SQLException {
    BATCH.get().flush();
  }
}
