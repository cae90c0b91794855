package dev.ordo.ordering.customer;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A customer as its commands need it: how many times their personal data was forgotten. */
public record Customer(String id, int forgotten) {

  public static final Customer NONE = new Customer(null, 0);

  /** The customer's stream: stream ids are UUIDs, customer ids are whatever the user ids are. */
  public static String streamId(String customerId) {
    return UUID.nameUUIDFromBytes(("customer:" + customerId).getBytes(StandardCharsets.UTF_8)).toString();
  }
}
