package dev.ordo.spring.command;

import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandLog;
import dev.ordo.command.CommandRecord;
import dev.ordo.command.CommandResult;
import dev.ordo.eventstore.AppendRequest;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a command now, answers, and leaves its outcome in the command log: a command that appends
 * is recorded by its append, in the same transaction; one that changed nothing, or failed, is
 * recorded here. Each run is timed in {@code ordo.commands} by command type (the record's simple
 * name) and outcome: {@code succeeded}, or the type of the problem it was answered with
 * ({@code rule-broken}, {@code conflict}, {@code unavailable}…); a request refused before it became a
 * command (unreadable, too large, a repeated Idempotency-Key) is not a run.
 */
final class CommandRunner {

  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);
  /** Prometheus's usual buckets, as {@code http.server.requests} has them: p95 and p99 from few series. */
  private static final Duration[] BUCKETS = Stream.of(5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000)
      .map(Duration::ofMillis).toArray(Duration[]::new);

  private final CommandBus bus;
  private final CommandLog commandLog;
  private final MeterRegistry meters;
  /** By type and outcome: a registry lookup per command would cost more than the timing. */
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();

  CommandRunner(CommandBus bus, CommandLog commandLog, MeterRegistry meters) {
    this.bus = bus;
    this.commandLog = commandLog;
    this.meters = meters;
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
    long start = System.nanoTime();
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
      time(route, "succeeded", start);
      return Answer.success(succeeded, route);
    } catch (RuntimeException e) {
      CommandFailure failure = CommandFailure.from(e, instance);
      time(route, failure.type(), start);
      Answer answer = Answer.problem(failure);
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

  private void time(CommandRoute route, String outcome, long start) {
    String type = route.type().getSimpleName();
    timers.computeIfAbsent(type + " " + outcome, k -> Timer.builder("ordo.commands")
            .tag("type", type).tag("outcome", outcome).description("commands run, by type and outcome")
            .serviceLevelObjectives(BUCKETS).register(meters))
        .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
  }
}
