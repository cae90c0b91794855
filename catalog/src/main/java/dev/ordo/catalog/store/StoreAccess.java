package dev.ordo.catalog.store;

import dev.ordo.command.AggregateType;
import dev.ordo.command.Caller;

/** Admins open stores; a seller renames the stores they belong to. */
public final class StoreAccess implements AggregateType.Access<StoreCommand, Store> {

  @Override
  public boolean allows(Caller caller, StoreCommand command, Store store) {
    return switch (command) {
      case StoreCommand.RegisterStore register -> false;
      case StoreCommand.RenameStore rename -> caller.has("seller") && caller.belongsTo(store.id());
    };
  }
}
