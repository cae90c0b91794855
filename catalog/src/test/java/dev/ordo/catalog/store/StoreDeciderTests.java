package dev.ordo.catalog.store;

import dev.ordo.catalog.store.StoreCommand.RegisterStore;
import dev.ordo.catalog.store.StoreCommand.RenameStore;
import dev.ordo.catalog.store.StoreEvent.StoreRegistered;
import dev.ordo.catalog.store.StoreEvent.StoreRenamed;
import dev.ordo.test.DeciderFixture;
import org.junit.jupiter.api.Test;

class StoreDeciderTests {

  private final DeciderFixture<StoreCommand, Store, StoreEvent> store = DeciderFixture.of(new StoreDecider());

  @Test
  void registersAndRenames() {
    store.given().when(new RegisterStore("s", " Ordo Mart ")).then(new StoreRegistered("s", "Ordo Mart"));
    store.given(new StoreRegistered("s", "Ordo Mart")).when(new RenameStore("s", "Ordo Market"))
        .then(new StoreRenamed("s", "Ordo Mart", "Ordo Market"));
    store.given(new StoreRegistered("s", "Ordo Mart")).when(new RenameStore("s", "Ordo Mart")).thenNothing();
  }

  @Test
  void aStoreIsRegisteredOnceAndRenamedOnlyIfItExists() {
    store.given(new StoreRegistered("s", "A")).when(new RegisterStore("s", "B")).thenRuleBroken("store-exists");
    store.given().when(new RenameStore("s", "B")).thenNotFound();
  }
}
