package dev.ordo.ordering.fulfilment;

import dev.ordo.consumer.ProcessTarget;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.ordering.Ids;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.ordering.delivery.DeliveryCommand.StartDelivery;
import dev.ordo.ordering.dispatch.DispatchCommand.CancelDispatch;
import dev.ordo.ordering.dispatch.DispatchCommand.OpenDispatch;
import dev.ordo.ordering.order.OrderCommand.ConfirmReservation;
import dev.ordo.ordering.order.OrderCommand.DeliverOrder;
import dev.ordo.ordering.order.OrderCommand.RejectOrder;
import dev.ordo.ordering.order.OrderCommand.ShipOrder;
import dev.ordo.spring.process.ProcessProjection;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The fulfilment process: the catalog's answers to an order's reservations (its events, read by
 * type name and JSON) move the order; payment opens a dispatch, a pick-up (which shipped the order
 * first) starts the delivery, a completed delivery delivers it; a paid order's cancel, or its
 * shipping by courier, cancels its dispatch.
 * The catalog's half (reserving on {@code OrderPlaced}, giving back on a rejected, cancelled or
 * expired order) runs in the catalog. Every command it sends has an id derived from the event, and
 * every one it sends again changes nothing: a crash anywhere in between repeats, never doubles.
 */
public final class Fulfilment implements ProcessProjection {

  @Override
  public String name() {
    return "ordering-fulfilment";
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public Set<String> eventTypes() {
    return Set.of("StockReserved", "StockReservationRefused", "OrderPaid", "OrderCancelled", "OrderShipped",
        "DispatchPickedUp", "DeliveryCompleted");
  }

  @Override
  public void apply(RecordedEvent event, ProcessTarget.Commands commands) {
    JsonNode data = OrderingTypes.JSON.readTree(event.data());
    switch (event.type()) {
      case "StockReserved" -> {
        String orderId = data.path("orderId").asString();
        commands.send(new ConfirmReservation(orderId, event.streamId()), orderId, event);
      }
      case "StockReservationRefused" -> {
        String orderId = data.path("orderId").asString();
        commands.send(new RejectOrder(orderId, event.streamId(), data.path("reason").asString("insufficient-stock")),
            orderId, event);
      }
      case "OrderPaid" -> {
        String dispatchId = Ids.dispatch(event.streamId());
        commands.send(new OpenDispatch(dispatchId, event.streamId()), dispatchId, event);
      }
      case "OrderCancelled" -> {
        if (data.path("paid").asBoolean()) {
          String dispatchId = Ids.dispatch(event.streamId());
          commands.send(new CancelDispatch(dispatchId, data.path("reason").asString(null)), dispatchId, event);
        }
      }
      case "OrderShipped" -> {
        if (!Ids.delivery(event.streamId()).equals(data.path("trackingNumber").asString())) { // by courier
          String dispatchId = Ids.dispatch(event.streamId());
          commands.send(new CancelDispatch(dispatchId, "shipped by courier"), dispatchId, event);
        }
      }
      case "DispatchPickedUp" -> {
        String orderId = data.path("orderId").asString();
        String deliveryId = data.path("deliveryId").asString();
        // shipped by the pick-up itself where orders are handled in the same service; a repeat then
        commands.send(new ShipOrder(orderId, deliveryId), orderId, event);
        commands.send(new StartDelivery(deliveryId, orderId, event.streamId(), data.path("riderId").asString()),
            deliveryId, event);
      }
      case "DeliveryCompleted" -> {
        String orderId = data.path("orderId").asString();
        commands.send(new DeliverOrder(orderId), orderId, event);
      }
      default -> { }
    }
  }
}
