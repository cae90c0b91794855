package dev.ordo.eventstore;

/**
 * Who and what caused an event. Every field may be null; none is interpreted by the store.
 *
 * @param correlationId the request or conversation the event belongs to ({@code X-Request-Id})
 * @param causationId   the command or event that caused it
 * @param actor         the user or system that asked for it (the token's subject)
 * @param commandId     the id of the command that emitted it
 * @param traceParent   the W3C {@code traceparent} of the span that wrote it, so a consumer's span
 *                      continues the trace that began at the HTTP edge
 * @param importedFrom  set on events an import made from another system's data: the record it
 *                      came from (as {@code p_product/42}); null for events a command decided
 */
public record EventMetadata(String correlationId, String causationId, String actor, String commandId,
    String traceParent, String importedFrom) {

  public static final EventMetadata NONE = new EventMetadata(null, null, null, null);

  public EventMetadata(String correlationId, String causationId, String actor, String commandId) {
    this(correlationId, causationId, actor, commandId, null, null);
  }

  public EventMetadata withTraceParent(String traceParent) {
    return new EventMetadata(correlationId, causationId, actor, commandId, traceParent, importedFrom);
  }

  public EventMetadata withImportedFrom(String importedFrom) {
    return new EventMetadata(correlationId, causationId, actor, commandId, traceParent, importedFrom);
  }
}
