package dev.ordo.spring.process;

import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandLog;
import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.consumer.ProcessTarget;
import dev.ordo.consumer.Source;
import dev.ordo.consumer.Target;
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
 * The application's processes and other {@link LogConsumer}s (the Kafka relay), each run by a
 * {@link ConsumerRunner} over the local log into a target whose checkpoint, lease and dead letters
 * are in the write database: a {@link ProcessTarget} for a process.
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
  private final Map<String, LogConsumer<?>> consumers = new LinkedHashMap<>();
  private final Map<String, Watched> watched = new ConcurrentHashMap<>();
  private final Settings settings;
  private final Map<String, ConsumerRunner<?, LogPosition>> runners = new ConcurrentHashMap<>();
  private volatile boolean running;

  /** @param writeDatabase where the processes' checkpoints are: the event store's database */
  public Processes(EventStore store, CommandBus bus, CommandLog commandLog, DataSource writeDatabase,
      List<ProcessProjection> projections, Settings settings) {
    this(store, bus, commandLog, writeDatabase, projections, List.of(), settings);
  }

  /** @param others log consumers beside the processes, such as the Kafka relay */
  public Processes(EventStore store, CommandBus bus, CommandLog commandLog, DataSource writeDatabase,
      List<ProcessProjection> projections, List<LogConsumer<?>> others, Settings settings) {
    this.source = Source.log(store);
    this.bus = bus;
    this.commandLog = commandLog;
    this.checkpoints = new PostgresCheckpoints(writeDatabase);
    this.settings = settings;
    projections.forEach(projection -> add(process(projection)));
    others.forEach(this::add);
  }

  private void add(LogConsumer<?> consumer) {
    if (consumers.putIfAbsent(consumer.projection().name(), consumer) != null) {
      throw new IllegalStateException("two log consumers are named " + consumer.projection().name());
    }
  }

  private LogConsumer<ProcessTarget.Commands> process(ProcessProjection projection) {
    return new LogConsumer<>() {
      @Override
      public String kind() {
        return "process";
      }

      @Override
      public ProcessProjection projection() {
        return projection;
      }

      @Override
      public Target<ProcessTarget.Commands, LogPosition> target(Checkpoints<LogPosition> checkpoints) {
        return new ProcessTarget<>(projection.name(), LogPosition.START, bus, commandLog, checkpoints,
            DatabaseErrors::isTransient);
      }
    };
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    consumers.forEach((name, consumer) -> runners.put(name, run(consumer)));
    running = true;
  }

  private <W> ConsumerRunner<W, LogPosition> run(LogConsumer<W> consumer) {
    return new ConsumerRunner<>(source, consumer.target(checkpoints), consumer.projection(), settings.batchSize(),
        settings.maxAttempts()).start();
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

  /**
   * A consumer that runs elsewhere than on the local log (the Kafka replica): listed, judged by
   * health, measured and its dead letters resolved with the processes.
   */
  public interface Watched {

    String kind();

    ProcessStatus status();

    List<PostgresCheckpoints.DeadLetter> deadLetters();

    /** As {@link Processes#resolve}. */
    boolean resolve(long deadLetterId, boolean retry);

    /** Starts building it anew beside what answers (a search index); empty when it cannot be rebuilt. */
    default Optional<Integer> rebuild() {
      return Optional.empty();
    }
  }

  /**
   * Rebuilds a watched consumer that can be (a search index): the generation being built; empty
   * when there is no such consumer or it cannot be rebuilt.
   *
   * @throws IllegalStateException while a rebuild of it runs
   */
  public Optional<Integer> rebuild(String name) {
    Watched consumer = watched.get(name);
    return consumer == null ? Optional.empty() : consumer.rebuild();
  }

  public void watch(String name, Watched consumer) {
    watched.put(name, consumer);
  }

  /** The names of the processes (and other consumers) this application has, run or not. */
  public List<String> names() {
    return java.util.stream.Stream.concat(consumers.keySet().stream(), watched.keySet().stream()).toList();
  }

  /** {@code process}, {@code relay}, {@code replica}…; empty for a name this application does not have. */
  public Optional<String> kind(String name) {
    return Optional.ofNullable(consumers.get(name)).map(LogConsumer::kind)
        .or(() -> Optional.ofNullable(watched.get(name)).map(Watched::kind));
  }

  public List<ProcessStatus> statuses() {
    return names().stream().map(name -> status(name).orElseThrow()).toList();
  }

  /**
   * Where a process stands; STOPPED while the application does not run it (before start, after
   * stop). A process another instance leads is on STANDBY, at the checkpoint that instance saved.
   */
  public Optional<ProcessStatus> status(String name) {
    LogConsumer<?> consumer = consumers.get(name);
    if (consumer == null) {
      return Optional.ofNullable(watched.get(name)).map(Watched::status);
    }
    var runner = runners.get(name);
    LogPosition at = runner != null ? runner.position() : checkpoints.load(name).orElse(LogPosition.START);
    String state = runner == null ? "STOPPED"
        : runner.halted() ? "HALTED"
        : !runner.leading() ? "STANDBY"
        : runner.stalled() ? "STALLED" : "RUNNING";
    var lag = source.lag(at);
    return Optional.of(new ProcessStatus(name, consumer.projection().onFailure().name(), state, at.position(), lag.events(),
        lag.millis(), checkpoints.parked(name)));
  }

  /** The events a process parked, oldest first; empty for a process this application does not have. */
  public List<PostgresCheckpoints.DeadLetter> deadLetters(String name) {
    if (watched.containsKey(name)) {
      return watched.get(name).deadLetters();
    }
    return consumers.containsKey(name) ? checkpoints.deadLetters(name) : List.of();
  }

  /**
   * Retries (the process stopped at it applies it again when it goes on, within a second) or skips
   * (its checkpoint moves past it) a parked event; false when there is no such parked event.
   */
  public boolean resolve(String name, long deadLetterId, boolean retry) {
    if (watched.containsKey(name)) {
      return watched.get(name).resolve(deadLetterId, retry);
    }
    return consumers.containsKey(name) && checkpoints.resolve(name, deadLetterId, retry);
  }
}
