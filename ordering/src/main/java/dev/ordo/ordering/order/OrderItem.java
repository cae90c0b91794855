package dev.ordo.ordering.order;

/**
 * One line of an order, priced from the catalog when the order was placed: the customer pays
 * {@code unitPrice × quantity} won whatever the catalog's price becomes later.
 */
public record OrderItem(String productId, String productName, String storeId, long unitPrice, int quantity) {

  /** Exact in won; an overflow is a broken rule, never a wrapped total. */
  public long lineTotal() {
    return Math.multiplyExact(unitPrice, (long) quantity);
  }
}
