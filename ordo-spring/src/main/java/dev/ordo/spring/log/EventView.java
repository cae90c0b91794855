package dev.ordo.spring.log;

import com.fasterxml.jackson.annotation.JsonRawValue;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.RecordedEvent;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/** An event as API.md shows it; {@code data} is passed through as the JSON it is. */
record EventView(
    long position,
    UUID eventId,
    String streamId,
    String streamType,
    long version,
    String type,
    int schemaVersion,
    @JsonRawValue String data,
    Map<String, String> metadata,
    Instant occurredAt) {

  static EventView of(RecordedEvent e) {
    return new EventView(e.position(), e.eventId(), e.streamId(), e.streamType(), e.version(), e.type(),
        e.schemaVersion(), e.data(), metadata(e.metadata()), e.occurredAt());
  }

  private static Map<String, String> metadata(EventMetadata m) {
    Map<String, String> fields = new LinkedHashMap<>();
    if (m.correlationId() != null) {
      fields.put("correlationId", m.correlationId());
    }
    if (m.causationId() != null) {
      fields.put("causationId", m.causationId());
    }
    if (m.actor() != null) {
      fields.put("actor", m.actor());
    }
    if (m.commandId() != null) {
      fields.put("commandId", m.commandId());
    }
    if (m.traceParent() != null) {
      fields.put("traceparent", m.traceParent());
    }
    if (m.importedFrom() != null) {
      fields.put("importedFrom", m.importedFrom());
    }
    return fields;
  }
}
