package dev.ordo.catalog.product;

import dev.ordo.catalog.product.ProductCommand.ReleaseStock;
import dev.ordo.catalog.product.ProductCommand.ReserveStock;
import dev.ordo.catalog.product.ProductCommand.SettleReservation;
import dev.ordo.consumer.ProcessTarget;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.spring.process.ProcessProjection;
import java.util.Set;

/**
 * Stock for orders (seed 003), the catalog's part of a choreography with the ordering context: an
 * order placed asks each of its products to reserve stock for it, an order rejected, cancelled or
 * expired asks them to give it back, an order shipped asks them to sell it. The products answer with
 * events (StockReserved, StockReservationRefused, ...) that the ordering context follows in turn.
 *
 * <p>Every rule lives in the product: it reserves once per order and gives back or sells only what
 * it holds for the order, so a command repeated or arriving late changes nothing, and "a refused
 * item gives back the items reserved before it" needs no bookkeeping here, only the order's end.
 *
 * <p>A failing event stops the process (the default) rather than being skipped: retried later, an
 * OrderPlaced would reserve stock for an order that may have ended meanwhile, and nothing would
 * ever give it back.
 */
public final class OrderStock implements ProcessProjection {

  @Override
  public String name() {
    return "catalog-order-stock";
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public Set<String> eventTypes() {
    return OrderItems.TYPES;
  }

  @Override
  public void apply(RecordedEvent event, ProcessTarget.Commands commands) {
    OrderItems order = OrderItems.of(event);
    // one command per product, in the order of the items: the ids of the commands depend on it
    switch (event.type()) {
      case OrderItems.PLACED -> order.quantities().forEach((productId, quantity) ->
          commands.send(new ReserveStock(productId, order.orderId(), quantity), productId, event));
      case OrderItems.REJECTED, OrderItems.CANCELLED, OrderItems.EXPIRED -> order.quantities().keySet().forEach(
          productId -> commands.send(new ReleaseStock(productId, order.orderId()), productId, event));
      case OrderItems.SHIPPED -> order.quantities().keySet().forEach(
          productId -> commands.send(new SettleReservation(productId, order.orderId()), productId, event));
      default -> throw new IllegalArgumentException("not an event of " + name() + ": " + event.type());
    }
  }
}
