package dev.ordo.catalog.product;

import dev.ordo.command.AggregateType;
import dev.ordo.command.Caller;

/**
 * A seller registers and changes the products of the stores they belong to (the store a product
 * is in, not the one a command names, once it exists); a customer reviews; stock reservations are
 * the fulfilment process's alone.
 */
public final class ProductAccess implements AggregateType.Access<ProductCommand, Product> {

  @Override
  public boolean allows(Caller caller, ProductCommand command, Product product) {
    return switch (command) {
      case ProductCommand.RegisterProduct register -> caller.has("seller") && caller.belongsTo(register.storeId());
      case ProductCommand.AddReview review -> caller.has("customer");
      case ProductCommand.ReserveStock reserve -> false;
      case ProductCommand.ReleaseStock release -> false;
      case ProductCommand.SettleReservation settle -> false;
      default -> caller.has("seller") && caller.belongsTo(product.storeId());
    };
  }
}
