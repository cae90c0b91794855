package dev.ordo.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.test.InMemoryEventStore;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class EventCodecTests {

  sealed interface ShopEvent permits Opened, Renamed {}

  record Opened(String name) implements ShopEvent {}

  /** v2 of Renamed: v1 had only {@code name}. */
  record Renamed(String newName, String reason) implements ShopEvent {}

  private final EventCodec<ShopEvent> codec = EventCodec.builder(ShopEvent.class, JsonMapper.builder().build())
      .event(Opened.class, "ShopOpened", 1)
      .event(Renamed.class, "ShopRenamed", 2)
      .upcaster("ShopRenamed", 1, data -> {
        data.set("newName", data.remove("name"));
        return data.put("reason", "unknown");
      })
      .build();

  @Test
  void encodesAndDecodesThroughAStore() {
    var store = new InMemoryEventStore(codec.types());
    var metadata = new EventMetadata("c", null, "u-1", null);
    store.append("shop-1", "shop", ExpectedVersion.noStream(), List.of(
        codec.encode(new Opened("Ordo"), metadata),
        NewEvent.of("ShopRenamed", 1, "{\"name\":\"Ordo Mart\"}"),
        codec.encode(new Renamed("Ordo Market", "rebrand"), metadata)));

    List<ShopEvent> events = store.readStream("shop-1", 1).events().stream().map(codec::decode).toList();

    assertThat(events).containsExactly(
        new Opened("Ordo"), new Renamed("Ordo Mart", "unknown"), new Renamed("Ordo Market", "rebrand"));
    RecordedEvent first = store.readStream("shop-1", 1).events().getFirst();
    assertThat(first.type()).isEqualTo("ShopOpened");
    assertThat(first.metadata()).isEqualTo(metadata);
  }

  @Test
  void anUnboundClassOrTypeIsRefused() {
    record Stray() implements Comparable<Stray> {
      public int compareTo(Stray o) {
        return 0;
      }
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    EventCodec<Object> raw = (EventCodec) codec;
    assertThatThrownBy(() -> raw.encode(new Stray(), EventMetadata.NONE)).isInstanceOf(IllegalArgumentException.class);
  }
}
