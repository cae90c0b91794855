package dev.ordo.spring.command;

import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandLog;
import dev.ordo.command.CommandRecord;
import dev.ordo.command.CommandResult;
import dev.ordo.eventstore.AppendRequest;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command now, answers, and leaves its outcome in the command log: a command that appends
 * is recorded by its append, in the same transaction; one that changed nothing, or failed, is
 * recorded here.
 */
final class CommandRunner {

  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

  private final CommandBus bus;
  private final CommandLog commandLog;

  CommandRunner(CommandBus bus, CommandLog commandLog) {
    this.bus = bus;
    this.commandLog = commandLog;
  }

  /**
   * A failure another try would not change is recorded for replays; a passing one (database down,
   * conflict) frees the key of a command run at once for a retry, and leaves a deferred one pending
   * for the caller to run again.
   *
   * @param key         the request's Idempotency-Key, or null
   * @param fingerprint the request's fingerprint, or null
   * @param deferred    whether it was accepted earlier to run later
   */
  Answer run(CommandRoute route, CommandRequest request, String key, String fingerprint, String instance,
      boolean deferred) {
    UUID commandId = request.metadata().commandId();
    String type = route.type().getName();
    var completion = new AppendRequest.CommandCompletion(commandId, key, fingerprint, type, route.creates(),
        request.metadata().actor());
    var envelope = new CommandEnvelope<>(request.command(), request.aggregateId(), request.expected(route),
        request.metadata(), completion);
    try {
      CommandResult result = bus.dispatch(envelope);
      var succeeded = new CommandRecord.Succeeded(commandId, type, key, fingerprint, result.aggregateId(),
          result.version(), result.position(), route.creates());
      if (!result.appended()) {
        // nothing appended, so no append recorded it
        commandLog.complete(succeeded);
      }
      return Answer.success(succeeded, route);
    } catch (RuntimeException e) {
      Answer answer = Answer.problem(CommandFailure.from(e, instance));
      try {
        if (!answer.passing()) {
          commandLog.fail(commandId, answer.bodyText());
        } else if (!deferred) {
          commandLog.release(commandId);
        }
      } catch (RuntimeException logFailure) {
        log.warn("the failure of command {} was not recorded", commandId, logFailure);
      }
      return answer;
    }
  }
}
