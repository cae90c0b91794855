package dev.ordo.test;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.test.InMemoryEventStore;
import org.junit.jupiter.api.BeforeEach;

class InMemoryEventStoreContractTests extends EventStoreContract {

  private InMemoryEventStore log;

  @BeforeEach
  void newLog() {
    log = new InMemoryEventStore(TYPES);
  }

  @Override
  protected EventStore openStore(EventTypes types) {
    return log.readingWith(types);
  }
}
