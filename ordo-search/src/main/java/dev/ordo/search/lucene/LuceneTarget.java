package dev.ordo.search.lucene;

import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.Target;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.search.IndexBatch;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.lucene.store.AlreadyClosedException;

/**
 * One generation of an embedded index as a target of the consumer mechanism (ARCHITECTURE.md
 * decision 6): a batch's documents and the position after it are applied together, searchable at
 * once, and committed together by {@link LuceneIndex} within a second. The index is
 * this process's own (the writer's lock file keeps other processes out), so leading needs no
 * lease; dead letters go where the application keeps its consumers' ({@code parking}).
 *
 * @param <P> the source's position, stored as text in the commit
 */
public final class LuceneTarget<P> implements Target<IndexBatch, P> {

  private final LuceneIndexes indexes;
  private final LuceneIndex index;
  private final String name;
  private final P start;
  private final Function<P, String> encode;
  private final Function<String, P> decode;
  private final Checkpoints<P> parking;

  public LuceneTarget(LuceneIndexes indexes, LuceneIndex index, String name, P start, Function<P, String> encode,
      Function<String, P> decode, Checkpoints<P> parking) {
    this.indexes = indexes;
    this.index = index;
    this.name = name;
    this.start = start;
    this.encode = encode;
    this.decode = decode;
    this.parking = parking;
  }

  @Override
  public String name() {
    return name + "_g" + index.generation();
  }

  public LuceneIndex index() {
    return index;
  }

  @Override
  public Optional<P> checkpoint() {
    return index.checkpoint().map(decode);
  }

  /**
   * Always granted: the index is this process's own. It ends when the generation retires, or when
   * the writer went back to its last commit (a failed write): the runner then starts again from the
   * committed position.
   */
  @Override
  public Optional<Lease> lead() {
    int incarnation = index.incarnation();
    return Optional.of(new Lease() {
      @Override
      public boolean held() {
        return !index.retired() && index.incarnation() == incarnation;
      }

      @Override
      public void close() {}
    });
  }

  @Override
  public boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof IOException || t instanceof java.io.UncheckedIOException || t instanceof AlreadyClosedException) {
        return true;
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
    if (building() && drained.test(checkpoint().orElse(start))) {
      index.commit();
      indexes.takeOver(index);
    }
  }

  @Override
  public Transaction<IndexBatch, P> begin() {
    Optional<String> began = index.checkpoint();
    LuceneBatch batch = new LuceneBatch(index);
    return new Transaction<>() {
      private P to;
      private boolean caughtUp;

      @Override
      public P checkpoint() {
        return began.map(decode).orElse(start);
      }

      @Override
      public IndexBatch work() {
        return batch;
      }

      @Override
      public void move(P to, long applied) {
        if (!index.checkpoint().equals(began) || index.retired()) {
          throw new IllegalStateException("the checkpoint of " + name() + " moved meanwhile");
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

      /**
       * Searchable at once, durable within a second (the index commits on its own); a batch that
       * purges is committed at once, its replaced documents merged away.
       */
      @Override
      public void commit() throws Exception {
        if (to != null) {
          index.apply(batch.documents(), encode.apply(to), batch.purges());
        }
        if (caughtUp) {
          index.commit();
          indexes.takeOver(index);
        }
      }

      @Override
      public void close() {}
    };
  }
}
