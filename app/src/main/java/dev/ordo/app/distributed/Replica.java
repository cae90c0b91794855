package dev.ordo.app.distributed;

import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.kafka.source.KafkaPosition;
import dev.ordo.kafka.source.KafkaSource;
import dev.ordo.postgres.log.LogReplica;
import dev.ordo.postgres.log.PostgresEventStore;
import java.util.Map;
import java.util.Optional;
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

  Replica(KafkaSettings settings, PostgresEventStore store) {
    this.settings = settings;
    this.store = store;
  }

  @Override
  public synchronized void start() {
    if (runner != null || settings.follow().isEmpty()) {
      return;
    }
    source = new KafkaSource(Map.of("bootstrap.servers", settings.bootstrapServers(),
        "group.id", "ordo-" + settings.service()), settings.follows());
    var target = new LogReplica<>(store, NAME, KafkaPosition.START, KafkaPosition::encode, KafkaPosition::decode);
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

  /** The running follower, for health and metrics; empty when this instance follows nothing. */
  public Optional<ConsumerRunner<LogReplica.Appends, KafkaPosition>> runner() {
    return Optional.ofNullable(runner);
  }

  public Optional<KafkaSource> source() {
    return Optional.ofNullable(source);
  }

  @Override
  public void close() {
    stop();
  }
}
