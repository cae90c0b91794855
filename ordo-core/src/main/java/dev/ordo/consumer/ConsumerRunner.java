package dev.ordo.consumer;

import java.util.Arrays;
import dev.ordo.consumer.Projection.OnFailure;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.Subscription;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one consumer: follows its source from the target's checkpoint and, per batch, applies the
 * events and moves the checkpoint in one transaction of the target. The one place that knows how
 * a consumer leads, retries, parks dead letters, measures lag and hands over after a rebuild.
 *
 * <p>Exactly once: the batch's transaction reads the checkpoint and skips the events it covers,
 * so a batch whose commit succeeded but whose acknowledgement was lost is not applied twice; the
 * checkpoint moves only from where the batch began (compare-and-set), so two runners that both
 * believe they lead cannot both commit. One runner per target across processes: the runner holds
 * the target's {@link Target.Lease lease} while it runs; the others wait.
 *
 * <p>Failures: a failing batch is rolled back and delivered again with a growing pause. An event
 * that still fails after {@code maxAttempts} is parked as a dead letter; the events before it
 * commit, and then the projection's {@link OnFailure policy} decides: stop at it, or skip it. A
 * transient failure of the target is not the event's fault and is retried for as long as it takes.
 *
 * <p>Blue/green: a {@link Target#building() building} target, once it has drained the source,
 * takes over in the transaction of its batch (or between batches, when its last batch was full).
 */
public final class ConsumerRunner<W, P> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(ConsumerRunner.class);

  private final Source<P> source;
  private final Target<W, P> target;
  private final Projection<W> projection;
  private final int batchSize;
  private final int maxAttempts;
  private final Thread leader;
  private final Map<P, Integer> failures = new ConcurrentHashMap<>();
  private final LagRecorder lag = new LagRecorder();
  private boolean isolating;
  private volatile boolean leading;
  private volatile boolean stalled;
  private volatile boolean halted;
  private volatile boolean closed;
  private volatile Subscription tail;
  private volatile P applied;
  private volatile long startedNanos = System.nanoTime();
  private volatile long appliedSinceStart;

  public ConsumerRunner(Source<P> source, Target<W, P> target, Projection<W> projection, int batchSize,
      int maxAttempts) {
    if (batchSize < 1 || maxAttempts < 1) {
      throw new IllegalArgumentException("batch size and attempts must be at least 1");
    }
    this.source = source;
    this.target = target;
    this.projection = projection;
    this.batchSize = batchSize;
    this.maxAttempts = maxAttempts;
    this.applied = source.start();
    this.leader = Thread.ofPlatform().name("ordo-consumer-" + target.name()).daemon().unstarted(this::lead);
  }

  public ConsumerRunner<W, P> start() {
    leader.start();
    return this;
  }

  public Target<W, P> target() {
    return target;
  }

  public Projection<W> projection() {
    return projection;
  }

  /** Whether this process runs the target now (the others stand by). */
  public boolean leading() {
    return leading;
  }

  /** Whether the last batch failed and none has committed since (the target may be down). */
  public boolean stalled() {
    return stalled;
  }

  /** Stopped at a dead letter until it is retried or skipped. */
  public boolean halted() {
    return halted;
  }

  /** Events applied per second since this runner started leading. */
  public double rate() {
    double seconds = (System.nanoTime() - startedNanos) / 1e9;
    return seconds <= 0 ? 0 : appliedSinceStart / seconds;
  }

  /** Command-to-visible lag of the events applied here: the batch's commit minus the event's time. */
  public LagRecorder lag() {
    return lag;
  }

  /**
   * The position after the last event applied: this runner's own while it leads, else the
   * committed checkpoint (another process runs the target).
   */
  public P position() {
    return leading ? applied : target.checkpoint().orElse(source.start());
  }

  /** After a blocking dead letter was retried or skipped: go on from the checkpoint. */
  public void resume() {
    halted = false;
  }

  /** Waits to be the one runner of the target, then follows the source until closed. */
  private void lead() {
    while (!closed && !target.retired()) {
      try {
        Optional<Target.Lease> lease = target.lead();
        if (lease.isEmpty()) {
          pause(Duration.ofMillis(500));
          continue;
        }
        try (Target.Lease held = lease.get()) {
          try {
            leading = true;
            halted = target.blocked();
            if (!halted) {
              applied = target.checkpoint().orElse(source.start());
              startedNanos = System.nanoTime();
              appliedSinceStart = 0;
              log.info("consumer {} runs from {}", target.name(), applied);
              tail = source.subscribe(target.name(), applied, batchSize, this::applyBatch);
            }
            while (!closed && !target.retired() && !halted && held.held()) {
              pause(Duration.ofMillis(200));
              if (target.building() && tail != null) {
                takeOverWhenIdle();
              }
            }
            if (halted) {
              stop();
              while (!closed && !target.retired() && halted && held.held()) {
                pause(Duration.ofMillis(500));
                halted = target.blocked();
              }
            }
          } finally {
            leading = false;
            stop(); // before the lease goes: no batch of this runner may overlap the next leader's
          }
        }
      } catch (Exception e) {
        log.warn("consumer {} lost its lease: {}", target.name(), e.getMessage());
      }
      pause(Duration.ofMillis(200));
    }
  }

  private void stop() {
    Subscription running = tail;
    tail = null;
    if (running != null) {
      running.close();
    }
  }

  private void applyBatch(Source.Batch<P> batch) throws Exception {
    if (halted || target.retired()) {
      throw new IllegalStateException("consumer " + target.name() + (halted ? " is halted at a dead letter" : " is retired"));
    }
    Source.Batch<P> rest = batch;
    try {
      while (rest.size() > 0) {
        rest = applyUntilParked(rest, batch.size());
        if (rest == null) { // stopped at a dead letter: decided here, not by the flag a retry may clear meanwhile
          throw new IllegalStateException("consumer " + target.name() + " halted at a dead letter");
        }
      }
    } catch (Exception e) {
      stalled = true;
      throw e;
    }
  }

  /**
   * Applies the batch in one transaction. If an event has failed {@code maxAttempts} times, commits
   * the events before it with the event parked, and returns what follows it when the policy is to
   * skip, or null when it is to stop; otherwise returns nothing left, or throws for the source to
   * deliver again.
   */
  private Source.Batch<P> applyUntilParked(Source.Batch<P> batch, int delivered) throws Exception {
    List<RecordedEvent> events = batch.events();
    try (Target.Transaction<W, P> transaction = target.begin()) {
      P checkpoint = transaction.checkpoint();
      int last = -1;
      int count = 0;
      for (int i = 0; i < events.size(); i++) {
        RecordedEvent event = events.get(i);
        P position = batch.positions().get(i);
        if (source.covers(checkpoint, position)) {
          continue; // applied by a commit whose answer was lost
        }
        if (projection.handles(event.type())) {
          try {
            projection.apply(event, transaction.work());
            if (isolating) {
              projection.flush(transaction.work());
            }
          } catch (Exception e) {
            if (target.isTransient(e)) {
              throw e;
            }
            int attempts = failures.merge(position, 1, Integer::sum);
            if (attempts < maxAttempts) {
              throw e;
            }
            transaction.close();
            park(slice(batch, 0, i), event, position, e, attempts);
            failures.remove(position);
            return projection.onFailure() == OnFailure.SKIP ? slice(batch, i + 1, events.size()) : null;
          }
          count++;
        }
        last = i;
      }
      try {
        projection.flush(transaction.work());
      } catch (Exception e) {
        if (!target.isTransient(e)) {
          isolating = true; // which event failed is unknown: again, sending after every event
        }
        throw e;
      }
      if (last >= 0) {
        P to = batch.positions().get(last);
        transaction.move(to, count);
        if (target.building() && delivered < batchSize) {
          transaction.takeOverIfCaughtUp(to);
        }
      }
      transaction.commit();
      isolating = false;
      failures.clear(); // attempts count within one batch's retries
      if (last >= 0) {
        committed(events, batch.positions().get(last), count);
      }
      return slice(batch, 0, 0);
    }
  }

  private static <P> Source.Batch<P> slice(Source.Batch<P> batch, int from, int to) {
    return new Source.Batch<>(batch.events().subList(from, to), batch.positions().subList(from, to));
  }

  private void committed(List<RecordedEvent> events, P last, int count) {
    stalled = false;
    projection.committed();
    applied = last;
    appliedSinceStart += count;
    long now = System.currentTimeMillis();
    for (RecordedEvent event : events) {
      lag.record(now - event.occurredAt().toEpochMilli());
    }
  }

  /** Commits the events before the failing one, parks it, and moves past it when the policy skips. */
  private void park(Source.Batch<P> before, RecordedEvent failing, P failingAt, Exception error, int attempts)
      throws Exception {
    boolean skip = projection.onFailure() == OnFailure.SKIP;
    try (Target.Transaction<W, P> transaction = target.begin()) {
      P checkpoint = transaction.checkpoint();
      P last = null;
      int count = 0;
      for (int i = 0; i < before.size(); i++) {
        RecordedEvent event = before.events().get(i);
        P position = before.positions().get(i);
        if (!source.covers(checkpoint, position)) {
          if (projection.handles(event.type())) {
            projection.apply(event, transaction.work());
            count++;
          }
          last = position;
        }
      }
      projection.flush(transaction.work());
      transaction.park(failing, failingAt, String.valueOf(error), attempts, !skip);
      P moveTo = skip ? failingAt : last;
      if (moveTo != null) {
        transaction.move(moveTo, count);
      }
      transaction.commit();
      if (moveTo != null) {
        committed(before.events(), moveTo, count);
      }
    }
    log.error("consumer {}: event {} ({}) parked as a dead letter after {} attempts; {}", target.name(),
        failing.position(), failing.type(), attempts,
        skip ? "skipped" : "the consumer stops until it is retried or skipped", error);
    if (!skip) {
      halted = true;
    }
  }

  /** A rebuild whose last batch was full learns it has drained the source here, between batches. */
  private void takeOverWhenIdle() {
    try {
      target.takeOverIfDrained(at -> source.lag(at).events() == 0);
    } catch (Exception e) {
      log.warn("consumer {}: take-over check failed: {}", target.name(), e.getMessage());
    }
  }

  private void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed = true;
    }
  }

  @Override
  public void close() {
    closed = true;
    leader.interrupt();
    try {
      leader.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** The most recent command-to-visible lags of a projection, in milliseconds, with percentiles over them. */
  public static final class LagRecorder {

    private static final int SIZE = 1 << 16; // 15 s of a benchmark at over 4,000 events/s

    private final long[] samples = new long[SIZE];
    private long count;

    public synchronized void record(long millis) {
      samples[(int) (count++ % SIZE)] = Math.max(0, millis);
    }

    /** The p-th percentile (0..100) of the recent samples; 0 without any. */
    public synchronized long percentile(double p) {
      int n = (int) Math.min(count, SIZE);
      if (n == 0) {
        return 0;
      }
      long[] sorted = Arrays.copyOf(samples, n);
      Arrays.sort(sorted);
      int rank = (int) Math.ceil(p / 100 * n); // nearest rank, 1-based
      return sorted[Math.clamp(rank - 1, 0, n - 1)];
    }

    /** Forgets the samples so far (a benchmark measures its own window). */
    public synchronized void reset() {
      count = 0;
    }
  }
}
