package dev.ordo.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.snapshot.Snapshot;
import dev.ordo.snapshot.SnapshotStore;
import org.junit.jupiter.api.Test;

/** What every snapshot store must do. */
public abstract class SnapshotStoreContract {

  /** A store over snapshots of its own, empty for each test. */
  protected abstract SnapshotStore snapshotStore();

  @Test
  void loadsTheLatestSnapshotOfAStream() {
    SnapshotStore store = snapshotStore();
    store.save(new Snapshot("p-1", 10, 1, "{\"stock\":10}"));
    store.save(new Snapshot("p-1", 20, 1, "{\"stock\":20}"));
    store.save(new Snapshot("p-1", 15, 1, "{\"stock\":15}"));

    assertThat(store.load("p-1", 1)).hasValueSatisfying(s -> {
      assertThat(s.version()).isEqualTo(20);
      assertThat(s.state()).contains("20");
    });
    assertThat(store.load("p-2", 1)).isEmpty();
  }

  @Test
  void aSnapshotOfAnotherSchemaVersionIsIgnored() {
    SnapshotStore store = snapshotStore();
    store.save(new Snapshot("p-3", 10, 1, "{\"stock\":10}"));

    assertThat(store.load("p-3", 2)).as("the state's shape changed: replay the stream").isEmpty();

    store.save(new Snapshot("p-3", 5, 2, "{\"quantity\":5}"));
    assertThat(store.load("p-3", 2)).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(5));
  }
}
