package dev.ordo.eventstore;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * An event about to be appended. Its data must be a JSON object; anything else is refused here,
 * before it can reach a database.
 *
 * @param eventId       unique across the log; appending the same id again is idempotent
 * @param type          the event type name as the registry knows it
 * @param schemaVersion the schema version {@code data} is written in, from 1
 * @param occurredAt    when it happened, if not at its append (an import keeps the original
 *                      times); null: the time of the append
 */
public record NewEvent(UUID eventId, String type, int schemaVersion, String data, EventMetadata metadata,
    Instant occurredAt) {

  private static final JsonFactory JSON = new JsonFactory();

  public NewEvent {
    Objects.requireNonNull(eventId, "eventId");
    if (type == null || type.isBlank()) {
      throw new IllegalArgumentException("event type must not be blank");
    }
    if (schemaVersion < 1) {
      throw new IllegalArgumentException("schema version must be at least 1, was " + schemaVersion);
    }
    requireJsonObject(data);
    metadata = metadata == null ? EventMetadata.NONE : metadata;
  }

  public NewEvent(UUID eventId, String type, int schemaVersion, String data, EventMetadata metadata) {
    this(eventId, type, schemaVersion, data, metadata, null);
  }

  /** A new event with a fresh time-ordered id and no metadata. */
  public static NewEvent of(String type, int schemaVersion, String data) {
    return new NewEvent(TimeOrderedUuid.next(), type, schemaVersion, data, EventMetadata.NONE);
  }

  public NewEvent withMetadata(EventMetadata metadata) {
    return new NewEvent(eventId, type, schemaVersion, data, metadata, occurredAt);
  }

  /** The same event, recorded as having happened at {@code occurredAt} (an import's original time). */
  public NewEvent withOccurredAt(Instant occurredAt) {
    return new NewEvent(eventId, type, schemaVersion, data, metadata, occurredAt);
  }

  private static void requireJsonObject(String data) {
    if (data == null) {
      throw new IllegalArgumentException("event data must be a JSON object, was null");
    }
    try (JsonParser parser = JSON.createParser(ObjectReadContext.empty(), data)) {
      if (parser.nextToken() != JsonToken.START_OBJECT) {
        throw new IllegalArgumentException("event data must be a JSON object");
      }
      parser.skipChildren();
      if (parser.nextToken() != null) {
        throw new IllegalArgumentException("event data must be a single JSON object");
      }
    } catch (JacksonException e) {
      throw new IllegalArgumentException("event data is not valid JSON: " + e.getOriginalMessage());
    }
  }
}
