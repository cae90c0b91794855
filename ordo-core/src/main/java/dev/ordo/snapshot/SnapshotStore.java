package dev.ordo.snapshot;

import java.util.Optional;

public interface SnapshotStore {

  /** Keeps the snapshot unless one of the same schema and a later version is already stored. */
  void save(Snapshot snapshot);

  /** The latest snapshot of the stream, if it is of the given schema version. */
  Optional<Snapshot> load(String streamId, int schemaVersion);
}
