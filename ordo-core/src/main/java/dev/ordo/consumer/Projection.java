package dev.ordo.consumer;

import dev.ordo.eventstore.RecordedEvent;
import java.util.Set;

/**
 * A read model kept in step with the log. A runner feeds it every event of the types it handles,
 * in log order, and commits its changes together with its checkpoint (ARCHITECTURE.md decision 6),
 * so each event takes effect exactly once, whatever fails in between.
 *
 * @param <T> what the projection writes with: a JDBC connection in a transaction, for PostgreSQL
 */
public interface Projection<T> {

  /** Stable across versions; names the checkpoint. */
  String name();

  /** Raised when the read model's shape or meaning changes: the new version is rebuilt from the log. */
  int version();

  /** The event types it handles; others pass by without a call (the checkpoint still moves). */
  Set<String> eventTypes();

  /** Whether it is called for events of {@code type}; a relay that forwards every event says yes to all. */
  default boolean handles(String type) {
    return eventTypes().contains(type);
  }

  /** Applies one event inside the runner's transaction; throwing rolls the whole batch back. */
  void apply(RecordedEvent event, T target) throws Exception;

  /**
   * Called after the events of a batch are applied, before the checkpoint moves, in the same
   * transaction: a projection that buffers its writes (JDBC batches) sends them here. When it fails,
   * the runner retries the batch sending after every event, so the failing event is known.
   */
  default void flush(T target) throws Exception {}

  /**
   * Called on the runner's thread once the transaction holding everything applied since the last
   * call has committed, before the runner reports the new position: a projection that keeps
   * something derived in memory (a cache of answers) drops what those events changed here.
   */
  default void committed() {}

  /**
   * What the runner does with an event that still fails after its retries: park it as a dead
   * letter and stop until someone retries or skips it (the default: a read model never silently
   * misses an event), or park it and go on with the next.
   */
  default OnFailure onFailure() {
    return OnFailure.STOP;
  }

  enum OnFailure { STOP, SKIP }
}
