package dev.ordo.eventstore;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Wakes log tailers in this process after a commit. It is fired after the transaction has
 * committed, never inside it, so it adds no lock to the commit path (ARCHITECTURE.md decision 3);
 * tailers still poll slowly for commits made by other processes.
 */
public final class CommitSignal {

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
