package dev.ordo.spring.verify;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/** One run of the reconciliation job, as {@code GET /api/v1/verifications/{id}} shows it while it runs. */
public final class Verification {

  /** A field the read model holds otherwise than the log says ({@code field} "row": a missing or extra row). */
  public record Difference(String readModel, String id, String field, Object log, Object stored) {}

  static final int SHOWN = 100;

  private final UUID id = UUID.randomUUID();
  private final String readModel;
  private final boolean repair;
  private final Instant startedAt = Instant.now();
  private volatile Instant finishedAt;
  private volatile String state = "RUNNING";
  private volatile String phase = "waiting for the read models";
  private volatile String error;
  private final AtomicLong done = new AtomicLong();
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong repaired = new AtomicLong();
  private final AtomicLong checked = new AtomicLong();
  private final List<Difference> differences = Collections.synchronizedList(new ArrayList<>());

  Verification(String readModel, boolean repair) {
    this.readModel = readModel;
    this.repair = repair;
  }

  public UUID getId() {
    return id;
  }

  public String getReadModel() {
    return readModel;
  }

  public boolean isRepair() {
    return repair;
  }

  public String getState() {
    return state;
  }

  public String getPhase() {
    return phase;
  }

  public long getDone() {
    return done.get();
  }

  public long getTotal() {
    return total.get();
  }

  public long getDifferenceCount() {
    return differences.size();
  }

  /** The first {@value #SHOWN} differences. */
  public List<Difference> getDifferences() {
    synchronized (differences) {
      return List.copyOf(differences.subList(0, Math.min(SHOWN, differences.size())));
    }
  }

  /** Aggregates compared with their rows, over every read model checked. */
  public long getChecked() {
    return checked.get();
  }

  public long getRepaired() {
    return repaired.get();
  }

  public Instant getStartedAt() {
    return startedAt;
  }

  public Instant getFinishedAt() {
    return finishedAt;
  }

  public String getError() {
    return error;
  }

  List<Difference> all() {
    synchronized (differences) {
      return List.copyOf(differences);
    }
  }

  void phase(String phase, long total) {
    this.phase = phase;
    this.total.set(total);
    this.done.set(0);
  }

  void step(long n) {
    done.addAndGet(n);
  }

  void checked(long n) {
    checked.addAndGet(n);
  }

  void found(Difference difference) {
    differences.add(difference);
  }

  void repaired(long n) {
    repaired.addAndGet(n);
  }

  void finish(String error) {
    this.error = error;
    this.phase = "done";
    this.state = error == null ? "COMPLETED" : "FAILED";
    this.finishedAt = Instant.now();
  }
}
