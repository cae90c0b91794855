package dev.ordo.eventstore;

public interface StreamReader {

  /** The stream's events from {@code fromVersion} on (inclusive), in version order. */
  EventStream readStream(String streamId, long fromVersion);
}
