package dev.ordo.app.distributed;

import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.Projection;
import dev.ordo.consumer.Target;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.kafka.events.EventRecords;
import dev.ordo.kafka.relay.KafkaRelay;
import dev.ordo.kafka.relay.Publisher;
import dev.ordo.kafka.relay.RelayProjection;
import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.log.PostgresEventStore;
import dev.ordo.spring.process.LogConsumer;
import dev.ordo.spring.process.Processes;
import io.cloudevents.CloudEvent;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The relay and the replica, when {@code ordo.kafka.bootstrap-servers} names a broker. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("'${ordo.kafka.bootstrap-servers:}' != ''")
public class KafkaConfiguration {

  @Bean
  KafkaSettings kafkaSettings(Environment environment) {
    return KafkaSettings.from(environment);
  }

  @Bean(destroyMethod = "close")
  KafkaProducer<String, CloudEvent> ordoProducer(KafkaSettings settings) {
    return new KafkaProducer<>(Publisher.producerSettings(settings.bootstrapServers(), "ordo-relay-" + settings.service()));
  }

  @Bean(destroyMethod = "close")
  Admin ordoKafkaAdmin(KafkaSettings settings) {
    return Admin.create(Map.of("bootstrap.servers", settings.bootstrapServers()));
  }

  /** Run by the processes' lifecycle, listed with them as {@code kind: relay}. */
  @Bean
  LogConsumer<Publisher> kafkaRelay(KafkaSettings settings, KafkaProducer<String, CloudEvent> producer,
      Admin admin) {
    var publisher = new Publisher(producer, admin, new EventRecords(settings.topicPrefix()), settings.source(),
        settings.partitions(), settings.replicationFactor());
    var projection = new RelayProjection("kafka-relay", settings.publishes());
    return new LogConsumer<>() {
      @Override
      public String kind() {
        return "relay";
      }

      @Override
      public Projection<Publisher> projection() {
        return projection;
      }

      @Override
      public Target<Publisher, LogPosition> target(Checkpoints<LogPosition> checkpoints) {
        return new KafkaRelay<>(projection.name(), LogPosition.START, publisher, checkpoints,
            DatabaseErrors::isTransient);
      }
    };
  }

  @Bean(destroyMethod = "close")
  Replica kafkaReplica(KafkaSettings settings, PostgresEventStore store, Processes processes) {
    return new Replica(settings, store, processes);
  }
}
