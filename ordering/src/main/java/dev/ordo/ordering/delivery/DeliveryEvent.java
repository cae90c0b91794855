package dev.ordo.ordering.delivery;

/** What happened to a delivery. */
public sealed interface DeliveryEvent {

  String deliveryId();

  record DeliveryStarted(String deliveryId, String orderId, String dispatchId, String riderId)
      implements DeliveryEvent {}

  record LocationUpdated(String deliveryId, double lat, double lon) implements DeliveryEvent {}

  record DeliveryCompleted(String deliveryId, String orderId) implements DeliveryEvent {}
}
