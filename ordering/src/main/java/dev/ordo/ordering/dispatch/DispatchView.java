package dev.ordo.ordering.dispatch;

import dev.ordo.command.Aggregates;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A dispatch as queries answer it: from its {@code dispatch_read} row (alias {@code d}), alone or
 * within its order, or, with the read database down, from its aggregate.
 */
public final class DispatchView {

  /** The row's columns, named apart from an order's in a join. */
  public static final String COLUMNS = """
      d.dispatch_id AS dispatch_id, d.order_id AS dispatch_order_id, d.status AS dispatch_status,
      d.rider_id AS dispatch_rider_id, d.delivery_id AS dispatch_delivery_id, d.declines AS dispatch_declines,
      d.decline_reason AS dispatch_decline_reason, d.opened_at AS dispatch_opened_at,
      d.assigned_at AS dispatch_assigned_at, d.accepted_at AS dispatch_accepted_at,
      d.picked_up_at AS dispatch_picked_up_at, d.cancelled_at AS dispatch_cancelled_at,
      d.cancel_reason AS dispatch_cancel_reason, d.version AS dispatch_version, d.updated_at AS dispatch_updated_at
      """;

  private DispatchView() {}

  /** The dispatch of the current row of a query selecting {@link #COLUMNS}; null when it has none. */
  public static Map<String, Object> of(ResultSet rs) throws SQLException {
    String id = rs.getString("dispatch_id");
    if (id == null) {
      return null;
    }
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", id);
    view.put("orderId", rs.getString("dispatch_order_id"));
    view.put("status", rs.getString("dispatch_status"));
    view.put("riderId", rs.getString("dispatch_rider_id"));
    view.put("deliveryId", rs.getString("dispatch_delivery_id"));
    view.put("declines", rs.getInt("dispatch_declines"));
    view.put("declineReason", rs.getString("dispatch_decline_reason"));
    view.put("openedAt", instant(rs, "dispatch_opened_at"));
    view.put("assignedAt", instant(rs, "dispatch_assigned_at"));
    view.put("acceptedAt", instant(rs, "dispatch_accepted_at"));
    view.put("pickedUpAt", instant(rs, "dispatch_picked_up_at"));
    view.put("cancelledAt", instant(rs, "dispatch_cancelled_at"));
    view.put("cancelReason", rs.getString("dispatch_cancel_reason"));
    view.put("version", rs.getLong("dispatch_version"));
    view.put("updatedAt", instant(rs, "dispatch_updated_at"));
    return view;
  }

  /** What the aggregate knows (no times): the answer while the read database is down. */
  public static Map<String, Object> of(Aggregates.Loaded<Dispatch> loaded) {
    Dispatch dispatch = loaded.state();
    Map<String, Object> view = new LinkedHashMap<>();
    view.put("id", dispatch.id());
    view.put("orderId", dispatch.orderId());
    view.put("status", dispatch.status().name());
    view.put("riderId", dispatch.riderId());
    view.put("version", loaded.version());
    return view;
  }

  static String instant(ResultSet rs, String column) throws SQLException {
    OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant().toString();
  }
}
