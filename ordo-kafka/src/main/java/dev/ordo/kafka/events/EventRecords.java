package dev.ordo.kafka.events;

import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An event of the log as a Kafka record: a CloudEvent in binary mode (the data is the event's JSON,
 * the attributes are {@code ce_} headers), keyed by stream id so a stream's events keep their
 * order in one partition, on the topic of its stream type.
 *
 * <p>Attributes: {@code id} the event id, {@code source} the writing service, {@code type} the
 * event type, {@code subject} the stream id, {@code time} when it occurred; extensions {@code
 * streamtype}, {@code streamversion}, {@code schemaversion}, {@code logposition} and {@code logtx}
 * (where the event stands in its service's log: a consumer drops a record at or before the
 * position it has applied from that source, which is what makes a relay's repeat after a crash
 * harmless), and {@code correlationid}, {@code causationid}, {@code actor}, {@code commandid},
 * {@code traceparent} (the CloudEvents distributed-tracing extension) and {@code importedfrom}
 * when the event has them.
 */
public final class EventRecords {

  private final String topicPrefix;

  /** @param topicPrefix put before a stream type to name its topic, e.g. {@code ordo.} */
  public EventRecords(String topicPrefix) {
    this.topicPrefix = topicPrefix;
  }

  public String topic(String streamType) {
    return topicPrefix + streamType;
  }

  public ProducerRecord<String, CloudEvent> record(RecordedEvent event, URI source) {
    CloudEventBuilder builder = CloudEventBuilder.v1()
        .withId(event.eventId().toString())
        .withSource(source)
        .withType(event.type())
        .withSubject(event.streamId())
        .withTime(event.occurredAt().atOffset(ZoneOffset.UTC))
        .withDataContentType("application/json")
        .withData(event.data().getBytes(StandardCharsets.UTF_8))
        .withExtension("streamtype", event.streamType())
        .withExtension("streamversion", Long.toString(event.version()))
        .withExtension("schemaversion", Integer.toString(event.schemaVersion()))
        .withExtension("logposition", Long.toString(event.logPosition().position()))
        .withExtension("logtx", Long.toString(event.logPosition().tx()));
    EventMetadata m = event.metadata();
    optional(builder, "correlationid", m.correlationId());
    optional(builder, "causationid", m.causationId());
    optional(builder, "actor", m.actor());
    optional(builder, "commandid", m.commandId());
    optional(builder, "traceparent", m.traceParent());
    optional(builder, "importedfrom", m.importedFrom());
    return new ProducerRecord<>(topic(event.streamType()), event.streamId(), builder.build());
  }

  /** The event a record carries, with its position in the log of the service that wrote it. */
  public static Received read(ConsumerRecord<String, CloudEvent> record) {
    CloudEvent ce = record.value();
    if (ce == null || ce.getData() == null || ce.getSubject() == null || ce.getTime() == null) {
      throw new IllegalArgumentException("not an Ordo event: " + record.topic() + "/" + record.partition()
          + "@" + record.offset());
    }
    var position = new LogPosition(number(ce, "logtx"), number(ce, "logposition"));
    var metadata = new EventMetadata(text(ce, "correlationid"), text(ce, "causationid"), text(ce, "actor"),
        text(ce, "commandid"), text(ce, "traceparent"), text(ce, "importedfrom"));
    var event = new RecordedEvent(position, UUID.fromString(ce.getId()), ce.getSubject(),
        text(ce, "streamtype"), number(ce, "streamversion"), ce.getType(), (int) number(ce, "schemaversion"),
        new String(ce.getData().toBytes(), StandardCharsets.UTF_8), metadata, ce.getTime().toInstant());
    return new Received(ce.getSource().toString(), event);
  }

  /**
   * @param source the service whose log it comes from
   * @param event  as that service's log holds it; {@link RecordedEvent#logPosition()} is there
   */
  public record Received(String source, RecordedEvent event) {}

  private static void optional(CloudEventBuilder builder, String name, String value) {
    if (value != null) {
      builder.withExtension(name, value);
    }
  }

  private static String text(CloudEvent ce, String name) {
    Object value = ce.getExtension(name);
    return value == null ? null : value.toString();
  }

  private static long number(CloudEvent ce, String name) {
    String value = text(ce, name);
    if (value == null) {
      throw new IllegalArgumentException("CloudEvent " + ce.getId() + " has no " + name);
    }
    return Long.parseLong(value);
  }
}
