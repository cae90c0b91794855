package dev.ordo.spring.process;

import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandLog;
import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.consumer.ProcessTarget;
import dev.ordo.consumer.Source;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.checkpoints.PostgresCheckpoints;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.springframework.context.SmartLifecycle;

/**
 * The application's processes, each run by a {@link ConsumerRunner} over the local log into a
 * {@link ProcessTarget} whose checkpoint, lease and dead letters are in the write database.
 *
 * <p>They run while the context runs: a lifecycle starts them once every bean exists, so the
 * contexts have registered their handlers on the bus before a process sends its first command,
 * and stops them before the data sources close.
 */
public final class Processes implements SmartLifecycle, AutoCloseable {

  /** Batch size and attempts before an event is parked as a dead letter. */
  public record Settings(int batchSize, int maxAttempts) {
    public static final Settings DEFAULTS = new Settings(500, 5);
  }

  private final Source<LogPosition> source;
  private final CommandBus bus;
  private final CommandLog commandLog;
  private final PostgresCheckpoints checkpoints;
  private final Map<String, ProcessProjection> projections = new LinkedHashMap<>();
  private final Settings settings;
  private final Map<String, ConsumerRunner<ProcessTarget.Commands, LogPosition>> runners = new ConcurrentHashMap<>();
  private volatile boolean running;

  /** @param writeDatabase where the processes' checkpoints are: the event store's database */
  public Processes(EventStore store, CommandBus bus, CommandLog commandLog, DataSource writeDatabase,
      List<ProcessProjection> projections, Settings settings) {
    this.source = Source.log(store);
    this.bus = bus;
    this.commandLog = commandLog;
    this.checkpoints = new PostgresCheckpoints(writeDatabase);
    this.settings = settings;
    for (ProcessProjection projection : projections) {
      if (this.projections.putIfAbsent(projection.name(), projection) != null) {
        throw new IllegalStateException("two processes are named " + projection.name());
      }
    }
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    for (ProcessProjection projection : projections.values()) {
      var target = new ProcessTarget<>(projection.name(), LogPosition.START, bus, commandLog, checkpoints,
          DatabaseErrors::isTransient);
      runners.put(projection.name(),
          new ConsumerRunner<>(source, target, projection, settings.batchSize(), settings.maxAttempts()).start());
    }
    running = true;
  }

  @Override
  public synchronized void stop() {
    runners.values().forEach(ConsumerRunner::close);
    runners.clear();
    running = false;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  @Override
  public void close() {
    stop();
  }

  /** The names of the processes this application has, run or not. */
  public List<String> names() {
    return List.copyOf(projections.keySet());
  }

  public List<ProcessStatus> statuses() {
    return projections.keySet().stream().map(name -> status(name).orElseThrow()).toList();
  }

  /**
   * Where a process stands; STOPPED while the application does not run it (before start, after
   * stop). A process another instance leads is on STANDBY, at the checkpoint that instance saved.
   */
  public Optional<ProcessStatus> status(String name) {
    ProcessProjection projection = projections.get(name);
    if (projection == null) {
      return Optional.empty();
    }
    var runner = runners.get(name);
    LogPosition at = runner != null ? runner.position() : checkpoints.load(name).orElse(LogPosition.START);
    String state = runner == null ? "STOPPED"
        : runner.halted() ? "HALTED"
        : !runner.leading() ? "STANDBY"
        : runner.stalled() ? "STALLED" : "RUNNING";
    var lag = source.lag(at);
    return Optional.of(new ProcessStatus(name, projection.onFailure().name(), state, at.position(), lag.events(),
        lag.millis(), checkpoints.parked(name)));
  }

  /** The events a process parked, oldest first; empty for a process this application does not have. */
  public List<PostgresCheckpoints.DeadLetter> deadLetters(String name) {
    return projections.containsKey(name) ? checkpoints.deadLetters(name) : List.of();
  }

  /**
   * Retries (the process stopped at it applies it again when it goes on, within a second) or skips
   * (its checkpoint moves past it) a parked event; false when there is no such parked event.
   */
  public boolean resolve(String name, long deadLetterId, boolean retry) {
    return projections.containsKey(name) && checkpoints.resolve(name, deadLetterId, retry);
  }
}
