package dev.ordo.command;

import dev.ordo.eventstore.EventMetadata;
import java.util.UUID;

/**
 * @param correlationId the request it came with ({@code X-Request-Id}) or a new id
 * @param actor         who asked ({@code X-User-Id}), or null
 */
public record CommandMetadata(UUID commandId, String correlationId, String causationId, String actor) {

  public static CommandMetadata newCommand(String actor) {
    UUID id = dev.ordo.eventstore.TimeOrderedUuid.next();
    return new CommandMetadata(id, id.toString(), null, actor);
  }

  /** What every event the command emits records about it. */
  public EventMetadata eventMetadata() {
    return new EventMetadata(correlationId, causationId, actor, commandId.toString());
  }
}
