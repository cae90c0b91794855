package dev.ordo.eventstore;

public interface LogSubscriber {

  /**
   * Delivers every event after {@code after} to the consumer, in log order and in batches of at
   * most {@code batchSize}, then keeps tailing until the subscription is closed. A batch the
   * consumer throws on is delivered again after a pause; nothing is ever skipped.
   */
  Subscription subscribe(String name, LogPosition after, int batchSize, Consumer consumer);

  /** Takes a batch of the log; throwing has the batch delivered again after a pause. */
  @FunctionalInterface
  interface Consumer {
    void accept(java.util.List<RecordedEvent> batch) throws Exception;
  }
}
