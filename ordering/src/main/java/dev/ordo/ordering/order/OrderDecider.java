package dev.ordo.ordering.order;

import dev.ordo.command.CommandException;
import dev.ordo.command.Decider;
import dev.ordo.ordering.order.OrderCommand.ApproveOrder;
import dev.ordo.ordering.order.OrderCommand.CancelOrder;
import dev.ordo.ordering.order.OrderCommand.ConfirmReservation;
import dev.ordo.ordering.order.OrderCommand.DeliverOrder;
import dev.ordo.ordering.order.OrderCommand.ExpireOrder;
import dev.ordo.ordering.order.OrderCommand.PayOrder;
import dev.ordo.ordering.order.OrderCommand.Place;
import dev.ordo.ordering.order.OrderCommand.RejectOrder;
import dev.ordo.ordering.Ids;
import dev.ordo.ordering.order.OrderCommand.ShipOrder;
import dev.ordo.ordering.order.OrderEvent.ItemReserved;
import dev.ordo.ordering.order.OrderEvent.OrderApproved;
import dev.ordo.ordering.order.OrderEvent.OrderCancelled;
import dev.ordo.ordering.order.OrderEvent.OrderDelivered;
import dev.ordo.ordering.order.OrderEvent.OrderExpired;
import dev.ordo.ordering.order.OrderEvent.OrderPaid;
import dev.ordo.ordering.order.OrderEvent.OrderPlaced;
import dev.ordo.ordering.order.OrderEvent.OrderRefunded;
import dev.ordo.ordering.order.OrderEvent.OrderRejected;
import dev.ordo.ordering.order.OrderEvent.OrderReserved;
import dev.ordo.ordering.order.OrderEvent.OrderShipped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The order's rules (seed 004 §2, issue "Ordering"). Messages from the fulfilment process and the
 * deadlines that come too late for the order's state change nothing (they may arrive again, or
 * after a customer's cancel); a client's command in the wrong state breaks a rule.
 */
public final class OrderDecider implements Decider<OrderCommand, Order, OrderEvent> {

  @Override
  public Order initialState() {
    return Order.NONE;
  }

  @Override
  public List<OrderEvent> decide(OrderCommand command, Order order) {
    return switch (command) {
      case Place c when order.exists() -> throw CommandException.rule("order-exists", "order " + c.orderId() + " exists");
      case Place c -> place(c);
      case OrderCommand c when !order.exists() -> throw new CommandException.NotFound("order", c.orderId());
      case ConfirmReservation c when order.status() != OrderStatus.PLACED || order.reserved().contains(c.productId())
          || order.items().stream().noneMatch(i -> i.productId().equals(c.productId())) -> List.of();
      case ConfirmReservation c when order.reserved().size() + 1 == order.items().size() ->
          List.of(new ItemReserved(c.orderId(), c.productId()), new OrderReserved(c.orderId()));
      case ConfirmReservation c -> List.of(new ItemReserved(c.orderId(), c.productId()));
      case RejectOrder c when order.status() != OrderStatus.PLACED -> List.of();
      case RejectOrder c -> List.of(new OrderRejected(c.orderId(), c.reason(), c.productId(), order.lines()));
      case ApproveOrder c when order.status() != OrderStatus.RESERVED -> throw notIn(order, "order-not-approvable",
          "only an order whose stock is reserved can be approved");
      case ApproveOrder c -> List.of(new OrderApproved(c.orderId()));
      case PayOrder c when order.status() != OrderStatus.APPROVED -> throw notIn(order, "order-not-payable",
          "only an approved order can be paid");
      case PayOrder c when !c.at().isBefore(order.paymentDueAt()) -> throw CommandException.rule(
          "payment-deadline-passed", "the payment was due by " + order.paymentDueAt());
      case PayOrder c -> List.of(new OrderPaid(c.orderId(), c.method(), order.total(), c.at()));
      // a pick-up ships the order with its delivery as the tracking number; the same again is a repeat
      case ShipOrder c when order.status() == OrderStatus.SHIPPED
          && Ids.delivery(order.id()).equals(c.trackingNumber().strip()) -> List.of();
      case ShipOrder c when order.status() != OrderStatus.PAID -> throw notIn(order, "order-not-shippable",
          "only a paid order can be shipped");
      case ShipOrder c -> List.of(new OrderShipped(c.orderId(), c.trackingNumber().strip(), order.lines()));
      case DeliverOrder c when order.status() == OrderStatus.DELIVERED -> List.of();
      case DeliverOrder c when order.status() != OrderStatus.SHIPPED -> throw notIn(order, "order-not-shipped",
          "only a shipped order can be delivered");
      case DeliverOrder c -> List.of(new OrderDelivered(c.orderId()));
      case CancelOrder c when order.status() == OrderStatus.SHIPPED || order.status() == OrderStatus.DELIVERED ->
          throw notIn(order, "order-already-shipped", "a shipped order cannot be cancelled");
      case CancelOrder c when order.status().closed() -> throw notIn(order, "order-closed",
          "the order is closed");
      case CancelOrder c when order.status() == OrderStatus.PAID -> List.of(
          new OrderCancelled(c.orderId(), c.reason(), order.lines(), true),
          new OrderRefunded(c.orderId(), order.total(), order.paymentMethod()));
      case CancelOrder c -> List.of(new OrderCancelled(c.orderId(), c.reason(), order.lines(), false));
      case ExpireOrder c when !order.status().awaitsPayment() -> List.of();
      case ExpireOrder c when c.at().isBefore(order.paymentDueAt()) -> throw CommandException.rule(
          "payment-deadline-not-reached", "the payment is due by " + order.paymentDueAt());
      case ExpireOrder c -> List.of(new OrderExpired(c.orderId(), order.lines()));
    };
  }

  private static List<OrderEvent> place(Place c) {
    Set<String> products = new HashSet<>();
    long total = 0;
    for (OrderItem item : c.items()) {
      if (!products.add(item.productId())) {
        throw CommandException.rule("duplicate-product", "product " + item.productId() + " is ordered twice");
      }
      try {
        total = Math.addExact(total, item.lineTotal());
      } catch (ArithmeticException e) {
        throw CommandException.rule("order-total-too-large", "the total does not fit in a number of won");
      }
    }
    return List.of(new OrderPlaced(c.orderId(), c.userId().strip(), List.copyOf(c.items()), total,
        c.shippingAddress(), c.paymentDueAt()));
  }

  private static CommandException notIn(Order order, String rule, String why) {
    return CommandException.rule(rule, why + "; the order is " + order.status());
  }

  @Override
  public Order evolve(Order order, OrderEvent event) {
    return switch (event) {
      case OrderPlaced e -> new Order(e.orderId(), e.userId(), e.items(), e.totalAmount(), OrderStatus.PLACED,
          Set.of(), e.paymentDueAt(), null);
      case ItemReserved e -> {
        Set<String> reserved = new HashSet<>(order.reserved());
        reserved.add(e.productId());
        yield with(order, order.status(), Set.copyOf(reserved), order.paymentMethod());
      }
      case OrderReserved e -> with(order, OrderStatus.RESERVED, order.reserved(), order.paymentMethod());
      case OrderRejected e -> with(order, OrderStatus.REJECTED, Set.of(), null);
      case OrderApproved e -> with(order, OrderStatus.APPROVED, order.reserved(), null);
      case OrderPaid e -> with(order, OrderStatus.PAID, order.reserved(), e.method());
      case OrderShipped e -> with(order, OrderStatus.SHIPPED, order.reserved(), order.paymentMethod());
      case OrderDelivered e -> with(order, OrderStatus.DELIVERED, order.reserved(), order.paymentMethod());
      case OrderCancelled e -> with(order, OrderStatus.CANCELLED, Set.of(), order.paymentMethod());
      case OrderRefunded e -> order;
      case OrderExpired e -> with(order, OrderStatus.EXPIRED, Set.of(), null);
    };
  }

  private static Order with(Order o, OrderStatus status, Set<String> reserved, PaymentMethod method) {
    return new Order(o.id(), o.userId(), o.items(), o.total(), status, reserved, o.paymentDueAt(), method);
  }
}
