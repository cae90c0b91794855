package dev.ordo.eventstore;

/** A running tail of a source; closing it waits for the delivery in progress. */
public interface Subscription extends AutoCloseable {

  /** Stops tailing and waits for the delivery in progress to end. */
  @Override
  void close();
}
