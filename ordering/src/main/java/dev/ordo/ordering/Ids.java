package dev.ordo.ordering;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * An order's dispatch and delivery have ids derived from the order's: a process that opens them
 * again after a crash opens the same one, and a client that knows the order knows where to look.
 */
public final class Ids {

  private Ids() {}

  public static String dispatch(String orderId) {
    return derived("dispatch/", orderId);
  }

  public static String delivery(String orderId) {
    return derived("delivery/", orderId);
  }

  private static String derived(String kind, String orderId) {
    return UUID.nameUUIDFromBytes((kind + orderId).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
