package dev.ordo.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class EventTypesTests {

  private static RecordedEvent stored(String type, int schemaVersion, String data) {
    return new RecordedEvent(new LogPosition(1, 41), UUID.randomUUID(), "s", "t", 1, type, schemaVersion, data,
        EventMetadata.NONE, Instant.now());
  }

  @Test
  void liftsOneStepAtATimeInOrder() {
    var types = EventTypes.builder()
        .type("Priced", 3)
        .upcaster("Priced", 2, data -> data.put("currency", data.get("unit").asString()))
        .upcaster("Priced", 1, data -> data.put("unit", "KRW"))
        .build();

    RecordedEvent lifted = types.upcast(stored("Priced", 1, "{\"price\":100}"));

    assertThat(lifted.schemaVersion()).isEqualTo(3);
    assertThat(lifted.data()).isEqualTo("{\"price\":100,\"unit\":\"KRW\",\"currency\":\"KRW\"}");
  }

  @Test
  void anEventAlreadyCurrentIsReturnedAsItIs() {
    var types = EventTypes.builder().type("Noted", 1).build();
    RecordedEvent event = stored("Noted", 1, "{ \"a\" : 1 }");
    assertThat(types.upcast(event)).isSameAs(event);
  }

  @Test
  void unknownTypesNewerVersionsAndMissingStepsNameTypeAndPosition() {
    var types = EventTypes.builder().type("Priced", 3).upcaster("Priced", 2, d -> d).build();

    assertThatThrownBy(() -> types.upcast(stored("Gone", 1, "{}")))
        .isInstanceOf(EventStoreException.UnknownType.class).hasMessageContaining("Gone").hasMessageContaining("position 41");
    assertThatThrownBy(() -> types.upcast(stored("Priced", 4, "{}")))
        .isInstanceOf(EventStoreException.UnknownType.class).hasMessageContaining("newer");
    assertThatThrownBy(() -> types.upcast(stored("Priced", 1, "{}")))
        .isInstanceOf(EventStoreException.UnknownType.class).hasMessageContaining("no upcaster from schema version 1");
  }

  @Test
  void anUpcasterPastTheCurrentVersionIsAMistake() {
    assertThatThrownBy(() -> EventTypes.builder().type("Noted", 1).upcaster("Noted", 1, d -> d).build())
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> EventTypes.builder().type("Noted", 1).type("Noted", 2))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
