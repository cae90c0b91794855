package dev.ordo.kafka.source;

import dev.ordo.consumer.Source;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.Subscription;
import dev.ordo.kafka.events.EventRecords;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.CloudEventDeserializer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka topics as a source (ARCHITECTURE.md decisions 10 and 11): every partition of the topics,
 * assigned to the one runner that leads the target (no consumer group: the target keeps the
 * offsets, with its effect, in {@link KafkaPosition}, so a rebalance can never move them). A
 * stream's events are in one partition, so they arrive in order; partitions are interleaved as
 * they come. A record whose log position its source has already delivered on that partition (a
 * relay's repeat after a crash) is passed over. Topics that do not exist yet are looked for again
 * every few seconds, as are partitions added to them. With a {@code group.id} in its settings, the
 * offsets applied are also committed to that group, for lag monitors such as KEDA to read; the
 * source never resumes from them.
 */
public final class KafkaSource implements Source<KafkaPosition>, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KafkaSource.class);
  private static final Duration REFRESH = Duration.ofSeconds(3);

  private final Map<String, Object> config;
  private final Predicate<String> topics;
  private final Admin admin;
  private volatile Instant lastOccurred;

  /**
   * @param config the consumer's settings: {@code bootstrap.servers} at least
   * @param topics which topics are followed, e.g. every one with the relay's prefix
   */
  public KafkaSource(Map<String, Object> config, Predicate<String> topics) {
    this.config = Map.copyOf(config);
    this.topics = topics;
    this.admin = Admin.create(Map.of("bootstrap.servers", config.get("bootstrap.servers")));
  }

  @Override
  public KafkaPosition start() {
    return KafkaPosition.START;
  }

  @Override
  public Subscription subscribe(String name, KafkaPosition after, int batchSize, Handler<KafkaPosition> handler) {
    var poller = new Poller(name, after, batchSize, handler);
    Thread thread = Thread.ofPlatform().name("ordo-kafka-" + name).daemon().start(poller);
    return () -> {
      poller.closed = true;
      try {
        thread.join();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  @Override
  public boolean covers(KafkaPosition checkpoint, KafkaPosition position) {
    if (position.last() == null) {
      return true;
    }
    return checkpoint.mark(position.last()).offset() >= position.mark(position.last()).offset();
  }

  @Override
  public Lag lag(KafkaPosition at) {
    try {
      Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
      Set<String> names = admin.listTopics().names().get(5, TimeUnit.SECONDS).stream().filter(topics)
          .collect(Collectors.toSet());
      for (var description : admin.describeTopics(names).allTopicNames().get(5, TimeUnit.SECONDS).values()) {
        description.partitions().forEach(p -> latest.put(new TopicPartition(description.name(), p.partition()),
            OffsetSpec.latest()));
      }
      long behind = 0;
      for (var end : admin.listOffsets(latest).all().get(5, TimeUnit.SECONDS).entrySet()) {
        behind += Math.max(0, end.getValue().offset() - at.mark(key(end.getKey())).offset());
      }
      Instant occurred = lastOccurred;
      long millis = behind == 0 || occurred == null ? 0 : Math.max(0, Duration.between(occurred, Instant.now()).toMillis());
      return new Lag(behind, millis);
    } catch (Exception e) {
      // a missing topic, or the broker away: nothing is known to be waiting
      return new Lag(0, 0);
    }
  }

  /** Closes what {@link #lag} uses; a running subscription is closed by its runner. */
  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }

  static String key(TopicPartition partition) {
    return partition.topic() + "/" + partition.partition();
  }

  /** One runner's tail: its own consumer, on its own thread. */
  private final class Poller implements Runnable {

    private final String name;
    private final int batchSize;
    private final Handler<KafkaPosition> handler;
    private KafkaPosition current;
    private volatile boolean closed;

    Poller(String name, KafkaPosition after, int batchSize, Handler<KafkaPosition> handler) {
      this.name = name;
      this.current = after;
      this.batchSize = batchSize;
      this.handler = handler;
    }

    @Override
    public void run() {
      while (!closed) {
        try (KafkaConsumer<String, CloudEvent> consumer = consumer()) {
          follow(consumer);
        } catch (Exception e) {
          if (!closed) {
            log.warn("kafka source of {} failed, starting again: {}", name, e.toString());
            pause(Duration.ofSeconds(1));
          }
        }
      }
    }

    private void follow(KafkaConsumer<String, CloudEvent> consumer) throws InterruptedException {
      Set<TopicPartition> assigned = Set.of();
      long refreshAt = 0;
      while (!closed) {
        if (System.nanoTime() >= refreshAt) {
          assigned = assign(consumer, assigned);
          refreshAt = System.nanoTime() + REFRESH.toNanos();
        }
        if (assigned.isEmpty()) {
          pause(Duration.ofMillis(200));
          continue;
        }
        var records = consumer.poll(Duration.ofMillis(200));
        if (records.isEmpty()) {
          continue;
        }
        KafkaPosition before = current;
        List<RecordedEvent> events = new ArrayList<>(records.count());
        List<KafkaPosition> positions = new ArrayList<>(records.count());
        for (ConsumerRecord<String, CloudEvent> record : records) {
          String partition = key(new TopicPartition(record.topic(), record.partition()));
          var received = EventRecords.read(record);
          var mark = current.mark(partition);
          if (mark.applied(received.source(), received.event().logPosition())) {
            current = current.with(partition, mark.skipping(record.offset()));
            continue;
          }
          current = current.with(partition, mark.after(record.offset(), received.source(),
              received.event().logPosition()));
          events.add(received.event());
          positions.add(current);
        }
        if (events.isEmpty()) {
          continue;
        }
        try {
          handler.accept(new Batch<>(events, positions));
          lastOccurred = events.getLast().occurredAt();
          if (config.containsKey(ConsumerConfig.GROUP_ID_CONFIG)) {
            // for lag monitors (KEDA) only: where the consumer resumes is the target's checkpoint
            Map<TopicPartition, org.apache.kafka.clients.consumer.OffsetAndMetadata> offsets = new HashMap<>();
            assigned.forEach(p -> offsets.put(p,
                new org.apache.kafka.clients.consumer.OffsetAndMetadata(current.mark(key(p)).offset())));
            consumer.commitAsync(offsets, null);
          }
        } catch (Exception e) {
          if (!closed) {
            log.debug("batch of {} failed, delivering it again: {}", name, e.toString());
            pause(Duration.ofMillis(500));
          }
          current = before;
          seek(consumer, assigned);
        }
      }
    }

    /** Assigns every partition of the topics; a partition newly seen starts at the position's offset. */
    private Set<TopicPartition> assign(KafkaConsumer<String, CloudEvent> consumer, Set<TopicPartition> assigned) {
      Set<TopicPartition> all = consumer.listTopics(Duration.ofSeconds(5)).entrySet().stream()
          .filter(topic -> topics.test(topic.getKey()))
          .flatMap(topic -> topic.getValue().stream())
          .map(info -> new TopicPartition(info.topic(), info.partition()))
          .collect(Collectors.toSet());
      if (all.equals(assigned)) {
        return assigned;
      }
      consumer.assign(all);
      seek(consumer, all);
      return all;
    }

    private void seek(KafkaConsumer<String, CloudEvent> consumer, Set<TopicPartition> partitions) {
      partitions.forEach(p -> consumer.seek(p, current.mark(key(p)).offset()));
    }

    private KafkaConsumer<String, CloudEvent> consumer() {
      Map<String, Object> settings = new HashMap<>(config);
      settings.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
      settings.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, CloudEventDeserializer.class);
      settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
      settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
      settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
      settings.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, batchSize);
      settings.putIfAbsent(ConsumerConfig.CLIENT_ID_CONFIG, "ordo-" + name);
      return new KafkaConsumer<>(settings);
    }

    private void pause(Duration duration) {
      try {
        Thread.sleep(duration);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        closed = true;
      }
    }
  }
}
