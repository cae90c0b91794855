package dev.ordo.eventstore;

import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.Condition;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tails the log on two threads: one reads batches after the last position read, the other hands
 * them to the consumer in order, so the next batch is read while the consumer works on this one
 * (at most two batches ahead). When the log is drained the reader waits for a {@link Signal}
 * or the poll interval. When the reader reports committed events held back by an open
 * transaction, it reads again after a short, growing pause instead of waiting for the next signal.
 */
public final class LogTailer implements Subscription {

  private static final Logger log = LoggerFactory.getLogger(LogTailer.class);
  /**
   * Events held back are usually behind a transaction that commits within milliseconds (another
   * projection's batch, which sends no signal); a reader that waited longer would add its wait to
   * every event's lag. A transaction open for long costs a cheap empty read per pause meanwhile.
   */
  private static final long MAX_PENDING_PAUSE_MILLIS = 8;
  private static final long MAX_FAILURE_PAUSE_MILLIS = 5_000;

  private final String name;
  private final LogReader reader;
  private final Signal signal;
  private final int batchSize;
  private final LogSubscriber.Consumer consumer;
  private final Duration pollInterval;
  private final Duration linger;
  private final Thread thread;
  private final Thread delivery;
  private final BlockingQueue<Batch> read = new ArrayBlockingQueue<>(2);
  private LogPosition readPosition;
  private volatile LogPosition position;
  private volatile boolean closed;

  /**
   * @param linger how long to let commits gather after an idle tail is woken, so a busy log is
   *     delivered in fewer, larger batches; zero delivers each commit as soon as it is visible
   */
  public LogTailer(String name, LogReader reader, Signal signal, LogPosition after, int batchSize,
      LogSubscriber.Consumer consumer, Duration pollInterval, Duration linger) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1");
    }
    this.name = Objects.requireNonNull(name);
    this.reader = Objects.requireNonNull(reader);
    this.signal = Objects.requireNonNull(signal);
    this.position = Objects.requireNonNull(after);
    this.readPosition = after;
    this.batchSize = batchSize;
    this.consumer = Objects.requireNonNull(consumer);
    this.pollInterval = Objects.requireNonNull(pollInterval);
    this.linger = Objects.requireNonNull(linger);
    this.thread = Thread.ofPlatform().name("ordo-read-" + name).daemon().unstarted(this::run);
    this.delivery = Thread.ofPlatform().name("ordo-tail-" + name).daemon().unstarted(this::deliverAll);
  }

  /** Events read, and the position after them. */
  private record Batch(List<RecordedEvent> events, LogPosition next) {}

  public LogTailer start() {
    thread.start();
    delivery.start();
    return this;
  }

  /** The position of the last event delivered. */
  public LogPosition position() {
    return position;
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    delivery.interrupt();
    try {
      thread.join(Duration.ofSeconds(10));
      delivery.join(Duration.ofSeconds(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void run() {
    long pendingPause = 1;
    long failurePause = 10;
    boolean woken = false;
    while (!closed) {
      try {
        if (woken && !linger.isZero()) {
          Thread.sleep(linger);
        }
        woken = false;
        long seen = signal.sequence();
        LogPage page = reader.readLog(readPosition, batchSize);
        failurePause = 10;
        if (!page.events().isEmpty()) {
          LogPosition next = page.next(readPosition);
          read.put(new Batch(page.events(), next));
          readPosition = next;
          pendingPause = 1;
        } else if (page.pending()) {
          Thread.sleep(pendingPause);
          pendingPause = Math.min(pendingPause * 2, MAX_PENDING_PAUSE_MILLIS);
        } else {
          pendingPause = 1;
          signal.awaitAfter(seen, pollInterval);
          woken = true;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        if (closed) {
          return;
        }
        log.warn("tail {}: reading the log after {} failed, retrying in {} ms", name, readPosition, failurePause, e);
        if (!pause(failurePause)) {
          return;
        }
        failurePause = Math.min(failurePause * 2, MAX_FAILURE_PAUSE_MILLIS);
      }
    }
  }

  private void deliverAll() {
    try {
      while (!closed) {
        deliver(read.take());
      }
    } catch (InterruptedException e) {
      // closed
    }
  }

  /** Delivers one batch until the consumer takes it; the position moves only after that. */
  private void deliver(Batch batch) throws InterruptedException {
    long failurePause = 10;
    while (!closed) {
      try {
        consumer.accept(batch.events());
        position = batch.next();
        return;
      } catch (InterruptedException e) {
        throw e;
      } catch (Exception e) {
        log.warn("tail {}: consumer failed on the batch after {}, redelivering in {} ms", name, position,
            failurePause, e);
        if (!pause(failurePause)) {
          throw new InterruptedException();
        }
        failurePause = Math.min(failurePause * 2, MAX_FAILURE_PAUSE_MILLIS);
      }
    }
  }

  private boolean pause(long millis) {
    try {
      Thread.sleep(millis);
      return !closed;
    } catch (InterruptedException e) {
      return false;
    }
  }

  /**
   * Wakes log tailers in this process after a commit. It is fired after the transaction has
   * committed, never inside it, so it adds no lock to the commit path (ARCHITECTURE.md decision 3);
   * tailers still poll slowly for commits made by other processes.
   */
  public static final class Signal {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile long sequence;

    public long sequence() {
      return sequence;
    }

    public void fire() {
      lock.lock();
      try {
        sequence++;
        changed.signalAll();
      } finally {
        lock.unlock();
      }
    }

    /** Waits until a commit after {@code seen} is signalled, or the timeout passes. */
    public void awaitAfter(long seen, Duration timeout) throws InterruptedException {
      long nanos = timeout.toNanos();
      lock.lock();
      try {
        while (sequence == seen && nanos > 0) {
          nanos = changed.awaitNanos(nanos);
        }
      } finally {
        lock.unlock();
      }
    }

  }
}
