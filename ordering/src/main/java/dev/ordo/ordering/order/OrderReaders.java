package dev.ordo.ordering.order;

import dev.ordo.command.Caller;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.spring.problem.ForbiddenException;
import dev.ordo.spring.security.Callers;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Who may read an order: its customer, a seller of a store whose products it holds, the rider its
 * dispatch is assigned to, and admins. Everyone else is refused (403) as if asking for another's.
 */
public final class OrderReaders {

  private OrderReaders() {}

  /** Refuses the request unless its caller may read this order view ({@link OrderView}). */
  public static void require(Map<String, Object> order) {
    Caller caller = Callers.current();
    if (caller == null || !(caller.isAdmin() || may(caller, order))) {
      throw new ForbiddenException("only the order's customer, its sellers, its rider and admins may read it");
    }
  }

  /** The caller's own user id, which a list of orders is limited to unless they are an admin; null for an admin. */
  public static String ownOnly(String asked) {
    Caller caller = Callers.current();
    if (caller != null && caller.isAdmin()) {
      return asked;
    }
    if (caller == null || asked != null && !caller.is(asked)) {
      throw new ForbiddenException("a customer reads their own orders only");
    }
    return caller.id();
  }

  /** Refuses the request unless its caller is an admin or the rider named. */
  public static void requireRider(Object riderId) {
    Caller caller = Callers.current();
    if (caller == null || !(caller.isAdmin() || caller.has("rider") && riderId instanceof String id && caller.is(id))) {
      throw new ForbiddenException("only the rider it is assigned to and admins may read it");
    }
  }

  private static boolean may(Caller caller, Map<String, Object> order) {
    if (caller.is((String) order.get("userId"))) {
      return true;
    }
    if (caller.has("seller")) {
      JsonNode items = OrderingTypes.JSON.valueToTree(order.get("items"));
      for (JsonNode item : items) {
        if (caller.belongsTo(item.path("storeId").asString(null))) {
          return true;
        }
      }
    }
    return caller.has("rider") && order.get("dispatch") instanceof Map<?, ?> dispatch
        && caller.is((String) dispatch.get("riderId"));
  }
}
