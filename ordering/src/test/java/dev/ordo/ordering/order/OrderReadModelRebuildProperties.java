package dev.ordo.ordering.order;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.command.Aggregates;
import dev.ordo.command.CommandEnvelope;
import dev.ordo.command.CommandMetadata;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.ordering.Ids;
import dev.ordo.ordering.OrderingTypes;
import dev.ordo.ordering.delivery.Delivery;
import dev.ordo.ordering.delivery.DeliveryCommand;
import dev.ordo.ordering.delivery.DeliveryEvent;
import dev.ordo.ordering.dispatch.Dispatch;
import dev.ordo.ordering.dispatch.DispatchCommand;
import dev.ordo.ordering.dispatch.DispatchEvent;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.log.PostgresEventStore;
import dev.ordo.postgres.readmodel.ProjectionHost;
import dev.ordo.postgres.snapshots.PostgresSnapshotStore;
import dev.ordo.spring.readmodel.TableProjection;
import dev.ordo.test.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
 * The catalog's rebuild property for ordering's read models: for random sequences of order,
 * dispatch and delivery commands, the read models kept event by event, the ones rebuilt blue/green
 * while the commands were still coming, and ones built fresh from the log afterwards hold exactly
 * the same rows (the dashboard's per-day tables and the audit included).
 */
class OrderReadModelRebuildProperties {

  private static final List<String> TABLES = List.of("order_read", "dispatch_read", "delivery_read", "order_day",
      "order_day_status", "order_day_product", "order_audit", "order_audit_stream", "payment_deadline");
  private static final ShippingAddress ADDRESS = new ShippingAddress("이영희", "010-9876-5432", "부산시 해운대구 1",
      "48094", false);

  private static HikariDataSource writeDatabase;
  private static HikariDataSource incrementalDatabase;
  private static HikariDataSource rebuiltDatabase;
  private static PostgresEventStore store;
  private static Aggregates<OrderCommand, Order, OrderEvent> orders;
  private static Aggregates<DispatchCommand, Dispatch, DispatchEvent> dispatches;
  private static Aggregates<DeliveryCommand, Delivery, DeliveryEvent> deliveries;
  private static List<ProjectionHost> incremental;
  private static List<ProjectionHost> rebuilt;

  /** One command: what, on which order, with which number. */
  record Step(int kind, int order, int amount) {}

  @BeforeContainer
  static void start() {
    writeDatabase = pool(TestPostgres.createDatabase());
    OrdoMigrations.migrateLog(writeDatabase);
    EventTypes types = EventTypes.builder().include(OrderingTypes.ORDER.codec().types())
        .include(OrderingTypes.DISPATCH.codec().types()).include(OrderingTypes.DELIVERY.codec().types()).build();
    store = new PostgresEventStore(writeDatabase, types);
    var snapshots = new PostgresSnapshotStore(writeDatabase);
    var settings = new Aggregates.Settings(3, 1_000, 8);
    orders = new Aggregates<>(OrderingTypes.ORDER, store, snapshots, OrderingTypes.JSON, settings);
    dispatches = new Aggregates<>(OrderingTypes.DISPATCH, store, snapshots, OrderingTypes.JSON, settings);
    deliveries = new Aggregates<>(OrderingTypes.DELIVERY, store, snapshots, OrderingTypes.JSON, settings);
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
    return database;
  }

  private static List<ProjectionHost> hosts(DataSource readDatabase) {
    List<TableProjection> projections = List.of(new OrderReadProjection(new dev.ordo.test.InMemoryPersonalData()), new OrderHistoryProjection(),
        new PaymentDeadlines(readDatabase, null, Clock.systemUTC(), Duration.ofHours(1)));
    return projections.stream().map(p -> new ProjectionHost(store, readDatabase, p, p.tables(), 100, 3).start()).toList();
  }

  @Provide
  Arbitrary<List<Step>> commands() {
    Arbitrary<Step> step = Combinators.combine(Arbitraries.integers().between(0, 16), Arbitraries.integers().between(0, 3),
        Arbitraries.integers().between(0, 40)).as(Step::new);
    return step.list().ofMinSize(10).ofMaxSize(80);
  }

  @Property(tries = 10)
  void incrementalRebuiltUnderWritesAndFreshReadModelsAreEqual(@ForAll("commands") List<Step> steps) throws Exception {
    List<String> orderIds = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      orderIds.add(UUID.randomUUID().toString());
    }
    int middle = steps.size() / 2;
    for (int i = 0; i < steps.size(); i++) {
      if (i == middle) {
        rebuilt.forEach(ProjectionHost::rebuild); // builds beside the active generation while the rest come in
      }
      apply(steps.get(i), orderIds.get(steps.get(i).order()));
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

  /** Runs the command; refusals (broken rules, unknown aggregates) are part of a random sequence. */
  private static void apply(Step step, String orderId) {
    int amount = step.amount();
    String product = "p-" + amount % 3;
    String dispatch = Ids.dispatch(orderId);
    String delivery = Ids.delivery(orderId);
    Instant now = Instant.now();
    try {
      switch (step.kind()) {
        case 0, 1 -> orders.handle(envelope(new OrderCommand.Place(orderId, "user-" + amount % 4, List.of(
            new OrderItem("p-0", "상품 0", "s-1", 1_000L + amount, 1 + amount % 3),
            new OrderItem("p-1", "상품 1", "s-1", 500, 2)), ADDRESS, now.plusSeconds(amount % 2 == 0 ? 3_600 : -1)),
            orderId));
        case 2, 3 -> orders.handle(envelope(new OrderCommand.ConfirmReservation(orderId, product), orderId));
        case 4 -> orders.handle(envelope(new OrderCommand.RejectOrder(orderId, product, "insufficient-stock"), orderId));
        case 5 -> orders.handle(envelope(new OrderCommand.ApproveOrder(orderId), orderId));
        case 6 -> orders.handle(envelope(new OrderCommand.PayOrder(orderId, amount % 2 == 0 ? PaymentMethod.CARD
            : PaymentMethod.MOBILE, now), orderId));
        case 7 -> orders.handle(envelope(new OrderCommand.CancelOrder(orderId, "reason " + amount), orderId));
        case 8 -> orders.handle(envelope(new OrderCommand.ExpireOrder(orderId, now), orderId));
        case 9 -> dispatches.handle(envelope(new DispatchCommand.OpenDispatch(dispatch, orderId), dispatch));
        case 10 -> dispatches.handle(envelope(new DispatchCommand.AssignRider(dispatch, "rider-" + amount % 3), dispatch));
        case 11 -> dispatches.handle(envelope(amount % 3 == 0 ? new DispatchCommand.DeclineDispatch(dispatch, "busy")
            : new DispatchCommand.AcceptDispatch(dispatch), dispatch));
        case 12 -> dispatches.handle(envelope(new DispatchCommand.PickUp(dispatch), dispatch));
        case 13 -> {
          orders.handle(envelope(new OrderCommand.ShipOrder(orderId, "T-" + amount), orderId));
          deliveries.handle(envelope(new DeliveryCommand.StartDelivery(delivery, orderId, dispatch, "rider-1"),
              delivery));
        }
        case 14, 15 -> deliveries.handle(envelope(new DeliveryCommand.UpdateLocation(delivery, 37.0 + amount / 100.0,
            127.0 - amount / 100.0), delivery));
        default -> {
          deliveries.handle(envelope(new DeliveryCommand.CompleteDelivery(delivery), delivery));
          orders.handle(envelope(new OrderCommand.DeliverOrder(orderId), orderId));
        }
      }
    } catch (RuntimeException refused) {
      // a broken rule or an unknown aggregate: nothing was appended
    }
  }

  private static <C> CommandEnvelope<C> envelope(C command, String id) {
    return CommandEnvelope.of(command, id, CommandMetadata.newCommand("property"));
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
