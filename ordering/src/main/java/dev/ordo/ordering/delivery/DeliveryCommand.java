package dev.ordo.ordering.delivery;

import dev.ordo.spring.command.HttpCommand;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.NotNull;

/** What can be asked of a delivery (seed 003 §2, the delivery service). */
public sealed interface DeliveryCommand {

  String deliveryId();

  /** From the fulfilment process, when the rider picked the parcel up. */
  record StartDelivery(String deliveryId, String orderId, String dispatchId, String riderId)
      implements DeliveryCommand {}

  @HttpCommand(method = "POST", path = "/deliveries/{id}/location", id = "deliveryId")
  record UpdateLocation(
      String deliveryId,
      @NotNull @DecimalMin("-90") @DecimalMax("90") Double lat,
      @NotNull @DecimalMin("-180") @DecimalMax("180") Double lon) implements DeliveryCommand {}

  @HttpCommand(method = "POST", path = "/deliveries/{id}/complete", id = "deliveryId")
  record CompleteDelivery(String deliveryId) implements DeliveryCommand {}
}
