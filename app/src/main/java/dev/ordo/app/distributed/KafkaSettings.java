package dev.ordo.app.distributed;

import java.net.URI;
import java.util.Arrays;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.springframework.core.env.Environment;

/**
 * What this instance does with Kafka, from {@code ordo.kafka.*}: {@code bootstrap-servers};
 * {@code topic-prefix} ({@code ordo.}), {@code partitions} (3) and {@code replication-factor} (1)
 * of the topics it creates; {@code publish}, the stream types it relays (by default the aggregates
 * it owns, {@code ordo.commands.aggregates}); {@code follow}, the stream types whose topics it
 * appends to its log ({@code *}: every topic with the prefix; by default none); and {@code
 * ordo.service.name}, which names it as the source of its events.
 */
record KafkaSettings(String bootstrapServers, String topicPrefix, int partitions, short replicationFactor,
    Set<String> publish, Set<String> follow, String service) {

  static KafkaSettings from(Environment environment) {
    String owned = environment.getProperty("ordo.commands.aggregates", "*");
    return new KafkaSettings(
        environment.getRequiredProperty("ordo.kafka.bootstrap-servers"),
        environment.getProperty("ordo.kafka.topic-prefix", "ordo."),
        environment.getProperty("ordo.kafka.partitions", Integer.class, 3),
        environment.getProperty("ordo.kafka.replication-factor", Short.class, (short) 1),
        list(environment.getProperty("ordo.kafka.publish", owned)),
        list(environment.getProperty("ordo.kafka.follow", "")),
        environment.getProperty("ordo.service.name", "ordo"));
  }

  URI source() {
    return URI.create("/ordo/" + service);
  }

  Predicate<String> publishes() {
    return publish.contains("*") ? type -> true : publish::contains;
  }

  /** Topics followed, by name. */
  Predicate<String> follows() {
    if (follow.contains("*")) {
      return topic -> topic.startsWith(topicPrefix);
    }
    Set<String> topics = follow.stream().map(type -> topicPrefix + type).collect(Collectors.toSet());
    return topics::contains;
  }

  private static Set<String> list(String value) {
    return Arrays.stream(value.split(",")).map(String::strip).filter(v -> !v.isEmpty() && !v.equals("none"))
        .collect(Collectors.toSet());
  }
}
