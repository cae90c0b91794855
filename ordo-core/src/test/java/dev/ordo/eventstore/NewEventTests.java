package dev.ordo.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class NewEventTests {

  @ParameterizedTest
  @ValueSource(strings = {"[]", "[1,2]", "\"text\"", "42", "null", "true", "", "   ", "{", "{\"a\":1", "{} {}", "{}x",
      "{\"a\":}", "not json"})
  void dataThatIsNotASingleJsonObjectIsRefused(String data) {
    assertThatThrownBy(() -> NewEvent.of("Noted", 1, data))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("JSON");
  }

  @Test
  void nullDataIsRefused() {
    assertThatThrownBy(() -> NewEvent.of("Noted", 1, null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aJsonObjectIsAccepted() {
    var event = NewEvent.of("Noted", 1, " {\"a\": [1, {\"b\": null}], \"c\": \"}\"} ");
    assertThat(event.metadata()).isEqualTo(EventMetadata.NONE);
    assertThat(event.eventId().version()).isEqualTo(7);
  }

  @Test
  void typeAndSchemaVersionAreRequired() {
    assertThatThrownBy(() -> NewEvent.of(" ", 1, "{}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NewEvent.of("Noted", 0, "{}")).isInstanceOf(IllegalArgumentException.class);
  }
}
