package dev.ordo.ordering.customer;

/** What can be asked of a customer. Customer ids are the orders' user ids. */
public sealed interface CustomerCommand {

  String customerId();

  /** Sent by {@link CustomerPersonalData} before it destroys the customer's key. */
  record ForgetPersonalData(String customerId) implements CustomerCommand {}
}
