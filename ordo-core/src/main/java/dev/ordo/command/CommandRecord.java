package dev.ordo.command;

import java.util.UUID;

/**
 * Where a command is, as the {@link CommandLog} keeps it: accepted and not done, done, or failed.
 * A {@code switch} over it says what a client may do next: wait, answer the same again, or not
 * send it twice.
 */
public sealed interface CommandRecord {

  UUID commandId();

  /** The command record's class name. */
  String commandType();

  /** The key the client sent the command with, or null. */
  String idempotencyKey();

  /** Identifies the request the key was first used with, or null. */
  String fingerprint();

  /**
   * Accepted and not done. With a payload it is to run later, and survives a restart; without one
   * it only holds its Idempotency-Key while it runs.
   *
   * @param aggregateId     the aggregate it is for, or null
   * @param payload         the command as JSON, or null
   * @param metadata        what travels with it, or null
   * @param expectedVersion the version the client expects, or null for any
   */
  record Pending(UUID commandId, String commandType, String idempotencyKey, String fingerprint, String aggregateId,
      String payload, CommandMetadata metadata, Long expectedVersion) implements CommandRecord {

    /** A command that only holds its key while it runs now. */
    public static Pending running(UUID commandId, String commandType, String idempotencyKey, String fingerprint) {
      return new Pending(commandId, commandType, idempotencyKey, fingerprint, null, null, null, null);
    }

    /** Whether it is to run later (and is run again after a restart). */
    public boolean deferred() {
      return payload != null;
    }
  }

  /**
   * Done: its events are stored (or it had nothing to change).
   *
   * @param version  the aggregate's version after the command
   * @param position the global position of its last event
   * @param created  whether it created the aggregate
   */
  record Succeeded(UUID commandId, String commandType, String idempotencyKey, String fingerprint, String aggregateId,
      long version, long position, boolean created) implements CommandRecord {}

  /**
   * Refused, or given up on: nothing of it is stored.
   *
   * @param problem the RFC 9457 problem document first answered, as JSON
   */
  record Failed(UUID commandId, String commandType, String idempotencyKey, String fingerprint, String problem)
      implements CommandRecord {}
}
