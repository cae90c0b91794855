package dev.ordo.catalog.product;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.catalog.CatalogTypes;
import dev.ordo.catalog.category.Category;
import dev.ordo.catalog.category.CategoryCommand;
import dev.ordo.catalog.category.CategoryEvent;
import dev.ordo.catalog.product.Product;
import dev.ordo.catalog.product.ProductCommand;
import dev.ordo.catalog.product.ProductEvent;
import dev.ordo.catalog.product.ProductImage;
import dev.ordo.catalog.product.StockReason;
import dev.ordo.catalog.store.Store;
import dev.ordo.catalog.store.StoreCommand;
import dev.ordo.catalog.store.StoreEvent;
import dev.ordo.command.Aggregates;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandMetadata;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.log.PostgresEventStore;
import dev.ordo.postgres.snapshots.PostgresSnapshotStore;
import dev.ordo.postgres.readmodel.ProjectionHost;
import dev.ordo.spring.readmodel.TableProjection;
import dev.ordo.test.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import javax.sql.DataSource;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Seed 000 §6.2's reconciliation, as a property: for random catalog command sequences, the read
 * models maintained event by event, the ones rebuilt blue/green while the commands were still
 * coming, and ones built fresh from the log afterwards hold exactly the same rows.
 */
class ReadModelRebuildProperties {

  private static final List<String> TABLES = List.of("store_read", "category_read", "product_read", "product_read_order",
      "product_review", "product_audit", "product_price_history");

  private static HikariDataSource writeDatabase;
  private static HikariDataSource incrementalDatabase;
  private static HikariDataSource rebuiltDatabase;
  private static PostgresEventStore store;
  private static Aggregates<StoreCommand, Store, StoreEvent> stores;
  private static Aggregates<CategoryCommand, Category, CategoryEvent> categories;
  private static Aggregates<ProductCommand, Product, ProductEvent> products;
  private static List<ProjectionHost> incremental;
  private static List<ProjectionHost> rebuilt;

  /** One command: what, on which product, with which number. */
  record Step(int kind, int product, int amount) {}

  @BeforeContainer
  static void start() {
    writeDatabase = pool(TestPostgres.createDatabase());
    OrdoMigrations.migrateLog(writeDatabase);
    EventTypes types = EventTypes.builder().include(CatalogTypes.STORE.codec().types())
        .include(CatalogTypes.CATEGORY.codec().types()).include(CatalogTypes.PRODUCT.codec().types()).build();
    store = new PostgresEventStore(writeDatabase, types);
    var snapshots = new PostgresSnapshotStore(writeDatabase);
    var settings = new Aggregates.Settings(3, 1_000, 8);
    stores = new Aggregates<>(CatalogTypes.STORE, store, snapshots, CatalogTypes.JSON, settings);
    categories = new Aggregates<>(CatalogTypes.CATEGORY, store, snapshots, CatalogTypes.JSON, settings);
    products = new Aggregates<>(CatalogTypes.PRODUCT, store, snapshots, CatalogTypes.JSON, settings);
    incrementalDatabase = readDatabase();
    rebuiltDatabase = readDatabase();
    incremental = hosts(incrementalDatabase);
    rebuilt = hosts(rebuiltDatabase);
  }

  @AfterContainer
  static void stop() {
    incremental.forEach(ProjectionHost::close);
    rebuilt.forEach(ProjectionHost::close);
    store.close();
    writeDatabase.close();
    incrementalDatabase.close();
    rebuiltDatabase.close();
  }

  private static HikariDataSource pool(String url) {
    var config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(8);
    return new HikariDataSource(config);
  }

  private static HikariDataSource readDatabase() {
    HikariDataSource database = pool(TestPostgres.createDatabase());
    OrdoMigrations.migrateReadModel(database);
    ProductReadProjection.migrate(database);
    return database;
  }

  private static List<ProjectionHost> hosts(DataSource readDatabase) {
    List<TableProjection> projections = List.of(new ProductReadProjection(), new ProductHistoryProjection());
    return projections.stream().map(p -> new ProjectionHost(store, readDatabase, p, p.tables(), 100, 3).start()).toList();
  }

  @Provide
  Arbitrary<List<Step>> commands() {
    Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 10), Arbitraries.integers().between(0, 4),
        Arbitraries.integers().between(-5, 30)).as(Step::new);
    return step.list().ofMinSize(5).ofMaxSize(60);
  }

  @Property(tries = 12)
  void incrementalRebuiltUnderWritesAndFreshReadModelsAreEqual(@ForAll("commands") List<Step> steps) throws Exception {
    String[] storeIds = {register(new StoreCommand.RegisterStore(null, "가게 " + UUID.randomUUID()))};
    String top = register(new CategoryCommand.CreateCategory(null, "전자제품", null));
    String child = register(new CategoryCommand.CreateCategory(null, "모바일", top));
    String[] categoryIds = {top, child};
    List<String> productIds = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      productIds.add(UUID.randomUUID().toString());
    }
    int middle = steps.size() / 2;
    for (int i = 0; i < steps.size(); i++) {
      if (i == middle) {
        rebuilt.forEach(ProjectionHost::rebuild); // builds beside the active generation while the rest come in
      }
      apply(steps.get(i), storeIds[0], categoryIds, productIds);
    }
    long head = store.head();
    await("incremental read models to catch up", () -> caughtUp(incremental, head));
    await("the rebuilds to take over and catch up",
        () -> rebuilt.stream().allMatch(h -> !h.building()) && caughtUp(rebuilt, head));
    rebuilt.forEach(ProjectionHost::refresh); // drops the retired generations

    try (HikariDataSource freshDatabase = readDatabase()) {
      List<ProjectionHost> fresh = hosts(freshDatabase);
      try {
        await("fresh read models to catch up", () -> caughtUp(fresh, head));
        List<String> expected = dump(freshDatabase);
        assertThat(dump(incrementalDatabase)).as("maintained event by event").isEqualTo(expected);
        assertThat(dump(rebuiltDatabase)).as("rebuilt blue/green under writes").isEqualTo(expected);
      } finally {
        fresh.forEach(ProjectionHost::close);
      }
    }
  }

  private static String register(Object command) {
    String id = UUID.randomUUID().toString();
    switch (command) {
      case StoreCommand.RegisterStore c -> stores.handle(envelope(new StoreCommand.RegisterStore(id, c.name()), id));
      case CategoryCommand.CreateCategory c ->
          categories.handle(envelope(new CategoryCommand.CreateCategory(id, c.name(), c.parentId()), id));
      default -> throw new IllegalArgumentException(command.toString());
    }
    return id;
  }

  private static <C> CommandEnvelope<C> envelope(C command, String id) {
    return CommandEnvelope.of(command, id, CommandMetadata.newCommand("property"));
  }

  /** Runs the command; rejections (broken rules, unknown products) are part of a random sequence. */
  private static void apply(Step step, String storeId, String[] categoryIds, List<String> productIds) {
    String id = productIds.get(step.product());
    int amount = step.amount();
    ProductCommand command = switch (step.kind()) {
      case 0, 1 -> new ProductCommand.RegisterProduct(id, storeId, categoryIds[Math.abs(amount) % 2],
          "상품 " + step.product() + " " + amount, (long) Math.abs(amount) * 1_000, (long) Math.abs(amount), null,
          "설명 " + amount, List.of(new ProductImage(ProductImage.ImageType.PRIMARY, "p" + amount + ".jpg", 0)),
          List.of("태그 " + Math.floorMod(amount, 3)), List.of("키워드 " + amount));
      case 2 -> new ProductCommand.ChangePrice(id, (long) Math.abs(amount) * 700, "reason " + amount);
      case 3, 4 -> new ProductCommand.AdjustStock(id, (long) amount,
          amount < 0 ? StockReason.ORDER : StockReason.MANUAL_ADJUSTMENT, null);
      case 5 -> new ProductCommand.HideProduct(id);
      case 6 -> new ProductCommand.RestoreProduct(id);
      case 7 -> new ProductCommand.AddReview(id, Math.floorMod(amount, 5) + 1, amount % 2 == 0 ? null : "후기 " + amount);
      case 8 -> new ProductCommand.UpdateProductInfo(id, "새 이름 " + amount, null, null,
          categoryIds[Math.floorMod(amount, 2)], null, amount % 3 == 0 ? null : List.of("태그 " + amount),
          amount % 2 == 0 ? List.of() : null);
      case 9 -> {
        stores.handle(envelope(new StoreCommand.RenameStore(storeId, "가게 " + amount + " " + UUID.randomUUID()),
            storeId));
        yield null;
      }
      default -> {
        categories.handle(envelope(new CategoryCommand.RenameCategory(categoryIds[0], "분류 " + amount), categoryIds[0]));
        yield null;
      }
    };
    if (command == null) {
      return;
    }
    try {
      products.handle(envelope(command, id));
    } catch (RuntimeException rejected) {
      // a broken rule or an unknown product: nothing was appended
    }
  }

  private static boolean caughtUp(List<ProjectionHost> hosts, long head) {
    return hosts.stream().allMatch(h -> h.activePosition().map(p -> p.position() >= head).orElse(false));
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  /** Every row of every read-model table, as text, in a stable order. */
  private static List<String> dump(DataSource database) throws Exception {
    List<String> rows = new ArrayList<>();
    try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
      for (String table : TABLES) {
        try (ResultSet rs = statement.executeQuery("SELECT t::text FROM public." + table + " t ORDER BY 1")) {
          while (rs.next()) {
            rows.add(table + " " + rs.getString(1));
          }
        }
      }
    }
    return rows;
  }
}
