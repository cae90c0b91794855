package dev.ordo.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.consumer.Source;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.TimeOrderedUuid;
import dev.ordo.kafka.broker.KafkaBroker;
import dev.ordo.kafka.events.EventRecords;
import dev.ordo.kafka.relay.KafkaRelay;
import dev.ordo.kafka.relay.Publisher;
import dev.ordo.kafka.relay.RelayProjection;
import dev.ordo.kafka.source.KafkaPosition;
import dev.ordo.kafka.source.KafkaSource;
import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.checkpoints.PostgresCheckpoints;
import dev.ordo.postgres.log.LogReplica;
import dev.ordo.postgres.log.PostgresEventStore;
import io.cloudevents.CloudEvent;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Distributed mode's two figures, on a single-node KRaft broker started beside the run (a child
 * JVM, from this jar): the relay's throughput against a raw Kafka producer sending the same
 * records, and command-to-visible lag through Kafka against the same commands' lag inside the
 * writing app.
 */
final class KafkaBenchmarks {

  private static final EventTypes TYPES = EventTypes.builder().type("StockAdjusted", 1).build();
  private static final URI SOURCE = URI.create("/ordo/bench");

  /** Steady command rate for kafka_lag_p99_ms: two apps, a broker and the load share 2 cores. */
  static final int PACED_COMMANDS_PER_SECOND = 500;

  private KafkaBenchmarks() {}

  static void run(BenchDatabase database, Bench.Settings settings, Map<String, Bench.Result> results)
      throws Exception {
    String classPath = System.getProperty("java.class.path");
    try (var broker = new KafkaBroker(Files.createTempDirectory("ordo-bench-kafka"), classPath, 0, 3)
        .start(Duration.ofSeconds(120))) {
      if (settings.wants("kafka_relay")) {
        results.put("kafka_relay", relay(database, settings, broker));
      }
      if (settings.wants("kafka_lag_p99_ms")) {
        results.put("kafka_lag_p99_ms", lag(database, settings, broker));
      }
    }
  }

  /** The relay publishing a log from its start, against a raw producer sending the same records. */
  private static Bench.Result relay(BenchDatabase database, Bench.Settings settings, KafkaBroker broker)
      throws Exception {
    int events = settings.quick() ? 20_000 : 100_000;
    List<Double> ordoRuns = new ArrayList<>();
    List<Double> rawRuns = new ArrayList<>();
    try (var admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      for (int run = 0; run < settings.runs(); run++) {
        try (HikariDataSource db = pool(database.createDatabase("bench_relay"));
            var store = new PostgresEventStore(db, TYPES)) {
          fill(store, events);
          List<RecordedEvent> log = store.readLog(LogPosition.START, events).events();
          rawRuns.add(raw(broker, admin, log, "raw" + run + "."));
          ordoRuns.add(relay(broker, admin, store, db, log.getLast().logPosition(), events, "ordo" + run + "."));
        }
        database.dropDatabase("bench_relay");
        System.out.printf("kafka_relay run %d: ordo %.0f events/s, raw producer %.0f events/s%n", run + 1,
            ordoRuns.getLast(), rawRuns.getLast());
      }
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("events", events);
    parameters.put("what", "a log of " + events + " events (1,000 streams, ~120-byte JSON) published from its start: "
        + "read from PostgreSQL in batches of 500, CloudEvents binary records, the batch's acknowledgements awaited "
        + "before its checkpoint moves (idempotent producer, acks=all, one request in flight)");
    parameters.put("baselineIs", "a raw KafkaProducer sending the same CloudEvents records, already in memory, "
        + "with Kafka's default idempotent settings (acks=all, five requests in flight), one flush at the end");
    return new Bench.Result(Bench.median(ordoRuns), Bench.median(rawRuns), "events/s", settings.runs(), parameters,
        ordoRuns, rawRuns);
  }

  private static double raw(KafkaBroker broker, Admin admin, List<RecordedEvent> log, String prefix) throws Exception {
    var records = new EventRecords(prefix);
    List<ProducerRecord<String, CloudEvent>> prepared = log.stream().map(e -> records.record(e, SOURCE)).toList();
    Map<String, Object> settings = Publisher.producerSettings(broker.bootstrapServers(), "bench-raw");
    settings.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 5);
    settings.remove(ProducerConfig.BATCH_SIZE_CONFIG);
    settings.remove(ProducerConfig.LINGER_MS_CONFIG);
    try (var producer = new KafkaProducer<String, CloudEvent>(settings)) {
      // the topic made beforehand, as the relay makes it before its first send
      new Publisher(producer, admin, records, SOURCE, 3, (short) 1).send(log.getFirst());
      producer.flush();
      long start = System.nanoTime();
      for (var record : prepared) {
        producer.send(record);
      }
      producer.flush();
      return prepared.size() / ((System.nanoTime() - start) / 1e9);
    }
  }

  private static double relay(KafkaBroker broker, Admin admin, PostgresEventStore store, HikariDataSource db,
      LogPosition last, int events, String prefix) throws Exception {
    var checkpoints = new PostgresCheckpoints(db);
    try (var producer = new KafkaProducer<String, CloudEvent>(
        Publisher.producerSettings(broker.bootstrapServers(), "bench-relay"))) {
      var publisher = new Publisher(producer, admin, new EventRecords(prefix), SOURCE, 3, (short) 1);
      long start = System.nanoTime();
      try (var runner = new ConsumerRunner<>(Source.log(store), new KafkaRelay<>("relay", LogPosition.START,
          publisher, checkpoints, DatabaseErrors::isTransient), new RelayProjection("relay", type -> true), 500, 3)
          .start()) {
        while (checkpoints.load("relay").map(at -> at.compareTo(last) < 0).orElse(true)) {
          Thread.sleep(2);
        }
        return events / ((System.nanoTime() - start) / 1e9);
      }
    }
  }

  /**
   * Stock adjustments at a steady rate on a write app that relays its log; a second app follows
   * the topic into its own log and builds product_read there. Lag is each event's time (the
   * writing transaction, kept through Kafka) to the commit that applies it; the baseline is the
   * same events applied by the writing app's own product_read, at the same moment.
   */
  private static Bench.Result lag(BenchDatabase database, Bench.Settings settings, KafkaBroker broker)
      throws Exception {
    int clients = 32;
    int products = settings.quick() ? 200 : 1_000;
    String prefix = "lag.";
    List<Double> p99s = new ArrayList<>();
    List<Double> localP99s = new ArrayList<>();
    List<Double> p50s = new ArrayList<>();
    String writerUrl = database.createDatabase("bench_writer");
    String readerUrl = database.createDatabase("bench_reader");
    try (var writer = new CommandBenchmarks(writerUrl);
        var writerDb = new HikariDataSource(config(writerUrl, 2));
        var readerDb = new HikariDataSource(config(readerUrl, 2));
        var reader = new CommandBenchmarks(readerUrl,
            "--ordo.commands.aggregates=none", "--ordo.processes.enabled=false");
        var admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        var producer = new KafkaProducer<String, CloudEvent>(
            Publisher.producerSettings(broker.bootstrapServers(), "bench-lag-relay"))) {
      var writeStore = writer.bean(PostgresEventStore.class);
      var publisher = new Publisher(producer, admin, new EventRecords(prefix), SOURCE, 3, (short) 1);
      var relay = new ConsumerRunner<>(Source.log(writeStore), new KafkaRelay<>("relay", LogPosition.START, publisher,
          new PostgresCheckpoints(writerDb), DatabaseErrors::isTransient),
          new RelayProjection("relay", type -> true), 500, 5).start();
      var source = new KafkaSource(Map.of("bootstrap.servers", broker.bootstrapServers()), t -> t.startsWith(prefix));
      var target = new LogReplica<>(reader.bean(PostgresEventStore.class), "replica", KafkaPosition.START,
          KafkaPosition::encode, KafkaPosition::decode);
      var replica = new ConsumerRunner<>(source, target, target.projection(), 500, 5).start();
      try {
        writer.seed(products);
        Load.latencies(clients, Duration.ZERO, settings.quick() ? Duration.ofSeconds(3) : Duration.ofSeconds(10),
            writer::adjustStock); // compiled before anything is measured
        var remote = reader.lag();
        var local = writer.lag();
        for (int run = 0; run < settings.runs(); run++) {
          // the warm-up's closed loop (or the run before) drained first: the figure is the lag of a
          // steady load, not of a backlog
          awaitCaughtUp(writerDb, readerDb, reader);
          remote.reset();
          local.reset();
          Load.Stats stats = Load.paced(clients, PACED_COMMANDS_PER_SECOND, settings.warmUp(), settings.measure(),
              writer::adjustStock);
          p99s.add((double) remote.percentile(99));
          p50s.add((double) remote.percentile(50));
          localP99s.add((double) local.percentile(99));
          System.out.printf("kafka_lag_p99_ms run %d: %.0f commands/s; through Kafka p50 %d ms, p99 %d ms; "
              + "in the writing app p99 %d ms%n", run + 1, stats.perSecond(), remote.percentile(50),
              remote.percentile(99), local.percentile(99));
        }
      } finally {
        replica.close();
        source.close();
        relay.close();
      }
    } finally {
      database.dropDatabase("bench_writer");
      database.dropDatabase("bench_reader");
    }
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("what", "event time (the append's transaction in the writing app) to the product_read commit in "
        + "a second app that follows the topic through Kafka (relay, broker, replica, projection), while stock "
        + "adjustments on " + products + " products arrive at a steady " + PACED_COMMANDS_PER_SECOND + "/s");
    parameters.put("offeredPerSecond", PACED_COMMANDS_PER_SECOND);
    parameters.put("p50Ms", Bench.round(Bench.median(p50s)));
    parameters.put("baselineIs", "the same events' lag to the writing app's own product_read (all-in-one), measured "
        + "at the same time");
    return new Bench.Result(Bench.median(p99s), Bench.median(localP99s), "ms", p99s.size(), parameters, p99s,
        localP99s);
  }

  /** Until the reader's log holds every event of the writer's and its read models applied them all. */
  private static void awaitCaughtUp(HikariDataSource writerDb, HikariDataSource readerDb, CommandBenchmarks reader)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    while (count(readerDb) < count(writerDb)) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the reader did not catch up in 5 minutes");
      }
      Thread.sleep(100);
    }
    var readModels = reader.bean(dev.ordo.spring.query.ReadModels.class);
    if (!readModels.awaitApplied(reader.bean(PostgresEventStore.class).head(), Duration.ofMinutes(5))) {
      throw new IllegalStateException("the reader's read models did not catch up in 5 minutes");
    }
  }

  private static long count(HikariDataSource db) throws java.sql.SQLException {
    try (var connection = db.getConnection(); var statement = connection.createStatement();
        var rs = statement.executeQuery("SELECT count(*) FROM events")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  /** {@code events} single-event appends over 1,000 streams, 200 at a time (not measured). */
  private static void fill(PostgresEventStore store, int events) throws InterruptedException {
    var metadata = new EventMetadata("bench", null, "bench", null);
    List<Thread> writers = new ArrayList<>();
    for (int w = 0; w < 8; w++) {
      int writer = w;
      writers.add(Thread.ofVirtual().start(() -> {
        for (int i = writer; i < events; i += 8) {
          store.append("stream-" + i % 1_000, "product", ExpectedVersion.any(), List.of(new NewEvent(
              TimeOrderedUuid.next(), "StockAdjusted", 1,
              "{\"delta\":-1,\"reason\":\"ORDER\",\"stockAfter\":" + i + ",\"note\":\"bench relay\"}", metadata)));
        }
      }));
    }
    for (Thread t : writers) {
      t.join();
    }
  }

  private static HikariDataSource pool(String url) {
    HikariDataSource db = new HikariDataSource(config(url, 16));
    OrdoMigrations.migrateLog(db);
    return db;
  }

  private static HikariConfig config(String url, int size) {
    var config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("postgres");
    config.setMaximumPoolSize(size);
    return config;
  }
}
