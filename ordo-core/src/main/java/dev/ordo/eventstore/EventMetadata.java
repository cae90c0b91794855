package dev.ordo.eventstore;

/**
 * Who and what caused an event. Every field may be null; none is interpreted by the store.
 *
 * @param correlationId the request or conversation the event belongs to ({@code X-Request-Id})
 * @param causationId   the command or event that caused it
 * @param actor         the user or system that asked for it ({@code X-User-Id})
 * @param commandId     the id of the command that emitted it
 */
public record EventMetadata(String correlationId, String causationId, String actor, String commandId) {

  public static final EventMetadata NONE = new EventMetadata(null, null, null, null);
}
