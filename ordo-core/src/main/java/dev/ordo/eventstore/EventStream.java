package dev.ordo.eventstore;

import java.util.List;

/**
 * Part of one stream.
 *
 * @param version the stream's current version; 0 when the stream does not exist
 * @param events  the events read, possibly fewer than the stream has
 */
public record EventStream(String streamId, long version, List<RecordedEvent> events) {

  public boolean exists() {
    return version > 0;
  }
}
