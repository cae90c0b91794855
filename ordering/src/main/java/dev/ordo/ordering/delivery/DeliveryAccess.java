package dev.ordo.ordering.delivery;

import dev.ordo.command.AggregateType;
import dev.ordo.command.Caller;

/** Only the delivery's rider reports where it is and completes it. */
public final class DeliveryAccess implements AggregateType.Access<DeliveryCommand, Delivery> {

  @Override
  public boolean allows(Caller caller, DeliveryCommand command, Delivery delivery) {
    return switch (command) {
      case DeliveryCommand.UpdateLocation update -> caller.has("rider") && caller.is(delivery.riderId());
      case DeliveryCommand.CompleteDelivery complete -> caller.has("rider") && caller.is(delivery.riderId());
      default -> false;
    };
  }
}
