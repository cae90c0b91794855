package dev.ordo.ordering.dispatch;

/** What happened to a dispatch. */
public sealed interface DispatchEvent {

  String dispatchId();

  record DispatchOpened(String dispatchId, String orderId) implements DispatchEvent {}

  record RiderAssigned(String dispatchId, String riderId) implements DispatchEvent {}

  record DispatchAccepted(String dispatchId, String riderId) implements DispatchEvent {}

  record DispatchDeclined(String dispatchId, String riderId, String reason) implements DispatchEvent {}

  /** {@code deliveryId} names the delivery this pick-up opens. */
  record DispatchPickedUp(String dispatchId, String orderId, String riderId, String deliveryId)
      implements DispatchEvent {}

  record DispatchCancelled(String dispatchId, String reason) implements DispatchEvent {}
}
