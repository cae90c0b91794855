package dev.ordo.ordering.delivery;

/**
 * A delivery as its commands need it: small on purpose, since location updates are the most
 * frequent commands of the system and each one loads it (from the aggregate cache, mostly).
 */
public record Delivery(String id, String orderId, String riderId, DeliveryStatus status) {

  public static final Delivery NONE = new Delivery(null, null, null, null);

  public boolean exists() {
    return id != null;
  }
}
