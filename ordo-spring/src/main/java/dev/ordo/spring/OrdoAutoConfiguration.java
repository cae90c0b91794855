package dev.ordo.spring;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.PostgresEventStore;
import dev.ordo.postgres.PostgresSnapshotStore;
import dev.ordo.snapshot.SnapshotStore;
import dev.ordo.spring.log.EventLogController;
import dev.ordo.spring.problem.ProblemHandlers;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The event store on the application's {@link DataSource}, migrated at start, with the log
 * endpoints, RFC 9457 errors and the event store's health. Contexts contribute the event types
 * they own as {@link EventTypes} beans; the store knows the union.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnBean(DataSource.class)
@Import({EventLogController.class, ProblemHandlers.class})
public class OrdoAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(EventStore.class)
  PostgresEventStore eventStore(DataSource dataSource, ObjectProvider<EventTypes> contextTypes) {
    OrdoMigrations.migrateLog(dataSource);
    EventTypes.Builder types = EventTypes.builder();
    contextTypes.orderedStream().forEach(types::include);
    return new PostgresEventStore(dataSource, types.build());
  }

  @Bean
  @ConditionalOnMissingBean(SnapshotStore.class)
  PostgresSnapshotStore snapshotStore(DataSource dataSource, EventStore eventStore) {
    // eventStore: the migrations ran when it was made
    return new PostgresSnapshotStore(dataSource);
  }

  @Bean
  EventStoreHealthIndicator eventStoreHealthIndicator(DataSource dataSource) {
    return new EventStoreHealthIndicator(dataSource);
  }
}
