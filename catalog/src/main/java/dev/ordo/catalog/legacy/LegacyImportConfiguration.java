package dev.ordo.catalog.legacy;

import dev.ordo.catalog.category.Category;
import dev.ordo.catalog.category.CategoryCommand;
import dev.ordo.catalog.category.CategoryEvent;
import dev.ordo.catalog.product.ProductCommand;
import dev.ordo.catalog.store.Store;
import dev.ordo.catalog.store.StoreCommand;
import dev.ordo.catalog.store.StoreEvent;
import dev.ordo.command.Aggregates;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.spring.command.OwnedAggregates;
import dev.ordo.spring.command.ValidationInterceptor;
import dev.ordo.spring.query.ReadModels;
import dev.ordo.spring.security.RouteAccess;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Legacy imports in a Spring application: admins only; run where the catalog's products are
 * written (the app, or the catalog write service), while every instance knows the runs' events.
 */
@Configuration(proxyBeanMethods = false)
public class LegacyImportConfiguration {

  @Bean
  RouteAccess legacyImportRoutes() {
    return routes -> routes.requestMatchers("/api/v1/imports", "/api/v1/imports/**").hasRole("ADMIN");
  }

  @Bean
  EventTypes legacyImportEventTypes() {
    return ImportEvent.CODEC.types();
  }

  @Bean(destroyMethod = "close")
  @Conditional(WritesProducts.class)
  LegacyImports legacyImports(EventStore store, Aggregates<StoreCommand, Store, StoreEvent> stores,
      Aggregates<CategoryCommand, Category, CategoryEvent> categories, ValidationInterceptor validation,
      @Qualifier("readDataSource") DataSource readDataSource, ObjectProvider<ReadModels> readModels,
      @Value("${ordo.import.page-size:1000}") int pageSize,
      @Value("${ordo.import.pages-in-flight:4}") int pagesInFlight,
      @Value("${ordo.import.catch-up-timeout:10m}") Duration catchUpTimeout) {
    return new LegacyImports(store, stores, categories, validation::check,
        new ReadModelFigures(readDataSource, readModels.getIfAvailable()),
        new LegacyImport.Settings(pageSize, pagesInFlight, catchUpTimeout));
  }

  @Bean
  @Conditional(WritesProducts.class)
  ImportController importController(LegacyImports imports) {
    return new ImportController(imports);
  }

  /** Where products' commands are handled ({@code ordo.commands.aggregates}): there, imports write them too. */
  static final class WritesProducts implements Condition {

    @Override
    public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
      return OwnedAggregates.from(context.getEnvironment()).test(ProductCommand.class);
    }
  }
}
