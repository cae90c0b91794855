package dev.ordo.ordering.delivery;

import dev.ordo.command.Aggregates;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A delivery as queries answer it: from its {@code delivery_read} row (alias {@code v}), alone or
 * within its order, or, with the read database down, from its aggregate and its stream's tail.
 */
public final class DeliveryView {

  /** The row's columns, named apart from an order's in a join. */
  public static final String COLUMNS = """
      v.delivery_id AS delivery_id, v.order_id AS delivery_order_id, v.dispatch_id AS delivery_dispatch_id,
      v.rider_id AS delivery_rider_id, v.status AS delivery_status, v.started_at AS delivery_started_at,
      v.completed_at AS delivery_completed_at, v.last_lat AS delivery_last_lat, v.last_lon AS delivery_last_lon,
      v.last_located_at AS delivery_last_located_at, v.version AS delivery_version,
      v.updated_at AS delivery_updated_at
      """;

  private DeliveryView() {}

  /** The delivery of the current row of a query selecting {@link #COLUMNS}; null when it has none. */
  public static Map<String, Object> of(ResultSet rs) throws SQLException {
    String id = rs.getString("delivery_id");
    if (id == null) {
      return null;
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", id);
    view.put("orderId", rs.getString("delivery_order_id"));
    view.put("dispatchId", rs.getString("delivery_dispatch_id"));
    view.put("riderId", rs.getString("delivery_rider_id"));
    view.put("status", rs.getString("delivery_status"));
    view.put("startedAt", instant(rs, "delivery_started_at"));
    view.put("completedAt", instant(rs, "delivery_completed_at"));
    double lat = rs.getDouble("delivery_last_lat");
    view.put("lastLocation", rs.wasNull() ? null
        : location(lat, rs.getDouble("delivery_last_lon"), instant(rs, "delivery_last_located_at")));
    view.put("version", rs.getLong("delivery_version"));
    view.put("updatedAt", instant(rs, "delivery_updated_at"));
    return view;
  }

  /** What the aggregate and the stream's tail know: the answer while the read database is down. */
  public static Map<String, Object> of(Aggregates.Loaded<Delivery> loaded, LastLocation.Located located) {
    Delivery delivery = loaded.state();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", delivery.id());
    view.put("orderId", delivery.orderId());
    view.put("riderId", delivery.riderId());
    view.put("status", delivery.status().name());
    view.put("lastLocation", located == null ? null
        : location(located.lat(), located.lon(), located.at().toString()));
    view.put("version", loaded.version());
    return view;
  }

  private static Map<String, Object> location(double lat, double lon, String at) {
    Map<String, Object> location = new LinkedHashMap<>();
    location.put("lat", lat);
    location.put("lon", lon);
    location.put("at", at);
    return location;
  }

  private static String instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant().toString();
  }
}
