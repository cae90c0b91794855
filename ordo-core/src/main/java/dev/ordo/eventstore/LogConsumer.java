package dev.ordo.eventstore;

import java.util.List;

@FunctionalInterface
public interface LogConsumer {

  void accept(List<RecordedEvent> batch) throws Exception;
}
