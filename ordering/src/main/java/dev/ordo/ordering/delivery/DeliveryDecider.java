package dev.ordo.ordering.delivery;

import dev.ordo.command.CommandException;
import dev.ordo.command.Decider;
import dev.ordo.ordering.delivery.DeliveryCommand.CompleteDelivery;
import dev.ordo.ordering.delivery.DeliveryCommand.StartDelivery;
import dev.ordo.ordering.delivery.DeliveryCommand.UpdateLocation;
import dev.ordo.ordering.delivery.DeliveryEvent.DeliveryCompleted;
import dev.ordo.ordering.delivery.DeliveryEvent.DeliveryStarted;
import dev.ordo.ordering.delivery.DeliveryEvent.LocationUpdated;
import java.util.List;

/** The delivery's rules: located while under way, completed once. */
public final class DeliveryDecider implements Decider<DeliveryCommand, Delivery, DeliveryEvent> {

  @Override
  public Delivery initialState() {
    return Delivery.NONE;
  }

  @Override
  public List<DeliveryEvent> decide(DeliveryCommand command, Delivery delivery) {
    return switch (command) {
      case StartDelivery c when delivery.exists() -> List.of();
      case StartDelivery c -> List.of(new DeliveryStarted(c.deliveryId(), c.orderId(), c.dispatchId(), c.riderId()));
      case DeliveryCommand c when !delivery.exists() -> throw new CommandException.NotFound("delivery", c.deliveryId());
      case DeliveryCommand c when delivery.status() == DeliveryStatus.COMPLETED ->
          throw CommandException.rule("delivery-completed", "the delivery is completed");
      case UpdateLocation c when Math.abs(c.lat()) > 90 || Math.abs(c.lon()) > 180 ->
          throw CommandException.rule("location-out-of-range", "latitude is within ±90, longitude within ±180");
      case UpdateLocation c -> List.of(new LocationUpdated(c.deliveryId(), c.lat(), c.lon()));
      case CompleteDelivery c -> List.of(new DeliveryCompleted(c.deliveryId(), delivery.orderId()));
    };
  }

  @Override
  public Delivery evolve(Delivery delivery, DeliveryEvent event) {
    return switch (event) {
      case DeliveryStarted e -> new Delivery(e.deliveryId(), e.orderId(), e.riderId(), DeliveryStatus.IN_TRANSIT);
      case LocationUpdated e -> delivery;
      case DeliveryCompleted e -> new Delivery(delivery.id(), delivery.orderId(), delivery.riderId(),
          DeliveryStatus.COMPLETED);
    };
  }
}
