package dev.ordo.test;

import dev.ordo.test.InMemorySnapshotStore;
import dev.ordo.snapshot.SnapshotStore;

class InMemorySnapshotStoreContractTests extends SnapshotStoreContract {

  @Override
  protected SnapshotStore snapshotStore() {
    return new InMemorySnapshotStore();
  }
}
