package dev.ordo.kafka.relay;

import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.kafka.events.EventRecords;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import io.cloudevents.kafka.CloudEventSerializer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Sends a batch's events to Kafka without waiting, then waits for all of their acknowledgements at
 * once: the idempotent producer with {@code acks=all} keeps a partition's records in the order
 * sent, through its own retries. A stream type's topic is created the first time one of its
 * events is sent.
 */
public final class Publisher {

  private final Producer<String, CloudEvent> producer;
  private final Admin admin;
  private final EventRecords records;
  private final URI source;
  private final int partitions;
  private final short replicationFactor;
  private final Set<String> topics = ConcurrentHashMap.newKeySet();
  private final List<Future<RecordMetadata>> pending = new ArrayList<>();

  /**
   * @param source            names this service in every record ({@code ce_source})
   * @param partitions        of a topic the relay creates
   * @param replicationFactor of a topic the relay creates
   */
  public Publisher(Producer<String, CloudEvent> producer, Admin admin, EventRecords records, URI source,
      int partitions, short replicationFactor) {
    this.producer = producer;
    this.admin = admin;
    this.records = records;
    this.source = source;
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
  }

  /**
   * The producer a relay needs: idempotent, {@code acks=all}, and one request in flight per broker.
   * With more in flight, a first batch to a partition refused as not led yet (a topic just created, a
   * broker just restarted) can be overtaken by the next one and then be refused for ever as out of
   * sequence (KAFKA-14359); one at a time with large batches costs the relay little, since it waits
   * for a whole batch's acknowledgements anyway.
   */
  public static Map<String, Object> producerSettings(String bootstrapServers, String clientId) {
    Map<String, Object> settings = new java.util.HashMap<>();
    settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    settings.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    settings.put(ProducerConfig.ACKS_CONFIG, "all");
    settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    settings.put(ProducerConfig.LINGER_MS_CONFIG, 2);
    settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
    settings.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    settings.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, CloudEventSerializer.class);
    return settings;
  }

  public void send(RecordedEvent event) throws Exception {
    var record = records.record(event, source);
    if (!topics.contains(record.topic())) {
      createTopic(record.topic());
    }
    pending.add(producer.send(record));
  }

  /** Returns once the broker acknowledged every record sent since the last call; throws the first failure. */
  void awaitAcknowledged() throws Exception {
    producer.flush();
    try {
      for (Future<RecordMetadata> sent : pending) {
        sent.get(0, TimeUnit.MILLISECONDS);
      }
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    } finally {
      pending.clear();
    }
  }

  void forget() {
    pending.clear();
  }

  private void createTopic(String topic) throws Exception {
    try {
      admin.createTopics(List.of(new NewTopic(topic, partitions, replicationFactor)
              .configs(Map.of("retention.ms", "-1"))))
          .all().get(30, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e.getCause() instanceof Exception cause ? cause : e;
      }
    }
    awaitLeaders(topic);
    topics.add(topic);
  }

  /** A topic just created is not led at once: sending before it is would be refused and retried. */
  private void awaitLeaders(String topic) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (true) {
      var description = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic);
      if (description.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new org.apache.kafka.common.errors.TimeoutException("topic " + topic + " has no leader yet");
      }
      Thread.sleep(50);
    }
  }
}
