package dev.ordo.postgres.readmodel;

import java.time.Instant;

/**
 * Where a projection stands: its ACTIVE generation (answering queries) and a rebuild in progress,
 * with lag behind the head of the log in events and in milliseconds (the age of the oldest event
 * not applied yet).
 */
public record ProjectionStatus(String name, int version, String onFailure, Progress active, Progress rebuild,
    long deadLetters) {

  /**
   * @param state RUNNING (here), STANDBY (another process runs it), HALTED (at a dead letter), or
   *     NOT_RUN_HERE (a version this build does not have)
   * @param etaSeconds time to reach the head at the current rate; null when not moving
   */
  public record Progress(int generation, int version, String state, long position, long lagEvents, long lagMillis,
      long applied, long eventsPerSecond, Long etaSeconds, Instant startedAt) {}
}
