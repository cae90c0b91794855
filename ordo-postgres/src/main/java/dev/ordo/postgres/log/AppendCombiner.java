package dev.ordo.postgres.log;

import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.eventstore.NewEvent;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.sql.DataSource;

/**
 * Write-combining appends (ARCHITECTURE.md decision 4). Callers queue their appends; a few writer
 * threads each take every queued append they can and write them in one transaction with one
 * multi-row insert ({@link BatchWriter}). Expected versions are checked per append against the
 * stream heads of that batch, so each append still succeeds or conflicts on its own. A batch forms
 * while the previous commit is in flight: no timer, no added latency when the store is idle.
 *
 * <p>Invariants: a stream is never in two open batches of this process (the heads a batch reads
 * stay true until it commits); an event id is never twice in one batch. A writer in another
 * process that races us makes the insert fail on the primary key, and the batch is retried.
 */
final class AppendCombiner implements AutoCloseable {

  private final BatchWriter batchWriter;
  private final int maxBatchEvents;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<PendingAppend> queue = new ArrayDeque<>();
  private final Set<String> busyStreams = new HashSet<>();
  private final List<Thread> writers = new ArrayList<>();
  private boolean closed;

  AppendCombiner(DataSource dataSource, int writerCount, int maxBatchEvents, Runnable afterCommit) {
    this.batchWriter = new BatchWriter(dataSource, afterCommit);
    this.maxBatchEvents = maxBatchEvents;
    for (int i = 0; i < writerCount; i++) {
      Thread writer = Thread.ofPlatform().name("ordo-append-" + i).daemon().unstarted(this::writeLoop);
      writers.add(writer);
      writer.start();
    }
  }

  AppendResult append(AppendRequest request) {
    String streamId = request.streamId();
    var pending = new PendingAppend(request, new CompletableFuture<>());
    lock.lock();
    try {
      if (closed) {
        throw new EventStoreException("the event store is closed");
      }
      queue.add(pending);
      changed.signal();
    } finally {
      lock.unlock();
    }
    try {
      return pending.result().get();
    } catch (InterruptedException e) {
      // The append may still be written; a retry with the same event ids is answered idempotently.
      Thread.currentThread().interrupt();
      throw new EventStoreException("interrupted while appending to " + streamId, e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new EventStoreException("append to " + streamId + " failed", e.getCause());
    }
  }

  @Override
  public void close() {
    lock.lock();
    try {
      closed = true;
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    for (Thread writer : writers) {
      try {
        writer.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void writeLoop() {
    List<PendingAppend> batch;
    while ((batch = takeBatch()) != null) {
      try {
        batchWriter.write(batch);
      } catch (RuntimeException | Error e) {
        batch.forEach(p -> p.result().completeExceptionally(e));
      } finally {
        release(batch);
      }
    }
  }

  /** Waits for appends and takes as many as one batch may hold; null once closed and drained. */
  private List<PendingAppend> takeBatch() {
    lock.lock();
    try {
      while (true) {
        List<PendingAppend> batch = new ArrayList<>();
        Set<UUID> ids = new HashSet<>();
        Set<String> streams = new HashSet<>();
        int events = 0;
        for (Iterator<PendingAppend> it = queue.iterator(); it.hasNext() && events < maxBatchEvents; ) {
          PendingAppend p = it.next();
          if (busyStreams.contains(p.streamId()) || !disjoint(ids, p.events())) {
            continue;
          }
          it.remove();
          batch.add(p);
          streams.add(p.streamId());
          p.events().forEach(e -> ids.add(e.eventId()));
          events += p.events().size();
        }
        if (!batch.isEmpty()) {
          busyStreams.addAll(streams);
          return batch;
        }
        if (closed && queue.isEmpty()) {
          return null;
        }
        changed.awaitUninterruptibly();
      }
    } finally {
      lock.unlock();
    }
  }

  private static boolean disjoint(Set<UUID> ids, List<NewEvent> events) {
    for (NewEvent e : events) {
      if (ids.contains(e.eventId())) {
        return false;
      }
    }
    return true;
  }

  private void release(List<PendingAppend> batch) {
    lock.lock();
    try {
      batch.forEach(p -> busyStreams.remove(p.streamId()));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }
}
