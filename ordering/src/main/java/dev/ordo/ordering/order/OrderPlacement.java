package dev.ordo.ordering.order;

import dev.ordo.command.Aggregates;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandException;
import dev.ordo.command.CommandResult;
import dev.ordo.ordering.product.ProductCatalog;
import dev.ordo.personaldata.PersonalData;
import dev.ordo.ordering.product.ProductCatalog.KnownProduct;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Places an order at the catalog's prices of the moment (never a client's), with its payment due
 * {@code paymentTimeout} from now. Stock is not checked here: the fulfilment process reserves it,
 * all or nothing, and the order then stands reserved or rejected.
 *
 * <p>The recipient, phone, address and postal code are sealed here for the ordering user, before
 * the decider sees them: the event holds them sealed wherever it goes (the log, snapshots, Kafka,
 * the logs that replicate it), and forgetting the user makes every copy unreadable.
 */
public final class OrderPlacement {

  /** How long pricing waits for a product registered a moment ago to reach ordering's view of the catalog. */
  private static final Duration CATALOG_PATIENCE = Duration.ofSeconds(2);

  private final Aggregates<OrderCommand, Order, OrderEvent> orders;
  private final ProductCatalog catalog;
  private final Clock clock;
  private final Duration paymentTimeout;
  private final PersonalData personalData;

  public OrderPlacement(Aggregates<OrderCommand, Order, OrderEvent> orders, ProductCatalog catalog, Clock clock,
      Duration paymentTimeout, PersonalData personalData) {
    this.orders = orders;
    this.catalog = catalog;
    this.clock = clock;
    this.paymentTimeout = paymentTimeout;
    this.personalData = personalData;
  }

  public CommandResult place(CommandEnvelope<PlaceOrder> envelope) {
    PlaceOrder order = envelope.command();
    List<String> ids = order.items().stream().map(PlaceOrder.Item::productId).distinct().toList();
    Map<String, KnownProduct> known = catalog.find(ids, CATALOG_PATIENCE);
    List<OrderItem> items = new ArrayList<>(ids.size());
    for (PlaceOrder.Item item : order.items()) {
      KnownProduct product = known.get(item.productId());
      if (product == null) {
        throw CommandException.rule("unknown-product", "no product " + item.productId());
      }
      if (!product.orderable()) {
        throw CommandException.rule("product-not-available",
            "product " + item.productId() + " is " + product.status().toLowerCase());
      }
      items.add(new OrderItem(product.productId(), product.name(), product.storeId(), product.price(),
          item.quantity()));
    }
    var place = new OrderCommand.Place(envelope.aggregateId(), order.userId(), items,
        sealed(order.userId().strip(), order.shippingAddress()), clock.instant().plus(paymentTimeout));
    return orders.handle(new CommandEnvelope<>(place, envelope.aggregateId(), envelope.expected(),
        envelope.metadata(), envelope.completion()));
  }

  /** The subject is the user id as the order records it (stripped), the id a forget names. */
  private ShippingAddress sealed(String userId, ShippingAddress address) {
    PersonalData pd = personalData;
    return new ShippingAddress(pd.seal(userId, address.recipient()), pd.seal(userId, address.phone()),
        pd.seal(userId, address.address()), pd.seal(userId, address.zipCode()), address.express());
  }
}
