package dev.ordo.kafka.relay;

import dev.ordo.consumer.Projection;
import dev.ordo.eventstore.RecordedEvent;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The events of the stream types this service publishes (its own aggregates': its log also holds
 * the events it follows from others, which it never sends back), sent to Kafka; a batch counts once
 * the broker acknowledged all of it.
 */
public final class RelayProjection implements Projection<Publisher> {

  private final String name;
  private final Predicate<String> streamTypes;

  public RelayProjection(String name, Predicate<String> streamTypes) {
    this.name = name;
    this.streamTypes = streamTypes;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public int version() {
    return 1;
  }

  @Override
  public Set<String> eventTypes() {
    return Set.of();
  }

  @Override
  public boolean handles(String type) {
    return true;
  }

  @Override
  public void apply(RecordedEvent event, Publisher publisher) throws Exception {
    if (streamTypes.test(event.streamType())) {
      publisher.send(event);
    }
  }

  @Override
  public void flush(Publisher publisher) throws Exception {
    publisher.awaitAcknowledged();
  }
}
