package dev.ordo.ordering;

import dev.ordo.codec.EventCodec;
import dev.ordo.command.AggregateType;
import dev.ordo.ordering.customer.Customer;
import dev.ordo.ordering.customer.CustomerAccess;
import dev.ordo.ordering.customer.CustomerCommand;
import dev.ordo.ordering.customer.CustomerDecider;
import dev.ordo.ordering.customer.CustomerEvent;
import dev.ordo.ordering.delivery.Delivery;
import dev.ordo.ordering.delivery.DeliveryAccess;
import dev.ordo.ordering.delivery.DeliveryCommand;
import dev.ordo.ordering.delivery.DeliveryDecider;
import dev.ordo.ordering.delivery.DeliveryEvent;
import dev.ordo.ordering.dispatch.Dispatch;
import dev.ordo.ordering.dispatch.DispatchAccess;
import dev.ordo.ordering.dispatch.DispatchCommand;
import dev.ordo.ordering.dispatch.DispatchDecider;
import dev.ordo.ordering.dispatch.DispatchEvent;
import dev.ordo.ordering.order.Order;
import dev.ordo.ordering.order.OrderAccess;
import dev.ordo.ordering.order.OrderCommand;
import dev.ordo.ordering.order.OrderDecider;
import dev.ordo.ordering.order.OrderEvent;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Ordering's aggregates: their stream types, event names and schema versions. */
public final class OrderingTypes {

  /** Events are read leniently: a field a later build added must not break an older reader. */
  public static final JsonMapper JSON = JsonMapper.builder()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  public static final AggregateType<OrderCommand, Order, OrderEvent> ORDER = new AggregateType<>("order",
      new OrderDecider(),
      EventCodec.builder(OrderEvent.class, JSON)
          .event(OrderEvent.OrderPlaced.class, "OrderPlaced", 1)
          .event(OrderEvent.ItemReserved.class, "ItemReserved", 1)
          .event(OrderEvent.OrderReserved.class, "OrderReserved", 1)
          .event(OrderEvent.OrderRejected.class, "OrderRejected", 1)
          .event(OrderEvent.OrderApproved.class, "OrderApproved", 1)
          .event(OrderEvent.OrderPaid.class, "OrderPaid", 1)
          .event(OrderEvent.OrderShipped.class, "OrderShipped", 1)
          .event(OrderEvent.OrderDelivered.class, "OrderDelivered", 1)
          .event(OrderEvent.OrderCancelled.class, "OrderCancelled", 1)
          .event(OrderEvent.OrderRefunded.class, "OrderRefunded", 1)
          .event(OrderEvent.OrderExpired.class, "OrderExpired", 1)
          .build(),
      Order.class, 1).withAccess(new OrderAccess());

  public static final AggregateType<DispatchCommand, Dispatch, DispatchEvent> DISPATCH = new AggregateType<>(
      "dispatch",
      new DispatchDecider(),
      EventCodec.builder(DispatchEvent.class, JSON)
          .event(DispatchEvent.DispatchOpened.class, "DispatchOpened", 1)
          .event(DispatchEvent.RiderAssigned.class, "RiderAssigned", 1)
          .event(DispatchEvent.DispatchAccepted.class, "DispatchAccepted", 1)
          .event(DispatchEvent.DispatchDeclined.class, "DispatchDeclined", 1)
          .event(DispatchEvent.DispatchPickedUp.class, "DispatchPickedUp", 1)
          .event(DispatchEvent.DispatchCancelled.class, "DispatchCancelled", 1)
          .build(),
      Dispatch.class, 1).withAccess(new DispatchAccess());

  public static final AggregateType<DeliveryCommand, Delivery, DeliveryEvent> DELIVERY = new AggregateType<>(
      "delivery",
      new DeliveryDecider(),
      EventCodec.builder(DeliveryEvent.class, JSON)
          .event(DeliveryEvent.DeliveryStarted.class, "DeliveryStarted", 1)
          .event(DeliveryEvent.LocationUpdated.class, "LocationUpdated", 1)
          .event(DeliveryEvent.DeliveryCompleted.class, "DeliveryCompleted", 1)
          .build(),
      Delivery.class, 1).withAccess(new DeliveryAccess());

  public static final AggregateType<CustomerCommand, Customer, CustomerEvent> CUSTOMER = new AggregateType<>(
      "customer",
      new CustomerDecider(),
      EventCodec.builder(CustomerEvent.class, JSON)
          .event(CustomerEvent.PersonalDataForgotten.class, "PersonalDataForgotten", 1)
          .build(),
      Customer.class, 1).withAccess(new CustomerAccess());

  private OrderingTypes() {}
}
