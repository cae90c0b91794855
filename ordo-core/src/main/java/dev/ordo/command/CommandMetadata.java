package dev.ordo.command;

import dev.ordo.eventstore.EventMetadata;
import java.util.UUID;

/**
 * @param correlationId the request it came with ({@code X-Request-Id}) or a new id
 * @param caller        who asked (from the request's token), or null if nobody is known: then only
 *                      what needs no caller runs
 * @param traceParent   the W3C {@code traceparent} of the span it was sent in, or null: its events
 *                      carry it, so the trace goes on where they are consumed
 */
public record CommandMetadata(UUID commandId, String correlationId, String causationId, Caller caller,
    String traceParent) {

  public CommandMetadata(UUID commandId, String correlationId, String causationId, Caller caller) {
    this(commandId, correlationId, causationId, caller, null);
  }

  public CommandMetadata withTraceParent(String traceParent) {
    return new CommandMetadata(commandId, correlationId, causationId, caller, traceParent);
  }

  /** A command the platform's own code sends, as the system named {@code actor}. */
  public static CommandMetadata newCommand(String actor) {
    UUID id = dev.ordo.eventstore.TimeOrderedUuid.next();
    return new CommandMetadata(id, id.toString(), null, Caller.system(actor));
  }

  /** The caller's id, recorded in every event as its actor. */
  public String actor() {
    return caller == null ? null : caller.id();
  }

  /** What every event the command emits records about it. */
  public EventMetadata eventMetadata() {
    return new EventMetadata(correlationId, causationId, actor(), commandId.toString(), traceParent, null);
  }
}
