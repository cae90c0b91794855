package dev.ordo.consumer;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.Subscription;
import java.util.List;

/**
 * Ordered events with resumable positions: the local log (a position is the log's {@code (tx,
 * position)}), Kafka partitions in distributed mode (an offset per partition). The runner never
 * looks inside a position: it keeps the one after the last event applied and hands it to the
 * target, which stores it with its effect.
 *
 * @param <P> where a consumer stands after an event
 */
public interface Source<P> {

  /** The local log of this process's event store. */
  static Source<LogPosition> log(EventStore store) {
    return new LogSource(store);
  }

  /** Before the first event. */
  P start();

  /**
   * Delivers the events after {@code after} in batches of at most {@code batchSize}, in order, then
   * keeps following the source until the tail is closed. A batch the handler throws on is
   * delivered again after a pause: nothing is ever skipped.
   */
  Subscription subscribe(String name, P after, int batchSize, Handler<P> handler);

  /**
   * Whether a consumer standing at {@code checkpoint} has applied the event delivered at {@code
   * position} (a batch committed whose acknowledgement was lost is delivered again).
   */
  boolean covers(P checkpoint, P position);

  /** How far a consumer standing at {@code at} is behind. */
  Lag lag(P at);

  /** Events in source order, each with the position a consumer stands at once it has applied it. */
  record Batch<P>(List<RecordedEvent> events, List<P> positions) {

    public Batch {
      if (events.size() != positions.size()) {
        throw new IllegalArgumentException("one position per event");
      }
    }

    public int size() {
      return events.size();
    }
  }

  @FunctionalInterface
  interface Handler<P> {
    void accept(Batch<P> batch) throws Exception;
  }

  /**
   * @param events events not yet applied
   * @param millis age of the oldest of them, 0 when none
   */
  record Lag(long events, long millis) {}
}
