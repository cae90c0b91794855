package dev.ordo.spring.command;

import dev.ordo.command.CommandLog;
import dev.ordo.command.CommandRecord;
import dev.ordo.spring.problem.InvalidInputException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Commands sent with {@code Prefer: respond-async}: checked, stored in the command log before the
 * 202 is answered, then run in the background. One that fails for a passing reason is tried again
 * with backoff, and recorded as failed after {@value #ATTEMPTS} tries; one the app stopped before
 * finishing runs at the next start.
 */
final class AcceptedCommands {

  private static final Logger log = LoggerFactory.getLogger(AcceptedCommands.class);
  /** Tries of an accepted command that fail for passing reasons before it is recorded as failed. */
  private static final int ATTEMPTS = 8;

  private final CommandLog commandLog;
  private final Idempotency idempotency;
  private final CommandRunner runner;
  /** Run again here: an invalid command is refused before it is accepted, not after. */
  private final ValidationInterceptor validation;
  /** The routes by command type, filled once at start-up. */
  private final Map<String, CommandRoute> routes;
  private final ExecutorService workers = Executors.newFixedThreadPool(4,
      Thread.ofPlatform().name("ordo-async-command-", 0).daemon().factory());
  private final ScheduledExecutorService retries =
      Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("ordo-async-retry").daemon().factory());

  AcceptedCommands(CommandLog commandLog, Idempotency idempotency, CommandRunner runner,
      ValidationInterceptor validation, Map<String, CommandRoute> routes) {
    this.commandLog = commandLog;
    this.idempotency = idempotency;
    this.runner = runner;
    this.validation = validation;
    this.routes = routes;
  }

  /** Accepts a command to run later: 202, or the answer for the request that holds its key. */
  Answer accept(CommandRoute route, CommandRequest request, String key, String fingerprint, String instance) {
    try {
      validation.check(request.command());
    } catch (InvalidInputException e) {
      return Answer.problem(CommandFailure.from(e, instance));
    }
    CommandRecord.Pending accepted = request.deferred(route.type().getName(), key, fingerprint);
    Optional<Answer> holder = idempotency.claim(accepted, route, instance);
    if (holder.isPresent()) {
      return holder.get();
    }
    workers.execute(() -> run(accepted.commandId(), 1));
    return idempotency.accepted(accepted.commandId());
  }

  /** Runs again every accepted command that had not finished when the app stopped. */
  void resume() {
    try {
      commandLog.removeAbandonedClaims(Duration.ofMinutes(1));
      var pending = commandLog.deferred();
      if (!pending.isEmpty()) {
        log.info("resuming {} accepted commands", pending.size());
      }
      pending.forEach(accepted -> workers.execute(() -> run(accepted.commandId(), 1)));
    } catch (RuntimeException e) {
      log.warn("accepted commands not resumed at start-up", e);
    }
  }

  private void run(UUID commandId, int attempt) {
    try {
      if (!(commandLog.find(commandId).orElse(null) instanceof CommandRecord.Pending accepted)) {
        return;
      }
      CommandRoute route = routes.get(accepted.commandType());
      String instance = "/api/v1/commands/" + commandId;
      Answer answer = runner.run(route, CommandRequest.of(accepted, route), accepted.idempotencyKey(),
          accepted.fingerprint(), instance, true);
      if (answer.passing() && attempt >= ATTEMPTS) {
        commandLog.fail(commandId, answer.bodyText());
      } else if (answer.passing()) {
        retryLater(commandId, attempt);
      }
    } catch (RuntimeException e) {
      log.warn("accepted command {} could not run (attempt {})", commandId, attempt, e);
      retryLater(commandId, attempt);
    }
  }

  /** Tries an accepted command again later; if the app stops first, the next start resumes it. */
  private void retryLater(UUID commandId, int attempt) {
    retries.schedule(() -> workers.execute(() -> run(commandId, attempt + 1)),
        Math.min(30_000, 500L << Math.min(attempt, 6)), TimeUnit.MILLISECONDS);
  }
}
