package dev.ordo.ordering.order;

/**
 * Where an order stands (seed 004 §2, issue "Ordering"): placed, then its stock reserved or the
 * order rejected, approved, paid, shipped, delivered; cancelled before shipping, expired unpaid.
 */
public enum OrderStatus {
  PLACED, RESERVED, REJECTED, APPROVED, PAID, SHIPPED, DELIVERED, CANCELLED, EXPIRED;

  /** States in which the order is still waiting for its payment: the payment deadline applies. */
  public boolean awaitsPayment() {
    return this == PLACED || this == RESERVED || this == APPROVED;
  }

  /** No command changes an order in these states any more. */
  public boolean closed() {
    return this == REJECTED || this == DELIVERED || this == CANCELLED || this == EXPIRED;
  }
}
