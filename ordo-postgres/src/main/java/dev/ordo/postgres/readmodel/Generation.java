package dev.ordo.postgres.readmodel;

import dev.ordo.eventstore.LogPosition;
import java.time.Instant;

/** One build of one version of a projection, as recorded in {@code projection_generations}. */
public record Generation(String name, int generation, int version, State state, LogPosition checkpoint,
    long applied, Instant startedAt, Instant switchedAt) {

  public enum State { BUILDING, ACTIVE, RETIRED }

  /** The schema holding this generation's tables. */
  public String schema() {
    return schema(name, generation);
  }

  static String schema(String name, int generation) {
    return name.toLowerCase().replaceAll("[^a-z0-9_]", "_") + "_g" + generation;
  }
}
