package dev.ordo.codec;

import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.TimeOrderedUuid;
import dev.ordo.eventstore.EventStoreException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Binds event records of one context to type names and schema versions, and turns them into JSON
 * and back with Jackson. Its {@link #types()} is the registry a store needs to upcast on read.
 *
 * @param <E> the context's event type, usually a sealed interface
 */
public final class EventCodec<E> {

  private record Binding(String type, int schemaVersion) {}

  private final JsonMapper json;
  private final Map<Class<?>, Binding> byClass;
  private final Map<String, Class<? extends E>> byType;
  private final EventTypes types;

  private EventCodec(JsonMapper json, Map<Class<?>, Binding> byClass, Map<String, Class<? extends E>> byType,
      EventTypes types) {
    this.json = json;
    this.byClass = Map.copyOf(byClass);
    this.byType = Map.copyOf(byType);
    this.types = types;
  }

  public static <E> Builder<E> builder(Class<E> base, JsonMapper json) {
    return new Builder<>(json);
  }

  public EventTypes types() {
    return types;
  }

  public NewEvent encode(E event, EventMetadata metadata) {
    Binding binding = byClass.get(event.getClass());
    if (binding == null) {
      throw new IllegalArgumentException("no event type bound to " + event.getClass().getName());
    }
    return new NewEvent(TimeOrderedUuid.next(), binding.type(), binding.schemaVersion(),
        json.writeValueAsString(event), metadata);
  }

  /** Reads an event; lifts it first if the store did not (events from another source). */
  public E decode(RecordedEvent event) {
    Class<? extends E> type = byType.get(event.type());
    if (type == null) {
      throw new EventStoreException.UnknownType(event.type(), event.schemaVersion(), event.position(), "not bound in this codec");
    }
    RecordedEvent current = types.upcast(event);
    return json.readValue(current.data(), type);
  }

  public static final class Builder<E> {

    private final JsonMapper json;
    private final Map<Class<?>, Binding> byClass = new HashMap<>();
    private final Map<String, Class<? extends E>> byType = new HashMap<>();
    private final EventTypes.Builder types = EventTypes.builder();

    private Builder(JsonMapper json) {
      this.json = json;
    }

    public Builder<E> event(Class<? extends E> eventClass, String type, int schemaVersion) {
      if (byType.putIfAbsent(type, eventClass) != null) {
        throw new IllegalArgumentException("event type " + type + " bound twice");
      }
      byClass.put(eventClass, new Binding(type, schemaVersion));
      types.type(type, schemaVersion);
      return this;
    }

    public Builder<E> upcaster(String type, int fromVersion, UnaryOperator<ObjectNode> step) {
      types.upcaster(type, fromVersion, step);
      return this;
    }

    public EventCodec<E> build() {
      return new EventCodec<>(json, byClass, byType, types.build());
    }
  }
}
