package dev.ordo.ordering.dispatch;

/** A dispatch as its commands need it; {@code id} is null until it is opened. */
public record Dispatch(String id, String orderId, DispatchStatus status, String riderId) {

  public static final Dispatch NONE = new Dispatch(null, null, null, null);

  public boolean exists() {
    return id != null;
  }
}
