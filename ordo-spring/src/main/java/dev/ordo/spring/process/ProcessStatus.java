package dev.ordo.spring.process;

/**
 * Where a process stands, with its lag behind the head of the log in events and in milliseconds
 * (the age of the oldest event not handled yet).
 *
 * @param state RUNNING (here), STALLED (here, its last batch failed and is being tried again),
 *     STANDBY (another instance runs it), HALTED (at a dead letter), or STOPPED (not run now)
 * @param deadLetters events parked and neither retried nor skipped yet
 * @param rebuild     the generation being built beside the one that answers (a search index), or null
 */
public record ProcessStatus(String name, String onFailure, String state, long position, long lagEvents,
    long lagMillis, long deadLetters, Building rebuild) {

  public ProcessStatus(String name, String onFailure, String state, long position, long lagEvents, long lagMillis,
      long deadLetters) {
    this(name, onFailure, state, position, lagEvents, lagMillis, deadLetters, null);
  }

  /** A rebuild's progress: where its runner stands and how far the head is. */
  public record Building(int generation, String state, long position, long lagEvents) {}
}
