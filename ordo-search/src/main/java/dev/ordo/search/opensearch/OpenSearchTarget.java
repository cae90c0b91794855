package dev.ordo.search.opensearch;

import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.Target;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.search.IndexBatch;
import dev.ordo.search.SearchIndexes.Positions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * One generation of an index in OpenSearch as a target of the consumer mechanism (ARCHITECTURE.md
 * decisions 6 and 10): a batch is kept in memory, then written in one {@code _bulk} with external
 * versions and followed by its checkpoint document with the same version. OpenSearch has no
 * transaction, so the effect is made idempotent instead: a batch replayed after a failure writes
 * the same version and is refused as a conflict, which counts as done.
 *
 * <p>The version of a batch is the position it ends at ({@link Positions#version}), and at least one
 * more than the committed checkpoint's, so it grows with every batch even where positions are not
 * strictly ordered by their number (the log is ordered by transaction first).
 *
 * @param <P> the source's position, stored as text in the checkpoint document
 */
public final class OpenSearchTarget<P> implements Target<IndexBatch, P> {

  private final OpenSearchIndexes indexes;
  private final OpenSearchIndex index;
  private final String name;
  private final Positions<P> positions;
  private final Checkpoints<P> parking;

  public OpenSearchTarget(OpenSearchIndexes indexes, OpenSearchIndex index, String name, Positions<P> positions,
      Checkpoints<P> parking) {
    this.indexes = indexes;
    this.index = index;
    this.name = name;
    this.positions = positions;
    this.parking = parking;
  }

  @Override
  public String name() {
    return name + "_g" + index.generation();
  }

  @Override
  public Optional<P> checkpoint() {
    try {
      return index.checkpoint().map(c -> positions.decode().apply(c.position()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Any process may write: external versions keep concurrent writers from going back in time. */
  @Override
  public Optional<Lease> lead() {
    return Optional.of(new Lease() {
      @Override
      public boolean held() {
        return !index.retired();
      }

      @Override
      public void close() {}
    });
  }

  @Override
  public boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof OpenSearchHttp.Failure answered) {
        return answered.transientStatus();
      }
      if (t instanceof IOException) {
        return true; // unreachable, timed out
      }
    }
    return false;
  }

  @Override
  public boolean blocked() {
    return parking.blocked(name);
  }

  @Override
  public boolean building() {
    return indexes.building().orElse(null) == index;
  }

  @Override
  public boolean retired() {
    return index.retired();
  }

  @Override
  public void takeOverIfDrained(Predicate<P> drained) throws Exception {
    if (building() && drained.test(checkpoint().orElse(positions.start()))) {
      indexes.takeOver(index);
    }
  }

  @Override
  public Transaction<IndexBatch, P> begin() throws IOException {
    Optional<OpenSearchIndex.Checkpoint> began = index.checkpoint();
    OpenSearchBatch batch = new OpenSearchBatch(index, indexes.documents(), indexes.writes());
    return new Transaction<>() {
      private P to;
      private boolean caughtUp;

      @Override
      public P checkpoint() {
        return began.map(c -> positions.decode().apply(c.position())).orElse(positions.start());
      }

      @Override
      public IndexBatch work() {
        return batch;
      }

      @Override
      public void move(P to, long applied) {
        if (index.retired()) {
          throw new IllegalStateException(name() + " retired meanwhile");
        }
        this.to = to;
      }

      @Override
      public void park(RecordedEvent event, P position, String error, int attempts, boolean blocking) {
        parking.park(name, event, position, error, attempts, blocking);
      }

      @Override
      public void takeOverIfCaughtUp(P at) {
        caughtUp = true;
      }

      @Override
      public void commit() throws Exception {
        if (to != null) {
          long version = Math.max(positions.version().applyAsLong(to),
              began.map(OpenSearchIndex.Checkpoint::version).orElse(0L) + 1);
          index.commit(batch.documents(), positions.encode().apply(to), version);
          if (batch.purges()) {
            index.expungeDeletes();
          }
        }
        if (caughtUp) {
          indexes.takeOver(index);
        }
      }

      @Override
      public void close() {}
    };
  }
}
