package dev.ordo.kafka.relay;

import dev.ordo.consumer.Projection;
import dev.ordo.eventstore.RecordedEvent;
import java.util.Set;

/** Every event of the log, sent to Kafka; a batch counts once the broker acknowledged all of it. */
public final class RelayProjection implements Projection<Publisher> {

  private final String name;

  public RelayProjection(String name) {
    this.name = name;
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
    publisher.send(event);
  }

  @Override
  public void flush(Publisher publisher) throws Exception {
    publisher.awaitAcknowledged();
  }
}
