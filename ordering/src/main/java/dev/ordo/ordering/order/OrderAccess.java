package dev.ordo.ordering.order;

import dev.ordo.command.AggregateType;
import dev.ordo.command.Caller;

/**
 * A customer places orders for themself, pays and cancels their own; a seller approves and ships
 * an order that holds their store's products; the rest comes from the platform's processes.
 */
public final class OrderAccess implements AggregateType.Access<OrderCommand, Order> {

  @Override
  public boolean allows(Caller caller, OrderCommand command, Order order) {
    return switch (command) {
      case OrderCommand.Place place -> caller.has("customer") && caller.is(place.userId());
      case OrderCommand.PayOrder pay -> caller.has("customer") && caller.is(order.userId());
      case OrderCommand.CancelOrder cancel -> caller.has("customer") && caller.is(order.userId());
      case OrderCommand.ApproveOrder approve -> sellsIn(caller, order);
      case OrderCommand.ShipOrder ship -> sellsIn(caller, order);
      default -> false;
    };
  }

  private static boolean sellsIn(Caller caller, Order order) {
    return caller.has("seller") && order.items().stream().anyMatch(item -> caller.belongsTo(item.storeId()));
  }
}
