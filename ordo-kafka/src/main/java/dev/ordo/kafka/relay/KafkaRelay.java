package dev.ordo.kafka.relay;

import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.Target;
import dev.ordo.eventstore.RecordedEvent;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.errors.RetriableException;

/**
 * The relay as a target (ARCHITECTURE.md decisions 1 and 11): its effect is records acknowledged
 * by the broker, so its checkpoint, kept in {@link Checkpoints} beside the log, moves only once
 * every record of the batch is acknowledged ({@link Relay#flush}). A crash in between publishes
 * the batch again; consumers drop what they have (the records carry their log position).
 *
 * @param <P> the log's position
 */
public final class KafkaRelay<P> implements Target<Publisher, P> {

  private final String name;
  private final P start;
  private final Publisher publisher;
  private final Checkpoints<P> checkpoints;
  private final Predicate<Throwable> transientStoreFailure;

  /**
   * @param transientStoreFailure which failures of the checkpoint store say nothing about the event
   *                              (the database went away): retried without end, as the broker's are
   */
  public KafkaRelay(String name, P start, Publisher publisher, Checkpoints<P> checkpoints,
      Predicate<Throwable> transientStoreFailure) {
    this.name = name;
    this.start = start;
    this.publisher = publisher;
    this.checkpoints = checkpoints;
    this.transientStoreFailure = transientStoreFailure;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public Optional<P> checkpoint() {
    return checkpoints.load(name);
  }

  @Override
  public Optional<Lease> lead() {
    return checkpoints.lead(name);
  }

  @Override
  public boolean isTransient(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof RetriableException || t instanceof org.apache.kafka.common.errors.TimeoutException) {
        return true;
      }
    }
    return transientStoreFailure.test(failure);
  }

  @Override
  public boolean blocked() {
    return checkpoints.blocked(name);
  }

  @Override
  public Transaction<Publisher, P> begin() {
    Optional<P> saved = checkpoints.load(name);
    return new Transaction<>() {
      private P to;

      @Override
      public P checkpoint() {
        return saved.orElse(start);
      }

      @Override
      public Publisher work() {
        return publisher;
      }

      @Override
      public void move(P to, long applied) {
        this.to = to;
      }

      @Override
      public void park(RecordedEvent event, P position, String error, int attempts, boolean blocking) {
        checkpoints.park(name, event, position, error, attempts, blocking);
      }

      @Override
      public void commit() throws Exception {
        publisher.awaitAcknowledged(); // never a checkpoint past a record the broker may not have
        if (to != null) {
          checkpoints.save(name, saved, to);
        }
      }

      @Override
      public void close() {
        publisher.forget(); // what was sent stays sent: consumers drop the repeat
      }
    };
  }
}
