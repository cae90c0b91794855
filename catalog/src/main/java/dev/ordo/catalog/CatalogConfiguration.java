package dev.ordo.catalog;

import dev.ordo.catalog.category.Category;
import dev.ordo.catalog.category.CategoryCommand;
import dev.ordo.catalog.category.CategoryEvent;
import dev.ordo.catalog.category.CategoryQueries;
import dev.ordo.catalog.legacy.LegacyImportConfiguration;
import dev.ordo.catalog.product.OrderStock;
import dev.ordo.catalog.product.Product;
import dev.ordo.catalog.product.ProductCommand;
import dev.ordo.catalog.product.ProductDetailCache;
import dev.ordo.catalog.product.ProductEvent;
import dev.ordo.catalog.product.ProductHistoryProjection;
import dev.ordo.catalog.product.ProductListing;
import dev.ordo.catalog.product.ProductQueries;
import dev.ordo.catalog.product.ProductReadCheck;
import dev.ordo.catalog.product.ProductReadProjection;
import dev.ordo.catalog.product.ProductSearch;
import dev.ordo.catalog.product.ProductSearchIndex;
import dev.ordo.catalog.product.ProductStream;
import dev.ordo.catalog.store.Store;
import dev.ordo.catalog.store.StoreCommand;
import dev.ordo.catalog.store.StoreEvent;
import dev.ordo.catalog.store.StoreQueries;
import dev.ordo.command.Aggregates;
import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandException;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.snapshot.SnapshotStore;
import dev.ordo.spring.flags.QueryFamily;
import dev.ordo.spring.flags.QueryFlags;
import dev.ordo.spring.query.ReadModels;
import dev.ordo.spring.search.SearchIndexDefinition;
import dev.ordo.spring.search.Searches;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.beans.factory.annotation.Value;
import dev.ordo.spring.security.RouteAccess;
import org.springframework.context.annotation.Bean;
import org.springframework.http.HttpMethod;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

/**
 * The catalog in a Spring application: its event types for the store, its aggregates, and its
 * commands on the bus with the application rules that need other aggregates (seed 000 §3.2:
 * the store and the category exist).
 */
@Configuration(proxyBeanMethods = false)
@Import({StoreQueries.class, CategoryQueries.class, LegacyImportConfiguration.class})
public class CatalogConfiguration {

  /**
   * Catalog queries are public but a product's audit trail (its store's sellers and admins, checked
   * there); its commands need a caller, whom each aggregate's access rules then judge.
   */
  @Bean
  RouteAccess catalogRoutes() {
    String[] catalog = {"/api/v1/products", "/api/v1/products/**", "/api/v1/stores", "/api/v1/stores/**",
        "/api/v1/categories", "/api/v1/categories/**"};
    return routes -> routes
        .requestMatchers(HttpMethod.GET, "/api/v1/products/*/history").authenticated()
        .requestMatchers(HttpMethod.GET, catalog).permitAll()
        .requestMatchers(HttpMethod.GET, "/api/v1/search/popular").permitAll()
        .requestMatchers(catalog).authenticated();
  }

  @Bean
  EventTypes catalogEventTypes() {
    return EventTypes.builder()
        .include(CatalogTypes.STORE.codec().types())
        .include(CatalogTypes.CATEGORY.codec().types())
        .include(CatalogTypes.PRODUCT.codec().types())
        .build();
  }

  @Bean
  Aggregates<StoreCommand, Store, StoreEvent> stores(EventStore store, SnapshotStore snapshots, Aggregates.Settings settings) {
    return new Aggregates<>(CatalogTypes.STORE, store, snapshots, CatalogTypes.JSON, settings);
  }

  @Bean
  Aggregates<CategoryCommand, Category, CategoryEvent> categories(EventStore store, SnapshotStore snapshots,
      Aggregates.Settings settings) {
    return new Aggregates<>(CatalogTypes.CATEGORY, store, snapshots, CatalogTypes.JSON, settings);
  }

  @Bean
  Aggregates<ProductCommand, Product, ProductEvent> products(EventStore store, SnapshotStore snapshots,
      Aggregates.Settings settings) {
    return new Aggregates<>(CatalogTypes.PRODUCT, store, snapshots, CatalogTypes.JSON, settings);
  }

  /** The catalog's read models; the catalog's own read tables are migrated before they first run. */
  @Bean
  ProductReadProjection productReadProjection(@Qualifier("readDataSource") DataSource readDataSource,
      ProductDetailCache detailCache) {
    ProductReadProjection.migrate(readDataSource);
    return new ProductReadProjection(detailCache);
  }

  @Bean
  ProductDetailCache productDetailCache() {
    return new ProductDetailCache();
  }

  @Bean
  ProductHistoryProjection productHistoryProjection() {
    return new ProductHistoryProjection();
  }

  /** Reserves, gives back and sells stock as orders are placed and end (a process: the application runs it). */
  @Bean
  OrderStock orderStock() {
    return new OrderStock();
  }

  @Bean
  ProductQueries productQueries(@Qualifier("readDataSource") DataSource readDataSource, ReadModels readModels,
      Aggregates<ProductCommand, Product, ProductEvent> products, Aggregates<StoreCommand, Store, StoreEvent> stores,
      Aggregates<CategoryCommand, Category, CategoryEvent> categories, ProductDetailCache detailCache,
      QueryFlags flags) {
    return new ProductQueries(readDataSource, readModels, products, stores, categories, detailCache, flags);
  }

  @Bean
  ProductReadCheck productReadCheck(Aggregates<ProductCommand, Product, ProductEvent> products,
      @Qualifier("readDataSource") DataSource readDataSource) {
    return new ProductReadCheck(products, readDataSource);
  }

  @Bean
  QueryFamily productDetailFamily() {
    return new QueryFamily(ProductQueries.FAMILY, "GET /api/v1/products/{id}");
  }

  @Bean
  ProductListing productListing(@Qualifier("readDataSource") DataSource readDataSource, ReadModels readModels) {
    return new ProductListing(readDataSource, readModels);
  }

  @Bean
  SearchIndexDefinition productSearchIndex() {
    return ProductSearchIndex.definition();
  }

  @Bean
  ProductSearch productSearch(Searches searches, ProductQueries details, ProductListing listing,
      @Qualifier("readDataSource") DataSource readDataSource, ReadModels readModels) {
    return new ProductSearch(searches, details, listing, readDataSource, readModels);
  }

  @Bean
  ProductStream productStream(EventStore store, @Qualifier("readDataSource") DataSource readDataSource,
      ReadModels readModels, @Value("${ordo.live.window:20000}") int window,
      @Value("${ordo.live.flush-interval:20ms}") java.time.Duration flushInterval) {
    return new ProductStream(store, readDataSource, readModels, window, flushInterval);
  }

  @Bean
  Aggregates.Settings aggregateSettings(@Value("${ordo.snapshots.every:100}") int snapshotEvery) {
    return new Aggregates.Settings(snapshotEvery, Aggregates.Settings.DEFAULTS.cacheSize(),
        Aggregates.Settings.DEFAULTS.maxAttempts());
  }

  @Bean
  CatalogCommands catalogCommands(CommandBus bus, Aggregates<StoreCommand, Store, StoreEvent> stores,
      Aggregates<CategoryCommand, Category, CategoryEvent> categories,
      Aggregates<ProductCommand, Product, ProductEvent> products) {
    var commands = new CatalogCommands(stores, categories, products);
    commands.register(bus);
    return commands;
  }

  /** The catalog's handlers: each command to its aggregate, after the rules that span aggregates. */
  public record CatalogCommands(Aggregates<StoreCommand, Store, StoreEvent> stores,
      Aggregates<CategoryCommand, Category, CategoryEvent> categories,
      Aggregates<ProductCommand, Product, ProductEvent> products) {

    public void register(CommandBus bus) {
      bus.register(StoreCommand.RegisterStore.class, stores::handle);
      bus.register(StoreCommand.RenameStore.class, stores::handle);
      bus.register(CategoryCommand.CreateCategory.class, this::createCategory);
      bus.register(CategoryCommand.RenameCategory.class, categories::handle);
      bus.register(ProductCommand.RegisterProduct.class, this::registerProduct);
      bus.register(ProductCommand.UpdateProductInfo.class, this::updateProductInfo);
      bus.register(ProductCommand.ChangePrice.class, products::handle);
      bus.register(ProductCommand.AdjustStock.class, products::handle);
      bus.register(ProductCommand.HideProduct.class, products::handle);
      bus.register(ProductCommand.RestoreProduct.class, products::handle);
      bus.register(ProductCommand.DeleteProduct.class, products::handle);
      bus.register(ProductCommand.AddReview.class, products::handle);
      // sent by OrderStock, not over HTTP
      bus.register(ProductCommand.ReserveStock.class, products::handle);
      bus.register(ProductCommand.ReleaseStock.class, products::handle);
      bus.register(ProductCommand.SettleReservation.class, products::handle);
    }

    private dev.ordo.command.CommandResult createCategory(CommandEnvelope<CategoryCommand.CreateCategory> command) {
      String parent = command.command().parentId();
      if (parent != null && !categories.load(parent).exists()) {
        throw CommandException.rule("unknown-category", "no parent category " + parent);
      }
      return categories.handle(command);
    }

    private dev.ordo.command.CommandResult registerProduct(CommandEnvelope<ProductCommand.RegisterProduct> command) {
      requireStore(command.command().storeId());
      requireCategory(command.command().categoryId());
      return products.handle(command);
    }

    private dev.ordo.command.CommandResult updateProductInfo(
        CommandEnvelope<ProductCommand.UpdateProductInfo> command) {
      if (command.command().categoryId() != null) {
        requireCategory(command.command().categoryId());
      }
      return products.handle(command);
    }

    private void requireStore(String storeId) {
      if (!stores.load(storeId).exists()) {
        throw CommandException.rule("unknown-store", "no store " + storeId);
      }
    }

    private void requireCategory(String categoryId) {
      if (!categories.load(categoryId).exists()) {
        throw CommandException.rule("unknown-category", "no category " + categoryId);
      }
    }
  }
}
