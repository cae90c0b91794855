package dev.ordo.command;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The command log: commands accepted and not yet done, and the outcomes of those that are. A
 * command that appended events is recorded by its append, in the same transaction
 * ({@link dev.ordo.eventstore.CommandCompletion}); everything else is recorded here.
 *
 * <p>A sender of commands with deterministic ids (a process reacting to events) asks
 * {@link #find} before sending, and skips a command already {@link CommandRecord.Succeeded}.
 */
public interface CommandLog {

  Optional<CommandRecord> find(UUID commandId);

  Optional<CommandRecord> findByKey(String idempotencyKey);

  /** Who asked for the command, if that was recorded: only they and admins read its status. */
  Optional<String> actor(UUID commandId);

  /**
   * Records a command as accepted and not yet done.
   *
   * @return false when its Idempotency-Key is held by another command already
   */
  boolean accept(CommandRecord.Pending command);

  /** Records a command that succeeded without appending (it changed nothing). */
  void complete(CommandRecord.Succeeded command);

  /** Records that an accepted command failed, with the problem answered. */
  void fail(UUID commandId, String problem);

  /** Forgets an accepted command that can be tried again (it failed for a passing reason). */
  void release(UUID commandId);

  /** The commands accepted to run later and not done, oldest first. */
  List<CommandRecord.Pending> deferred();

  /** Frees the keys held by commands that were to run at once and never finished (their process died). */
  int removeAbandonedClaims(Duration olderThan);

  /** Removes the records past their retention (24 hours). */
  int removeExpired();
}
