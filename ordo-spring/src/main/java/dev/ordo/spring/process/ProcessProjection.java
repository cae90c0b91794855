package dev.ordo.spring.process;

import dev.ordo.consumer.ProcessTarget;
import dev.ordo.consumer.Projection;

/**
 * A process (saga) in a Spring application: every bean of this type follows the log from its
 * start and reacts to events by {@link ProcessTarget.Commands#send sending commands} on the bus,
 * with its checkpoint in the write database (ARCHITECTURE.md decision 10). A context declares its
 * processes as beans; it never runs them itself.
 */
public interface ProcessProjection extends Projection<ProcessTarget.Commands> {

  /**
   * Waits for the commands sent so far: the runner calls this after each event when it looks for
   * the one that fails, so a command that keeps failing parks the event that sent it.
   */
  @Override
  default void flush(ProcessTarget.Commands commands) {
    commands.await();
  }
}
