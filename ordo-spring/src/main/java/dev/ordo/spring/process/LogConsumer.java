package dev.ordo.spring.process;

import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.Projection;
import dev.ordo.consumer.Target;
import dev.ordo.eventstore.LogPosition;

/**
 * A follower of the local log whose effect lies outside the database, run by {@link Processes}
 * with its checkpoint, lease and dead letters in the write database: a process (every {@link
 * ProcessProjection} bean becomes one) or another bean of this type, such as the Kafka relay.
 *
 * @param <W> what its projection works with inside a batch
 */
public interface LogConsumer<W> {

  /** How {@code GET /projections} lists it: {@code process}, {@code relay}. */
  String kind();

  Projection<W> projection();

  /** Its target, keeping its position in {@code checkpoints}. */
  Target<W, LogPosition> target(Checkpoints<LogPosition> checkpoints);
}
