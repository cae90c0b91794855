package dev.ordo.consumer;

import dev.ordo.eventstore.RecordedEvent;
import java.util.Optional;

/**
 * Where consumers whose effect lies elsewhere stand: a process whose effect is commands, a relay
 * whose effect is a broker's acknowledgement. Their checkpoint cannot commit with their effect, so
 * their effect must be idempotent (a command id the command log knows, a message the broker
 * deduplicates); this keeps the position, the lease and the dead letters.
 *
 * @param <P> the source's position
 */
public interface Checkpoints<P> {

  Optional<P> load(String consumer);

  /** Moves the consumer from {@code from} (empty: never saved) to {@code to}; fails if it moved meanwhile. */
  void save(String consumer, Optional<P> from, P to);

  /** Being the one runner of the consumer across processes; empty while another is. */
  Optional<Target.Lease> lead(String consumer);

  /** Parks an event the consumer could not handle; {@code blocking}: it stops there. */
  void park(String consumer, RecordedEvent event, P position, String error, int attempts, boolean blocking);

  /** Whether a blocking dead letter of the consumer is parked. */
  boolean blocked(String consumer);
}
