package dev.ordo.eventstore;

import java.time.Instant;
import java.util.UUID;

/**
 * An event as stored in the log, after upcasting: {@code schemaVersion} and {@code data} are
 * always in the current schema the registry knows.
 *
 * @param version the event's place in its stream, from 1
 */
public record RecordedEvent(
    LogPosition logPosition,
    UUID eventId,
    String streamId,
    String streamType,
    long version,
    String type,
    int schemaVersion,
    String data,
    EventMetadata metadata,
    Instant occurredAt) {

  /** The global position clients see. */
  public long position() {
    return logPosition.position();
  }

  public RecordedEvent withSchema(int schemaVersion, String data) {
    return new RecordedEvent(
        logPosition, eventId, streamId, streamType, version, type, schemaVersion, data, metadata, occurredAt);
  }
}
