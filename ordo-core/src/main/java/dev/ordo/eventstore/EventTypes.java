package dev.ordo.eventstore;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The event types a store accepts and can read, each with its current schema version and the
 * upcasters that lift older versions one step at a time (seed 000 §3.2 "Event Versioning"). A
 * store applies {@link #upcast} to every event it reads, so no reader ever sees an old schema.
 */
public final class EventTypes {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, Integer> currentVersions;
  private final Map<String, UnaryOperator<ObjectNode>> upcasters;

  private EventTypes(Map<String, Integer> currentVersions, Map<String, UnaryOperator<ObjectNode>> upcasters) {
    this.currentVersions = Map.copyOf(currentVersions);
    this.upcasters = Map.copyOf(upcasters);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Every type name it knows. */
  public java.util.Set<String> names() {
    return currentVersions.keySet();
  }

  public boolean knows(String type) {
    return currentVersions.containsKey(type);
  }

  /** The schema version a reader of this type sees. */
  public int currentVersion(String type) {
    Integer version = currentVersions.get(type);
    if (version == null) {
      throw new IllegalArgumentException("unknown event type " + type);
    }
    return version;
  }

  /**
   * Refuses an event no reader could read back: an unknown type, or a schema version newer than
   * this build knows. Older versions are accepted: they are lifted on read.
   */
  public void requireWritable(NewEvent event) {
    Integer current = currentVersions.get(event.type());
    if (current == null) {
      throw new IllegalArgumentException("unknown event type " + event.type());
    }
    if (event.schemaVersion() > current) {
      throw new IllegalArgumentException("event type " + event.type() + " has schema version "
          + event.schemaVersion() + ", newer than the current " + current);
    }
  }

  /** Lifts a stored event to its type's current schema version. */
  public RecordedEvent upcast(RecordedEvent event) {
    Integer current = currentVersions.get(event.type());
    if (current == null) {
      throw new EventStoreException.UnknownType(event.type(), event.schemaVersion(), event.position(), "unknown type");
    }
    int version = event.schemaVersion();
    if (version == current) {
      return event;
    }
    if (version > current) {
      throw new EventStoreException.UnknownType(event.type(), version, event.position(),
          "newer than the current schema version " + current);
    }
    JsonNode tree = JSON.readTree(event.data());
    ObjectNode data = (ObjectNode) tree;
    for (; version < current; version++) {
      UnaryOperator<ObjectNode> step = upcasters.get(key(event.type(), version));
      if (step == null) {
        throw new EventStoreException.UnknownType(event.type(), version, event.position(),
            "no upcaster from schema version " + version + " to " + (version + 1));
      }
      data = Objects.requireNonNull(step.apply(data), "upcaster returned null");
    }
    return event.withSchema(current, JSON.writeValueAsString(data));
  }

  private static String key(String type, int fromVersion) {
    return type + "@" + fromVersion;
  }

  public static final class Builder {

    private final Map<String, Integer> currentVersions = new HashMap<>();
    private final Map<String, UnaryOperator<ObjectNode>> upcasters = new HashMap<>();

    private Builder() {}

    /** Declares a type and the schema version its readers expect. */
    public Builder type(String type, int currentVersion) {
      if (currentVersion < 1) {
        throw new IllegalArgumentException("schema version must be at least 1");
      }
      Integer previous = currentVersions.putIfAbsent(type, currentVersion);
      if (previous != null && previous != currentVersion) {
        throw new IllegalArgumentException("event type " + type + " declared twice, as version "
            + previous + " and " + currentVersion);
      }
      return this;
    }

    /** Lifts data of {@code type} from {@code fromVersion} to {@code fromVersion + 1}. */
    public Builder upcaster(String type, int fromVersion, UnaryOperator<ObjectNode> step) {
      if (upcasters.putIfAbsent(key(type, fromVersion), step) != null) {
        throw new IllegalArgumentException("two upcasters for " + type + " from version " + fromVersion);
      }
      return this;
    }

    /** Takes every type and upcaster of another registry, as when contexts share one store. */
    public Builder include(EventTypes other) {
      other.currentVersions.forEach(this::type);
      other.upcasters.forEach((key, step) -> {
        if (upcasters.putIfAbsent(key, step) != null && upcasters.get(key) != step) {
          throw new IllegalArgumentException("two upcasters for " + key);
        }
      });
      return this;
    }

    public EventTypes build() {
      for (String key : upcasters.keySet()) {
        String type = key.substring(0, key.lastIndexOf('@'));
        int from = Integer.parseInt(key.substring(key.lastIndexOf('@') + 1));
        Integer current = currentVersions.get(type);
        if (current == null || from >= current) {
          throw new IllegalArgumentException("upcaster " + key + " lifts past the current version of " + type);
        }
      }
      return new EventTypes(currentVersions, upcasters);
    }
  }
}
