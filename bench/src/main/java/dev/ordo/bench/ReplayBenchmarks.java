package dev.ordo.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.catalog.CatalogTypes;
import dev.ordo.catalog.product.ProductReadProjection;
import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.Subscription;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.log.PostgresEventStore;
import dev.ordo.postgres.readmodel.ProjectionHost;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.axonframework.common.jdbc.DataSourceConnectionProvider;
import org.axonframework.common.transaction.NoTransactionManager;
import org.axonframework.eventhandling.EventMessage;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.SimpleEventHandlerInvoker;
import org.axonframework.eventhandling.TrackingEventProcessor;
import org.axonframework.eventhandling.TrackingEventProcessorConfiguration;
import org.axonframework.eventhandling.tokenstore.inmemory.InMemoryTokenStore;
import org.axonframework.eventsourcing.eventstore.EmbeddedEventStore;
import org.axonframework.eventsourcing.eventstore.jdbc.JdbcEventStorageEngine;
import org.axonframework.eventsourcing.eventstore.jdbc.PostgresEventTableFactory;
import org.axonframework.serialization.json.JacksonSerializer;

/**
 * Reading the log back: a catalog of products with {@code eventsPerProduct} events each (one
 * registration, then stock adjustments for orders), written once to Ordo's log and once to Axon's
 * table on the same server. Then, per run: Ordo's log tailer and an Axon tracking event processor
 * deliver every event to a handler that does nothing (axon_replay); and the product_read
 * projection is built from the start of the log into an empty read database, beside a raw JDBC
 * batched upsert of the same read-model rows (rebuild).
 */
final class ReplayBenchmarks implements AutoCloseable {

  static final int EVENTS_PER_PRODUCT = 100;
  static final int READ_BATCH = 1_000;

  private final BenchDatabase database;
  private final int products;
  private final PostgresEventStore store;
  private final String storeId = UUID.randomUUID().toString();
  private final String categoryId = UUID.randomUUID().toString();
  private final List<String> productIds = new ArrayList<>();
  private JdbcEventStorageEngine axon;
  private long events;

  ReplayBenchmarks(BenchDatabase database, int products) {
    this.database = database;
    this.products = products;
    EventTypes types = EventTypes.builder().include(CatalogTypes.STORE.codec().types())
        .include(CatalogTypes.CATEGORY.codec().types()).include(CatalogTypes.PRODUCT.codec().types()).build();
    this.store = new PostgresEventStore(database.dataSource, types);
    for (int i = 0; i < products; i++) {
      productIds.add(UUID.randomUUID().toString());
    }
  }

  long events() {
    return events;
  }

  /** The catalog written through Ordo's append API, 8 writers, one 100-event append per product. */
  void seedOrdo() throws Exception {
    store.append(new AppendRequest(storeId, "store", ExpectedVersion.noStream(), List.of(NewEvent.of("StoreRegistered", 1,
        "{\"storeId\":\"" + storeId + "\",\"name\":\"Replay Mart\"}")), Set.of(), Set.of(), null));
    store.append(new AppendRequest(categoryId, "category", ExpectedVersion.noStream(), List.of(NewEvent.of(
        "CategoryCreated", 1, "{\"categoryId\":\"" + categoryId + "\",\"name\":\"전자제품\",\"parentId\":null}")),
        Set.of(), Set.of(), null));
    events = 2;
    parallel(i -> {
      String id = productIds.get(i);
      List<NewEvent> stream = new ArrayList<>(EVENTS_PER_PRODUCT);
      stream.add(NewEvent.of("ProductRegistered", 2, """
          {"productId":"%s","storeId":"%s","categoryId":"%s","name":"상품 %d","price":10000,"stockQuantity":1000000,\
          "thumbnailUrl":null,"description":"벤치마크 상품","images":[]}""".formatted(id, storeId, categoryId, i)));
      for (int v = 2; v <= EVENTS_PER_PRODUCT; v++) {
        stream.add(NewEvent.of("StockAdjusted", 1, """
            {"productId":"%s","delta":-1,"reason":"ORDER","relatedOrderId":null,"stockAfter":%d}"""
            .formatted(id, 1_000_000 - (v - 1))));
      }
      store.append(new AppendRequest(id, "product", ExpectedVersion.noStream(), stream, Set.of(), Set.of(), null));
    });
    events += (long) products * EVENTS_PER_PRODUCT;
  }

  /** The same events through Axon's storage engine, 8 writers, one 100-event append per aggregate. */
  void seedAxon() throws Exception {
    var serializer = JacksonSerializer.defaultSerializer();
    axon = JdbcEventStorageEngine.builder()
        .connectionProvider(new DataSourceConnectionProvider(database.dataSource))
        .transactionManager(NoTransactionManager.INSTANCE)
        .eventSerializer(serializer)
        .snapshotSerializer(serializer)
        .batchSize(READ_BATCH)
        .build();
    axon.createSchema(PostgresEventTableFactory.INSTANCE);
    parallel(i -> {
      String id = productIds.get(i);
      List<GenericDomainEventMessage<?>> stream = new ArrayList<>(EVENTS_PER_PRODUCT);
      for (int v = 0; v < EVENTS_PER_PRODUCT; v++) {
        stream.add(new GenericDomainEventMessage<>("product", id, v,
            new AxonAppends.StockAdjusted(id, -1, "ORDER", null)));
      }
      axon.appendEvents(stream);
    });
  }

  private interface Seed {
    void product(int index) throws Exception;
  }

  private void parallel(Seed seed) throws Exception {
    ExecutorService writers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int w = 0; w < 8; w++) {
        int writer = w;
        done.add(writers.submit(() -> {
          for (int i = writer; i < products; i += 8) {
            seed.product(i);
          }
          return null;
        }));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      writers.shutdown();
    }
  }

  /** Ordo: the log tailer delivers every event from the start to a consumer that only counts. */
  double ordoReplay() throws Exception {
    AtomicLong seen = new AtomicLong();
    long start = System.nanoTime();
    try (Subscription ignored = store.subscribe("replay", LogPosition.START, READ_BATCH,
        batch -> seen.addAndGet(batch.size()))) {
      awaitCount(seen, events);
    }
    return events / ((System.nanoTime() - start) / 1e9);
  }

  /** Axon: a tracking event processor from the start of its log, batch size 1,000, into a no-op handler. */
  double axonReplay() throws Exception {
    long total = (long) products * EVENTS_PER_PRODUCT;
    AtomicLong seen = new AtomicLong();
    var eventStore = EmbeddedEventStore.builder().storageEngine(axon).build();
    var processor = TrackingEventProcessor.builder()
        .name("replay-" + UUID.randomUUID())
        .eventHandlerInvoker(SimpleEventHandlerInvoker.builder()
            .eventHandlers((org.axonframework.eventhandling.EventMessageHandler) (EventMessage<?> event) -> {
              seen.incrementAndGet();
              return null;
            })
            .build())
        .messageSource(eventStore)
        .tokenStore(new InMemoryTokenStore())
        .transactionManager(NoTransactionManager.INSTANCE)
        .trackingEventProcessorConfiguration(
            TrackingEventProcessorConfiguration.forSingleThreadedProcessing().andBatchSize(READ_BATCH))
        .build();
    long start = System.nanoTime();
    processor.start();
    try {
      awaitCount(seen, total);
      return total / ((System.nanoTime() - start) / 1e9);
    } finally {
      processor.shutDown();
      eventStore.shutDown();
    }
  }

  private static void awaitCount(AtomicLong seen, long total) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (seen.get() < total) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("replay stalled at " + seen.get() + " of " + total);
      }
      Thread.sleep(2);
    }
  }

  /** Ordo: product_read built from the start of the log into an empty read database, until it reaches the head. */
  double ordoRebuild(int run) throws Exception {
    try (HikariDataSource read = readDatabase("bench_read_" + run)) {
      OrdoMigrations.migrateReadModel(read);
      ProductReadProjection.migrate(read);
      long head = store.head();
      var projection = new ProductReadProjection();
      long start = System.nanoTime();
      try (ProjectionHost host = new ProjectionHost(store, read, projection, projection.tables(), 500, 5).start()) {
        while (host.activePosition().map(p -> p.position() < head).orElse(true)) {
          Thread.sleep(5);
        }
        return events / ((System.nanoTime() - start) / 1e9);
      }
    }
  }

  /**
   * Raw JDBC: the same read-model rows written straight into a table of product_read's shape and
   * indexes, one row change per event as the projection makes it, in batches of 500 per
   * transaction: what PostgreSQL itself can do with these writes, without reading the log.
   */
  double rawUpsert(int run) throws Exception {
    try (HikariDataSource read = readDatabase("bench_raw_" + run); Connection connection = read.getConnection()) {
      try (Statement statement = connection.createStatement()) {
        statement.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm");
        statement.execute(new ProductReadProjection().tables());
      }
      connection.setAutoCommit(false);
      long start = System.nanoTime();
      long position = 2;
      Timestamp now = Timestamp.from(Instant.now());
      try (PreparedStatement insert = connection.prepareStatement("""
              INSERT INTO product_read (product_id, store_id, store_name, category_id, category_path, category_depth,
                                        name, description, price, original_price, stock, status, version, position,
                                        created_at, updated_at, search_vector)
              VALUES (?, ?, 'Replay Mart', ?, '전자제품', 1, ?, '벤치마크 상품', 10000, 10000, 1000000, 'ACTIVE', 1, ?, ?, ?,
                      to_tsvector('simple', ? || ' 벤치마크 상품'))
              ON CONFLICT (product_id) DO NOTHING""");
          PreparedStatement update = connection.prepareStatement("""
              UPDATE product_read SET stock = ?, order_count = order_count + 1, last_ordered_at = ?, version = ?,
                                      position = ?, updated_at = ?
               WHERE product_id = ?""")) {
        int pending = 0;
        for (int i = 0; i < products; i++) {
          String id = productIds.get(i);
          insert.setString(1, id);
          insert.setString(2, storeId);
          insert.setString(3, categoryId);
          insert.setString(4, "상품 " + i);
          insert.setLong(5, ++position);
          insert.setTimestamp(6, now);
          insert.setTimestamp(7, now);
          insert.setString(8, "상품 " + i);
          insert.executeUpdate();
          for (int v = 2; v <= EVENTS_PER_PRODUCT; v++) {
            update.setLong(1, 1_000_000 - (v - 1));
            update.setTimestamp(2, now);
            update.setLong(3, v);
            update.setLong(4, ++position);
            update.setTimestamp(5, now);
            update.setString(6, id);
            update.addBatch();
            if (++pending == 500) {
              update.executeBatch();
              connection.commit();
              pending = 0;
            }
          }
        }
        update.executeBatch();
        connection.commit();
      }
      return events / ((System.nanoTime() - start) / 1e9);
    }
  }

  /** A new, empty database on the benchmark's server, asynchronous commit as the projection runner uses. */
  private HikariDataSource readDatabase(String name) throws SQLException {
    database.execute("DROP DATABASE IF EXISTS " + name);
    database.execute("CREATE DATABASE " + name);
    var config = new HikariConfig();
    config.setJdbcUrl(database.jdbcUrl().replace("/postgres?", "/" + name + "?"));
    config.setUsername("postgres");
    config.setMaximumPoolSize(8);
    config.setConnectionInitSql("SET synchronous_commit = off");
    return new HikariDataSource(config);
  }

  @Override
  public void close() {
    store.close();
  }
}
