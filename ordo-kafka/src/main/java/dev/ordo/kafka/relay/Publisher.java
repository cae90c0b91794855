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
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TopicExistsException;

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
    topics.add(topic);
  }
}
