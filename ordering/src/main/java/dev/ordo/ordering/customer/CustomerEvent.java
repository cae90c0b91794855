package dev.ordo.ordering.customer;

/** What happened to a customer. */
public sealed interface CustomerEvent {

  String customerId();

  /**
   * The customer's personal data key is (being) destroyed: read models drop what they hold of it
   * in plaintext. Recorded each time it is asked, so a repeated request reaches them again.
   */
  record PersonalDataForgotten(String customerId) implements CustomerEvent {}
}
