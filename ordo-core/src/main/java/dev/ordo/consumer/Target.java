package dev.ordo.consumer;

import dev.ordo.eventstore.RecordedEvent;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where a consumer's effect goes, stored with its checkpoint atomically (ARCHITECTURE.md decision
 * 6): tables of the read database in one transaction, a Lucene commit with the checkpoint in its
 * user data, a Kafka transaction with the offsets, a process's sent commands with its position.
 * A target that can be rebuilt is one generation of many; it says so with {@link #building()}.
 *
 * @param <W> what the projection writes with inside a batch (a JDBC connection, an index writer…)
 * @param <P> the source's position
 */
public interface Target<W, P> {

  /** Names the target in logs and locks, e.g. {@code product_read_g3}. */
  String name();

  /** Where the target stands, as committed; empty before its first batch. */
  Optional<P> checkpoint();

  /**
   * Tries to become the one writer of this target across processes; empty while another holds it.
   * The lease is held until closed or lost (its {@link Lease#held()} turns false).
   */
  Optional<Lease> lead() throws Exception;

  /** Begins a batch: everything until {@link Transaction#commit()} takes effect together or not at all. */
  Transaction<W, P> begin() throws Exception;

  /**
   * Whether a failure says nothing about the event being applied (the target went away, a race
   * lost): retried for as long as it takes, never parked.
   */
  boolean isTransient(Throwable failure);

  /** Whether a dead letter that stops the target is parked (until it is retried or skipped). */
  boolean blocked() throws Exception;

  /** A generation being built beside the one that answers; false once it took over. */
  default boolean building() {
    return false;
  }

  /** Superseded by a newer generation: the runner stops. */
  default boolean retired() {
    return false;
  }

  /**
   * Between batches: a building generation whose committed checkpoint the source has drained
   * takes over from the answering one.
   */
  default void takeOverIfDrained(Predicate<P> drained) throws Exception {}

  /** One batch of work on the target. Closing it without a commit undoes everything in it. */
  interface Transaction<W, P> extends AutoCloseable {

    /** Where the target stood when the batch began. */
    P checkpoint();

    W work();

    /**
     * Moves the checkpoint from {@link #checkpoint()} to {@code to}; fails (and nothing of the
     * batch may commit) when it moved meanwhile or the generation retired.
     */
    void move(P to, long applied) throws Exception;

    /** Parks an event as a dead letter; {@code blocking}: the target stops at it. */
    void park(RecordedEvent event, P position, String error, int attempts, boolean blocking) throws Exception;

    /** Called for a building generation after a batch that drained the source, before the commit. */
    default void takeOverIfCaughtUp(P at) throws Exception {}

    void commit() throws Exception;

    @Override
    void close();
  }

  /** Being the one writer of a target. */
  interface Lease extends AutoCloseable {

    boolean held();

    @Override
    void close();
  }
}
