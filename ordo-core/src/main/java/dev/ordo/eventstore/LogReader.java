package dev.ordo.eventstore;

import java.util.Optional;

public interface LogReader {

  /**
   * Up to {@code limit} events after {@code after}, in log order. Only events no later commit can
   * precede are returned, so a reader that resumes from the last event it got never skips one.
   */
  LogPage readLog(LogPosition after, int limit);

  /** As {@link #readLog}, only the events whose metadata names {@code actor}: who did what. */
  LogPage readActor(String actor, LogPosition after, int limit);

  /** The full log position of the event at a global position, if there is one. */
  Optional<LogPosition> locate(long position);

  /** The highest global position committed so far, 0 for an empty log: how far a consumer has to go. */
  long head();
}
