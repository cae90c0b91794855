package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.catalog.CatalogConfiguration.CatalogCommands;
import dev.ordo.catalog.CatalogTypes;
import dev.ordo.catalog.category.Category;
import dev.ordo.catalog.category.CategoryCommand;
import dev.ordo.catalog.category.CategoryEvent;
import dev.ordo.catalog.product.OrderStock;
import dev.ordo.catalog.product.Product;
import dev.ordo.catalog.product.ProductCommand;
import dev.ordo.catalog.product.ProductEvent;
import dev.ordo.catalog.product.ProductEvent.ReservationSettled;
import dev.ordo.catalog.product.ProductEvent.StockReleased;
import dev.ordo.catalog.product.ProductEvent.StockReservationRefused;
import dev.ordo.catalog.product.ProductEvent.StockReserved;
import dev.ordo.catalog.product.ProductHistoryProjection;
import dev.ordo.catalog.product.ProductReadProjection;
import dev.ordo.catalog.store.Store;
import dev.ordo.catalog.store.StoreCommand;
import dev.ordo.catalog.store.StoreEvent;
import dev.ordo.command.Aggregates;
import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandMetadata;
import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.consumer.ProcessTarget;
import dev.ordo.consumer.Source;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.checkpoints.PostgresCheckpoints;
import dev.ordo.postgres.commands.PostgresCommandLog;
import dev.ordo.postgres.log.PostgresEventStore;
import dev.ordo.postgres.readmodel.ProjectionHost;
import dev.ordo.postgres.snapshots.PostgresSnapshotStore;
import dev.ordo.test.TestPostgres;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The catalog's side of stock for orders, without the ordering context: its events are appended
 * here as ordering would append them (stream type {@code order}, by type name and JSON), and the
 * catalog's process, its product commands on a bus and its read models run on PostgreSQL as the
 * application runs them.
 */
class OrderStockIntegrationTests {

  /** The ordering context's events, as its registry would declare them. */
  private static final EventTypes ORDER_TYPES = EventTypes.builder().type("OrderPlaced", 1).type("OrderRejected", 1)
      .type("OrderCancelled", 1).type("OrderExpired", 1).type("OrderShipped", 1).build();

  private final OrderStock orderStock = new OrderStock();
  private final Map<Class<?>, AtomicInteger> dispatched = new ConcurrentHashMap<>();
  private HikariDataSource writeDatabase;
  private HikariDataSource readDatabase;
  private PostgresEventStore store;
  private PostgresCheckpoints checkpoints;
  private PostgresCommandLog commandLog;
  private CommandBus bus;
  private Aggregates<ProductCommand, Product, ProductEvent> products;
  private List<ProjectionHost> readModels;
  private ConsumerRunner<ProcessTarget.Commands, LogPosition> process;
  private String store1;
  private String category;

  @BeforeEach
  void setUp() {
    writeDatabase = pool(TestPostgres.createDatabase());
    OrdoMigrations.migrateLog(writeDatabase);
    store = new PostgresEventStore(writeDatabase, EventTypes.builder().include(CatalogTypes.STORE.codec().types())
        .include(CatalogTypes.CATEGORY.codec().types()).include(CatalogTypes.PRODUCT.codec().types())
        .include(ORDER_TYPES).build());
    checkpoints = new PostgresCheckpoints(writeDatabase);
    commandLog = new PostgresCommandLog(writeDatabase);
    var snapshots = new PostgresSnapshotStore(writeDatabase);
    var settings = Aggregates.Settings.DEFAULTS;
    Aggregates<StoreCommand, Store, StoreEvent> stores =
        new Aggregates<>(CatalogTypes.STORE, store, snapshots, CatalogTypes.JSON, settings);
    Aggregates<CategoryCommand, Category, CategoryEvent> categories =
        new Aggregates<>(CatalogTypes.CATEGORY, store, snapshots, CatalogTypes.JSON, settings);
    products = new Aggregates<>(CatalogTypes.PRODUCT, store, snapshots, CatalogTypes.JSON, settings);
    bus = new CommandBus().intercept((command, next) -> {
      dispatched.computeIfAbsent(command.command().getClass(), type -> new AtomicInteger()).incrementAndGet();
      return next.proceed(command);
    });
    new CatalogCommands(stores, categories, products).register(bus);

    readDatabase = pool(TestPostgres.createDatabase());
    OrdoMigrations.migrateReadModel(readDatabase);
    ProductReadProjection.migrate(readDatabase);
    readModels = List.of(new ProductReadProjection(), new ProductHistoryProjection()).stream()
        .map(p -> new ProjectionHost(store, readDatabase, p, p.tables(), 100, 3).start()).toList();

    store1 = send(new StoreCommand.RegisterStore(UUID.randomUUID().toString(), "Stock Mart"));
    category = send(new CategoryCommand.CreateCategory(UUID.randomUUID().toString(), "가전", null));
    process = runProcess();
  }

  @AfterEach
  void tearDown() {
    process.close();
    readModels.forEach(ProjectionHost::close);
    store.close();
    writeDatabase.close();
    readDatabase.close();
  }

  @Test
  void aRefusedItemIsAnsweredAndTheRejectedOrderGivesBackWhatWasReservedOnce() throws Exception {
    String plenty = product("Plenty", 10);
    String scarce = product("Scarce", 1);
    String order = UUID.randomUUID().toString();

    append("OrderPlaced", order, placed(order, plenty, 2, scarce, 2));

    assertThat(stockEvents(plenty)).containsExactly(new StockReserved(plenty, order, 2, 8));
    assertThat(stockEvents(scarce))
        .containsExactly(new StockReservationRefused(scarce, order, 2, 1, "insufficient-stock"));
    assertThat(products.load(plenty).state().reservations()).isEqualTo(Map.of(order, 2L));
    assertThat(products.load(scarce).state().reservations()).isEmpty();
    assertThat(readRow(plenty)).isEqualTo(new Row(8, 1));
    assertThat(readRow(scarce)).as("ordered, though refused").isEqualTo(new Row(1, 1));

    // ordering, told of the refusal, rejects the order with all its items
    append("OrderRejected", order, """
        {"orderId":"%s","reason":"insufficient-stock","productId":"%s",
         "items":[{"productId":"%s","quantity":2},{"productId":"%s","quantity":2}]}"""
        .formatted(order, scarce, plenty, scarce));

    assertThat(stockEvents(plenty)).containsExactly(new StockReserved(plenty, order, 2, 8),
        new StockReleased(plenty, order, 2, 10));
    assertThat(stockEvents(scarce)).hasSize(1);
    assertThat(products.load(plenty).state().stock()).isEqualTo(10);
    assertThat(products.load(plenty).state().reservations()).isEmpty();
    assertThat(readRow(plenty)).isEqualTo(new Row(10, 0));
    assertThat(readRow(scarce)).isEqualTo(new Row(1, 0));

    // the whole log handled again from the start: nothing new happens, and nothing answered is asked again
    long head = store.head();
    int reservationsAsked = count(ProductCommand.ReserveStock.class);
    replayFromTheStart();
    assertThat(store.head()).as("no event appended by the replay").isEqualTo(head);
    assertThat(count(ProductCommand.ReserveStock.class)).as("reservations found done in the command log")
        .isEqualTo(reservationsAsked);
    assertThat(products.load(plenty).state().stock()).isEqualTo(10);
  }

  @Test
  void aCancelledOrderGivesItsStockBackOnceAndAShippedOrderIsSold() throws Exception {
    String phone = product("Phone", 10);
    String cancelled = UUID.randomUUID().toString();

    append("OrderPlaced", cancelled, placed(cancelled, phone, 3));
    assertThat(readRow(phone)).isEqualTo(new Row(7, 1));

    String cancellation = """
        {"orderId":"%s","reason":"changed my mind","items":[{"productId":"%s","quantity":3}],
         "cancelledAt":"2026-12-01T10:00:00Z"}""".formatted(cancelled, phone);
    append("OrderCancelled", cancelled, cancellation);
    append("OrderCancelled", cancelled, cancellation); // told twice
    append("OrderExpired", cancelled, """
        {"orderId":"%s","items":[{"productId":"%s","quantity":3}]}""".formatted(cancelled, phone));

    assertThat(stockEvents(phone)).containsExactly(new StockReserved(phone, cancelled, 3, 7),
        new StockReleased(phone, cancelled, 3, 10));
    assertThat(readRow(phone)).as("stock back once, the order no longer counted").isEqualTo(new Row(10, 0));

    // two items of one product are one reservation of both quantities
    String shipped = UUID.randomUUID().toString();
    append("OrderPlaced", shipped, placed(shipped, phone, 4, phone, 1));
    append("OrderShipped", shipped, """
        {"orderId":"%s","trackingNumber":"CJ-1","items":[{"productId":"%s","quantity":4},{"productId":"%s","quantity":1}]}"""
        .formatted(shipped, phone, phone));
    append("OrderCancelled", shipped, """
        {"orderId":"%s","reason":"too late","items":[{"productId":"%s","quantity":5}]}""".formatted(shipped, phone));

    assertThat(stockEvents(phone)).endsWith(new StockReserved(phone, shipped, 5, 5),
        new ReservationSettled(phone, shipped, 5));
    Product sold = products.load(phone).state();
    assertThat(sold.stock()).as("sold stock stays down").isEqualTo(5);
    assertThat(sold.reservations()).isEmpty();
    assertThat(readRow(phone)).as("a shipped order stays counted").isEqualTo(new Row(5, 1));
    assertThat(auditSummaries(phone)).containsSubsequence(
        "reserved 3 for order " + cancelled + ", stock → 7",
        "released 3 of order " + cancelled + ", stock → 10",
        "reserved 5 for order " + shipped + ", stock → 5",
        "sold 5 to order " + shipped);
  }

  @Test
  void aHiddenProductRefusesAndTheOtherItemsOfTheOrderAreStillReserved() throws Exception {
    String hidden = product("Hidden", 5);
    String shown = product("Shown", 5);
    send(new ProductCommand.HideProduct(hidden));
    String order = UUID.randomUUID().toString();

    append("OrderPlaced", order, placed(order, hidden, 1, shown, 1));

    assertThat(stockEvents(hidden))
        .containsExactly(new StockReservationRefused(hidden, order, 1, 0, "product-not-available"));
    assertThat(stockEvents(shown)).containsExactly(new StockReserved(shown, order, 1, 4));
  }

  private ConsumerRunner<ProcessTarget.Commands, LogPosition> runProcess() {
    var target = new ProcessTarget<>(orderStock.name(), LogPosition.START, bus, commandLog, checkpoints,
        DatabaseErrors::isTransient);
    return new ConsumerRunner<>(Source.log(store), target, orderStock, 50, 3).start();
  }

  private void replayFromTheStart() throws Exception {
    process.close();
    try (Connection c = writeDatabase.getConnection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM consumer_checkpoints");
    }
    process = runProcess();
    awaitProcessed(store.locate(store.head()).orElseThrow());
  }

  private static HikariDataSource pool(String url) {
    var config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setMaximumPoolSize(8);
    return new HikariDataSource(config);
  }

  private String send(Object command) {
    String id = switch (command) {
      case StoreCommand.RegisterStore c -> c.storeId();
      case CategoryCommand.CreateCategory c -> c.categoryId();
      case ProductCommand c -> c.productId();
      default -> throw new IllegalArgumentException(command.toString());
    };
    bus.dispatch(CommandEnvelope.of(command, id, CommandMetadata.newCommand("seller-1")));
    return id;
  }

  private String product(String name, long stock) {
    return send(new ProductCommand.RegisterProduct(UUID.randomUUID().toString(), store1, category, name, 1_000L, stock,
        null, null, null, null, null));
  }

  /** An OrderPlaced as the ordering context writes it, with items of product and quantity pairs. */
  private String placed(String order, Object... items) {
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < items.length; i += 2) {
      lines.add("""
          {"productId":"%s","productName":"상품","storeId":"%s","unitPrice":1000,"quantity":%d}"""
          .formatted(items[i], store1, (Integer) items[i + 1]));
    }
    return """
        {"orderId":"%s","userId":"user-1","items":[%s],"totalAmount":2000,
         "shippingAddress":{"recipient":"홍길동","zipCode":"06234","address":"서울"},
         "paymentDueAt":"2026-12-01T10:30:00Z"}""".formatted(order, String.join(",", lines));
  }

  /** Appends an ordering event and waits for the process and the read models to have handled it. */
  private void append(String type, String order, String data) throws InterruptedException {
    var appended = store.append(order, "order", ExpectedVersion.any(), List.of(NewEvent.of(type, 1, data)));
    awaitProcessed(store.locate(appended.position()).orElseThrow());
  }

  private void awaitProcessed(LogPosition at) throws InterruptedException {
    await("the process to handle " + at, () -> checkpoints.load(orderStock.name()).map(p -> p.compareTo(at) >= 0)
        .orElse(false));
    assertThat(process.halted()).as("the process stopped at a dead letter").isFalse();
    long head = store.head(); // the products' answers too
    await("the read models to reach " + head, () -> readModels.stream()
        .allMatch(h -> h.activePosition().map(p -> p.position() >= head).orElse(false)));
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(10);
    }
  }

  private int count(Class<?> commandType) {
    AtomicInteger count = dispatched.get(commandType);
    return count == null ? 0 : count.get();
  }

  /** The product's stock events for orders, in stream order. */
  private List<ProductEvent> stockEvents(String productId) {
    List<ProductEvent> events = new ArrayList<>();
    for (RecordedEvent recorded : store.readStream(productId, 1).events()) {
      ProductEvent event = CatalogTypes.PRODUCT.codec().decode(recorded);
      if (event instanceof StockReserved || event instanceof StockReservationRefused || event instanceof StockReleased
          || event instanceof ReservationSettled) {
        events.add(event);
      }
    }
    return events;
  }

  record Row(long stock, int orderCount) {}

  private Row readRow(String productId) throws Exception {
    try (Connection c = readDatabase.getConnection();
        PreparedStatement select = c.prepareStatement(
            "SELECT stock, order_count FROM public.product_read WHERE product_id = ?")) {
      select.setString(1, productId);
      try (ResultSet rs = select.executeQuery()) {
        assertThat(rs.next()).as("a product_read row for " + productId).isTrue();
        return new Row(rs.getLong(1), rs.getInt(2));
      }
    }
  }

  private List<String> auditSummaries(String productId) throws Exception {
    List<String> summaries = new ArrayList<>();
    try (Connection c = readDatabase.getConnection();
        PreparedStatement select = c.prepareStatement(
            "SELECT change_summary FROM public.product_audit WHERE product_id = ? ORDER BY version")) {
      select.setString(1, productId);
      try (ResultSet rs = select.executeQuery()) {
        while (rs.next()) {
          summaries.add(rs.getString(1));
        }
      }
    }
    return summaries;
  }
}
