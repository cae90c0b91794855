package dev.ordo.catalog.store;

import dev.ordo.catalog.store.StoreCommand.RegisterStore;
import dev.ordo.catalog.store.StoreCommand.RenameStore;
import dev.ordo.catalog.store.StoreEvent.StoreRegistered;
import dev.ordo.catalog.store.StoreEvent.StoreRenamed;
import dev.ordo.command.CommandException;
import dev.ordo.command.Decider;
import dev.ordo.command.CommandException;
import java.util.List;

public final class StoreDecider implements Decider<StoreCommand, Store, StoreEvent> {

  @Override
  public Store initialState() {
    return Store.NONE;
  }

  @Override
  public List<StoreEvent> decide(StoreCommand command, Store store) {
    return switch (command) {
      case RegisterStore c when store.exists() -> throw CommandException.rule("store-exists", "store " + c.storeId() + " exists");
      case RegisterStore c -> List.of(new StoreRegistered(c.storeId(), c.name().strip()));
      case RenameStore c when !store.exists() -> throw new CommandException.NotFound("store", c.storeId());
      case RenameStore c when c.name().strip().equals(store.name()) -> List.of();
      case RenameStore c -> List.of(new StoreRenamed(c.storeId(), store.name(), c.name().strip()));
    };
  }

  @Override
  public Store evolve(Store store, StoreEvent event) {
    return switch (event) {
      case StoreRegistered e -> new Store(e.storeId(), e.name());
      case StoreRenamed e -> new Store(store.id(), e.newName());
    };
  }
}
