package dev.ordo.spring;

import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandLog;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.personaldata.PersonalData;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.commands.PostgresCommandLog;
import dev.ordo.postgres.log.PostgresEventStore;
import dev.ordo.postgres.personaldata.PostgresPersonalData;
import dev.ordo.postgres.snapshots.PostgresSnapshotStore;
import dev.ordo.snapshot.SnapshotStore;
import dev.ordo.spring.command.CommandEndpoint;
import dev.ordo.spring.command.CommandStatusController;
import dev.ordo.spring.command.OwnedAggregates;
import dev.ordo.spring.command.ValidationInterceptor;
import dev.ordo.spring.console.ConsoleConfiguration;
import dev.ordo.spring.fallback.WriteServices;
import dev.ordo.spring.flags.FlagsController;
import dev.ordo.spring.flags.QueryFamily;
import dev.ordo.spring.flags.QueryFlags;
import dev.ordo.spring.log.EventLogController;
import dev.ordo.spring.log.StreamStateController;
import dev.ordo.spring.process.LogConsumer;
import dev.ordo.spring.process.ProcessProjection;
import dev.ordo.spring.process.Processes;
import dev.ordo.spring.projection.ProjectionMetrics;
import dev.ordo.spring.projection.ProjectionsController;
import dev.ordo.spring.projection.ProjectionsHealthIndicator;
import dev.ordo.spring.query.ReadModels;
import dev.ordo.spring.readmodel.TableProjection;
import dev.ordo.spring.search.SearchHealthIndicator;
import dev.ordo.spring.search.SearchIndexDefinition;
import dev.ordo.spring.search.Searches;
import dev.ordo.spring.verify.ReadModelCheck;
import dev.ordo.spring.verify.Verifications;
import dev.ordo.spring.verify.VerificationsController;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.validation.Validator;
import io.opentelemetry.api.OpenTelemetry;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * The event store on the application's {@link DataSource}, migrated at start, with the log
 * endpoints and the event store's health (RFC 9457 errors come from ProblemAutoConfiguration).
 * Contexts contribute the event types they own as {@link EventTypes} beans; the store knows the union.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnBean(DataSource.class)
@Import({EventLogController.class, StreamStateController.class, CommandStatusController.class,
    ConsoleConfiguration.class, FlagsController.class})
public class OrdoAutoConfiguration {

  @Bean(destroyMethod = "close")
  @ConditionalOnMissingBean(EventStore.class)
  PostgresEventStore eventStore(DataSource dataSource, ObjectProvider<EventTypes> contextTypes) {
    OrdoMigrations.migrateLog(dataSource);
    EventTypes.Builder types = EventTypes.builder();
    contextTypes.orderedStream().forEach(types::include);
    return new PostgresEventStore(dataSource, types.build());
  }

  /** The feature flags' event type, known to the store like a context's. */
  @Bean
  EventTypes queryFlagEventTypes() {
    return QueryFlags.TYPES;
  }

  @Bean(destroyMethod = "close")
  QueryFlags queryFlags(EventStore eventStore, ObjectProvider<QueryFamily> families) {
    return new QueryFlags(eventStore, families.orderedStream().toList());
  }

  @Bean
  @ConditionalOnMissingBean(SnapshotStore.class)
  PostgresSnapshotStore snapshotStore(DataSource dataSource, EventStore eventStore) {
    // eventStore: the migrations ran when it was made
    return new PostgresSnapshotStore(dataSource);
  }

  /**
   * The keys personal data is sealed with live in the log database of the service that seals it,
   * beside what they protect. A service that opens what another seals (the read-model service in
   * distributed mode, whose log is a copy from Kafka) reads the sealing service's keys from its
   * database, {@code ordo.personal-data.db.url} (user and password as {@code ordo.db.*}): keys never
   * travel through Kafka, and a key destroyed there stops opening here within the cache's seconds.
   * A connection per lookup, no pool: a key is looked up once per few seconds at most.
   */
  @Bean
  @ConditionalOnMissingBean(PersonalData.class)
  PostgresPersonalData personalData(DataSource dataSource, EventStore eventStore, Environment environment) {
    // eventStore: the migrations ran when it was made
    String keys = environment.getProperty("ordo.personal-data.db.url", "");
    return new PostgresPersonalData(keys.isBlank() ? dataSource : new DriverManagerDataSource(keys,
        environment.getProperty("ordo.db.user", "postgres"), environment.getProperty("ordo.db.password", "")));
  }

  @Bean
  ValidationInterceptor validationInterceptor(Validator validator) {
    return new ValidationInterceptor(validator);
  }

  @Bean
  @ConditionalOnMissingBean
  CommandBus commandBus(ValidationInterceptor validation, Environment environment) {
    return new CommandBus(OwnedAggregates.from(environment)).intercept(validation);
  }

  @Bean
  @ConditionalOnMissingBean(CommandLog.class)
  PostgresCommandLog commandLog(DataSource dataSource, EventStore eventStore) {
    // eventStore: the migrations ran when it was made
    return new PostgresCommandLog(dataSource);
  }

  @Bean
  CommandEndpoint commandEndpoint(CommandBus bus, CommandLog commandLog, ValidationInterceptor validation,
      @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping mappings, Environment environment,
      MeterRegistry meters) {
    return new CommandEndpoint(bus, commandLog, validation, mappings, environment.getProperty("ordo.service.name"),
        meters);
  }

  /** Idempotency keys and answers are kept 24 hours; older records are removed every few minutes. */
  @Bean(destroyMethod = "shutdownNow")
  ScheduledExecutorService commandLogCleaner(CommandLog commandLog) {
    var cleaner = Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("ordo-command-log-cleaner").daemon().factory());
    cleaner.scheduleWithFixedDelay(() -> {
      try {
        commandLog.removeExpired();
        commandLog.removeAbandonedClaims(Duration.ofMinutes(1));
      } catch (RuntimeException e) {
        LoggerFactory.getLogger(OrdoAutoConfiguration.class).warn("command log not cleaned: {}", e.getMessage());
      }
    }, 1, 5, TimeUnit.MINUTES);
    return cleaner;
  }

  /** With a read database ({@code readDataSource}), every projection bean runs into it. */
  @Bean(destroyMethod = "close")
  @ConditionalOnBean(name = "readDataSource")
  ReadModels readModels(EventStore store, @Qualifier("readDataSource") DataSource readDataSource,
      ObjectProvider<TableProjection> projections, Environment environment, ObjectProvider<OpenTelemetry> tracing) {
    var settings = new ReadModels.Settings(
        environment.getProperty("ordo.projections.batch-size", Integer.class, ReadModels.Settings.DEFAULTS.batchSize()),
        environment.getProperty("ordo.projections.max-attempts", Integer.class,
            ReadModels.Settings.DEFAULTS.maxAttempts()),
        environment.getProperty("ordo.projections.run", Boolean.class, true));
    OpenTelemetry openTelemetry = tracing.getIfAvailable();
    return new ReadModels(store, readDataSource, projections.orderedStream().toList(), settings,
        openTelemetry == null ? null : openTelemetry.getTracer("dev.ordo"));
  }

  /**
   * Every process bean and every other {@link LogConsumer} (the Kafka relay), run from the write database
   * once the context has started; none with
   * {@code ordo.processes.enabled=false} (an instance that leaves them to others).
   */
  @Bean
  Processes processes(EventStore store, CommandBus bus, CommandLog commandLog, DataSource dataSource,
      ObjectProvider<ProcessProjection> projections, ObjectProvider<LogConsumer<?>> others, Environment environment) {
    var settings = new Processes.Settings(
        environment.getProperty("ordo.processes.batch-size", Integer.class, Processes.Settings.DEFAULTS.batchSize()),
        environment.getProperty("ordo.processes.max-attempts", Integer.class,
            Processes.Settings.DEFAULTS.maxAttempts()));
    boolean enabled = environment.getProperty("ordo.processes.enabled", Boolean.class, true);
    return new Processes(store, bus, commandLog, dataSource,
        enabled ? projections.orderedStream().toList() : List.of(),
        enabled ? others.orderedStream().<LogConsumer<?>>map(c -> c).toList() : List.of(), settings);
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnBean(ReadModels.class)
  Verifications verifications(EventStore store, ReadModels readModels, ObjectProvider<ReadModelCheck> checks) {
    return new Verifications(store, readModels, checks.orderedStream().toList());
  }

  @Bean
  @ConditionalOnBean(Verifications.class)
  VerificationsController verificationsController(Verifications verifications) {
    return new VerificationsController(verifications);
  }

  @Bean
  @ConditionalOnBean(ReadModels.class)
  ProjectionsController projectionsController(ReadModels readModels, Processes processes) {
    return new ProjectionsController(readModels, processes);
  }

  /** DOWN past {@code ordo.projections.lag-threshold} (default 30 s) or at a dead letter. */
  @Bean
  @ConditionalOnBean(ReadModels.class)
  ProjectionsHealthIndicator projectionsHealthIndicator(ReadModels readModels, Processes processes,
      Environment environment) {
    return new ProjectionsHealthIndicator(readModels, processes,
        environment.getProperty("ordo.projections.lag-threshold", Duration.class, Duration.ofSeconds(30)));
  }

  @Bean(destroyMethod = "close")
  @ConditionalOnBean(ReadModels.class)
  ProjectionMetrics projectionMetrics(ReadModels readModels, Processes processes) {
    return new ProjectionMetrics(readModels, processes);
  }

  /** {@code ordo.fallback.services.<aggregate>=<URL>}: none by default (the app is its own write service). */
  @Bean
  WriteServices writeServices(Environment environment, MeterRegistry registry) {
    Map<String, String> services = Binder.get(environment)
        .bind("ordo.fallback.services", Bindable.mapOf(String.class, String.class)).orElse(Map.of());
    return new WriteServices(services, registry);
  }

  /**
   * Every {@link SearchIndexDefinition} bean, embedded under {@code ordo.search.dir} (default: {@code
   * search} under {@code ordo.data.dir}), or in the OpenSearch {@code ordo.search.url} names
   * ({@code ORDO_SEARCH_URL}; searches time out after {@code ordo.search.timeout}, 2 s), fed from the
   * log once the context has started.
   */
  @Bean(destroyMethod = "close")
  Searches searches(EventStore store, DataSource dataSource, ObjectProvider<SearchIndexDefinition> definitions,
      Processes processes, Environment environment, MeterRegistry meters) {
    Path directory = Path.of(environment.getProperty("ordo.search.dir",
        environment.getProperty("ordo.data.dir", "./data") + "/search"));
    var settings = new Searches.Settings(directory,
        environment.getProperty("ordo.search.batch-size", Integer.class, 1000),
        environment.getProperty("ordo.search.max-attempts", Integer.class, 5),
        Optional.ofNullable(environment.getProperty("ordo.search.url")).filter(u -> !u.isBlank()).map(URI::create)
            .orElse(null),
        environment.getProperty("ordo.search.timeout", Duration.class, Duration.ofSeconds(2)));
    boolean enabled = environment.getProperty("ordo.search.enabled", Boolean.class, true);
    return new Searches(store, dataSource, enabled ? definitions.orderedStream().toList() : List.of(), settings,
        processes, meters);
  }

  @Bean
  SearchHealthIndicator searchHealthIndicator(Searches searches) {
    return new SearchHealthIndicator(searches);
  }

  @Bean
  EventStoreHealthIndicator eventStoreHealthIndicator(DataSource dataSource) {
    return new EventStoreHealthIndicator(dataSource);
  }

  @Bean(destroyMethod = "close")
  HealthMetrics healthMetrics(ObjectProvider<HealthEndpoint> health) {
    return new HealthMetrics(health);
  }
}
