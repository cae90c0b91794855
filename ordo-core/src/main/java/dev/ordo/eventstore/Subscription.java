package dev.ordo.eventstore;

/** A running tail of the log. */
public interface Subscription extends AutoCloseable {

  /** The position of the last event delivered. */
  LogPosition position();

  /** Stops tailing and waits for the delivery in progress to end. */
  @Override
  void close();
}
