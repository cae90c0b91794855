package dev.ordo.test;

import dev.ordo.snapshot.Snapshot;
import dev.ordo.snapshot.SnapshotStore;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

public final class InMemorySnapshotStore implements SnapshotStore {

  private final Map<String, Snapshot> latest = new ConcurrentHashMap<>();

  @Override
  public void save(Snapshot snapshot) {
    latest.merge(snapshot.streamId(), snapshot, (old, now) -> now.version() > old.version() || now.schemaVersion() != old.schemaVersion() ? now : old);
  }

  @Override
  public Optional<Snapshot> load(String streamId, int schemaVersion) {
    return Optional.ofNullable(latest.get(streamId)).filter(s -> s.schemaVersion() == schemaVersion);
  }
}
