package dev.ordo.eventstore;

import java.util.UUID;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * An append with what must commit or fail with it: unique keys to claim and release, and the
 * command log record of the command that emitted the events.
 */
public record AppendRequest(String streamId, String streamType, ExpectedVersion expected, List<NewEvent> events,
    Set<UniqueKey> claims, Set<UniqueKey> releases, CommandCompletion completion) {

  public AppendRequest {
    Objects.requireNonNull(expected, "expected version");
    events = events == null ? List.of() : List.copyOf(events);
    claims = claims == null ? Set.of() : Set.copyOf(claims);
    releases = releases == null ? Set.of() : Set.copyOf(releases);
  }

  public static AppendRequest of(String streamId, String streamType, ExpectedVersion expected, List<NewEvent> events) {
    return new AppendRequest(streamId, streamType, expected, events, Set.of(), Set.of(), null);
  }

  /** Checks what every store refuses before touching storage. */
  public void validate(EventTypes types) {
    if (streamId == null || streamId.isBlank() || streamId.length() > 200) {
      throw new IllegalArgumentException("stream id must have 1 to 200 characters");
    }
    if (streamType == null || streamType.isBlank()) {
      throw new IllegalArgumentException("stream type must not be blank");
    }
    if (events.isEmpty()) {
      throw new IllegalArgumentException("nothing to append");
    }
    events.forEach(types::requireWritable);
  }

  /**
   * The command log's record of a command that succeeded, written in the transaction of its
   * append: a command whose events are stored is always recorded as done, and the other way round.
   * The aggregate, version and position of the record are the append's.
   *
   * @param idempotencyKey the client's key, or null
   * @param fingerprint    identifies the request the key was first used with, or null
   * @param created        whether the command created its aggregate
   * @param actor          who asked, or null: only they and admins may read its status
   */
  public record CommandCompletion(UUID commandId, String idempotencyKey, String fingerprint, String commandType,
      boolean created, String actor) {}
}
