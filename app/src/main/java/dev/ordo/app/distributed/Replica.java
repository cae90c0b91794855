package dev.ordo.app.distributed;

import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.kafka.source.KafkaPosition;
import dev.ordo.kafka.source.KafkaSource;
import dev.ordo.postgres.checkpoints.PostgresCheckpoints;
import dev.ordo.postgres.log.LogReplica;
import dev.ordo.postgres.log.PostgresEventStore;
import dev.ordo.spring.process.ProcessStatus;
import dev.ordo.spring.process.Processes;
import java.util.List;
import java.util.Map;
import org.springframework.context.SmartLifecycle;

/**
 * The topics this instance follows, appended to its log by a {@link LogReplica} with their
 * per-partition positions in the same transaction; nothing when it follows none. It starts before
 * the processes and read models and stops after them.
 */
public final class Replica implements SmartLifecycle, AutoCloseable {

  private static final String NAME = "kafka-replica";

  private final KafkaSettings settings;
  private final PostgresEventStore store;
  private volatile ConsumerRunner<LogReplica.Appends, KafkaPosition> runner;
  private volatile KafkaSource source;
  private volatile LogReplica<KafkaPosition> target;

  Replica(KafkaSettings settings, PostgresEventStore store, Processes processes) {
    this.settings = settings;
    this.store = store;
    if (!settings.follow().isEmpty()) {
      processes.watch(NAME, new Processes.Watched() {
        @Override
        public String kind() {
          return "replica";
        }

        @Override
        public ProcessStatus status() {
          return Replica.this.status();
        }

        @Override
        public List<PostgresCheckpoints.DeadLetter> deadLetters() {
          return target().deadLetters();
        }

        @Override
        public boolean resolve(long deadLetterId, boolean retry) {
          return target().resolve(deadLetterId, retry);
        }
      });
    }
  }

  /**
   * Where the replica stands: its position is the records it has taken (the sum of its offsets),
   * its lag what the followed partitions hold beyond them.
   */
  private ProcessStatus status() {
    var running = runner;
    var target = this.target;
    if (running == null) {
      return new ProcessStatus(NAME, "STOP", "STOPPED", 0, 0, 0, 0);
    }
    KafkaPosition at = running.position();
    var lag = source.lag(at);
    String state = running.halted() ? "HALTED" : !running.leading() ? "STANDBY" : running.stalled() ? "STALLED"
        : "RUNNING";
    long taken = at.partitions().values().stream().mapToLong(KafkaPosition.Mark::offset).sum();
    return new ProcessStatus(NAME, "STOP", state, taken, lag.events(), lag.millis(), target.parked());
  }

  /** The replica's target; one that is not running yet still reads its dead letters. */
  private LogReplica<KafkaPosition> target() {
    var running = target;
    return running != null ? running : replica();
  }

  private LogReplica<KafkaPosition> replica() {
    return new LogReplica<>(store, NAME, KafkaPosition.START, KafkaPosition::encode, KafkaPosition::decode);
  }

  @Override
  public synchronized void start() {
    if (runner != null || settings.follow().isEmpty()) {
      return;
    }
    source = new KafkaSource(Map.of("bootstrap.servers", settings.bootstrapServers(),
        "group.id", "ordo-" + settings.service()), settings.follows());
    target = replica();
    runner = new ConsumerRunner<>(source, target, target.projection(), 500, 5).start();
  }

  @Override
  public synchronized void stop() {
    if (runner != null) {
      runner.close();
      runner = null;
      source.close();
    }
  }

  @Override
  public boolean isRunning() {
    return runner != null;
  }

  /** Before the processes (which start in the default phase) and after them on the way down. */
  @Override
  public int getPhase() {
    return Integer.MIN_VALUE + 1000;
  }

  @Override
  public void close() {
    stop();
  }
}
