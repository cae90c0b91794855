package dev.ordo.kafka.source;

import dev.ordo.eventstore.LogPosition;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where a consumer of Kafka topics stands: for each partition the next offset to read and, for
 * each service whose events the partition carries, the last log position applied from it. The
 * offsets resume the consumer; the log positions drop what a relay published again after a crash
 * (the same events, at new offsets). Stored by its target with its effect, as text ({@link
 * #encode()}).
 *
 * @param partitions by {@code topic/partition}
 * @param last       the partition of the event this position was handed out after; null for a
 *                   position read back from storage
 */
public record KafkaPosition(Map<String, Mark> partitions, String last) {

  public static final KafkaPosition START = new KafkaPosition(Map.of(), null);

  public KafkaPosition {
    partitions = Collections.unmodifiableMap(new TreeMap<>(partitions));
  }

  /**
   * @param offset  the next offset to read
   * @param applied the last log position applied, by the source ({@code ce_source}) it came from
   */
  public record Mark(long offset, Map<String, LogPosition> applied) {

    static final Mark START = new Mark(0, Map.of());

    public Mark {
      applied = Map.copyOf(applied);
    }

    /** Whether the event at {@code position} of {@code source}'s log was applied already. */
    public boolean applied(String source, LogPosition position) {
      LogPosition at = applied.get(source);
      return at != null && !position.isAfter(at);
    }

    Mark after(long offset, String source, LogPosition position) {
      var next = new TreeMap<>(applied);
      next.put(source, position);
      return new Mark(offset + 1, next);
    }

    Mark skipping(long offset) {
      return new Mark(offset + 1, applied);
    }
  }

  public Mark mark(String partition) {
    return partitions.getOrDefault(partition, Mark.START);
  }

  KafkaPosition with(String partition, Mark mark) {
    var next = new TreeMap<>(partitions);
    next.put(partition, mark);
    return new KafkaPosition(next, partition);
  }

  /** One line per partition: {@code topic/partition offset source=tx:position ...}. */
  public String encode() {
    List<String> lines = new ArrayList<>();
    partitions.forEach((partition, mark) -> {
      var line = new StringBuilder(partition).append(' ').append(mark.offset());
      new TreeMap<>(mark.applied()).forEach((source, at) ->
          line.append(' ').append(source).append('=').append(at.tx()).append(':').append(at.position()));
      lines.add(line.toString());
    });
    return String.join("\n", lines);
  }

  public static KafkaPosition decode(String text) {
    Map<String, Mark> partitions = new TreeMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split(" ");
      Map<String, LogPosition> applied = new TreeMap<>();
      for (int i = 2; i < parts.length; i++) {
        int eq = parts[i].lastIndexOf('=');
        int colon = parts[i].lastIndexOf(':');
        applied.put(parts[i].substring(0, eq), new LogPosition(Long.parseLong(parts[i].substring(eq + 1, colon)),
            Long.parseLong(parts[i].substring(colon + 1))));
      }
      partitions.put(parts[0], new Mark(Long.parseLong(parts[1]), applied));
    }
    return new KafkaPosition(partitions, null);
  }

  @Override
  public String toString() {
    return partitions.isEmpty() ? "the start" : encode().replace('\n', ';');
  }
}
