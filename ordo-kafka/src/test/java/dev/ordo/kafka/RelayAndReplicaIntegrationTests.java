package dev.ordo.kafka;

import static org.assertj.core.api.Assertions.assertThat;

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
import dev.ordo.test.TestPostgres;
import io.cloudevents.CloudEvent;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The relay and the replica against a real broker (KRaft, in a child JVM) and real PostgreSQL: a
 * service's log reaches another database through Kafka, whole, once, and in stream order, through
 * a relay's repeat, the broker's absence and a replay from offset 0.
 */
class RelayAndReplicaIntegrationTests {

  private static final EventTypes TYPES = EventTypes.builder().type("Placed", 1).type("Moved", 1).build();
  private static final URI SOURCE = URI.create("/ordo/test");

  private static KafkaBroker broker;
  private static int run;

  private String prefix;
  private HikariDataSource writeDb;
  private HikariDataSource replicaDb;
  private PostgresEventStore writeStore;
  private PostgresEventStore replicaStore;
  private KafkaProducer<String, CloudEvent> producer;
  private Admin admin;
  private final List<AutoCloseable> running = new ArrayList<>();

  @BeforeAll
  static void startBroker() throws Exception {
    Path directory = Files.createTempDirectory("ordo-kafka-test");
    broker = new KafkaBroker(directory, System.getProperty("java.class.path"), 0, 3).start(Duration.ofSeconds(90));
  }

  @AfterAll
  static void stopBroker() {
    broker.close();
  }

  @BeforeEach
  void setUp() {
    prefix = "t" + (++run) + ".";
    writeDb = pool(TestPostgres.createDatabase());
    replicaDb = pool(TestPostgres.createDatabase());
    OrdoMigrations.migrateLog(writeDb);
    OrdoMigrations.migrateLog(replicaDb);
    writeStore = new PostgresEventStore(writeDb, TYPES);
    replicaStore = new PostgresEventStore(replicaDb, TYPES);
    producer = new KafkaProducer<>(Publisher.producerSettings(broker.bootstrapServers(), "test-relay"));
    admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
  }

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : running.reversed()) {
      c.close();
    }
    producer.close();
    admin.close();
    writeStore.close();
    replicaStore.close();
    writeDb.close();
    replicaDb.close();
  }

  @Test
  void everyEventReachesTheReplicaAsACloudEventKeyedByItsStream() throws Exception {
    appendOrders(0, 60);
    relay();
    var replica = replica(replicaStore, "replica");
    awaitReplicated(replicaStore);
    assertSameStreams(replicaStore, 60);
    assertThat(replica.target().checkpoint()).isPresent();

    // at least once: a batch the relay sends again (its acknowledgement timed out under load) repeats
    // records already there; every event is there, and a repeat is a record seen before
    List<ConsumerRecord<String, byte[]>> all = rawRecords(prefix + "order");
    Set<String> seen = new HashSet<>();
    List<ConsumerRecord<String, byte[]>> records = all.stream().filter(r -> seen.add(header(r, "ce_id"))).toList();
    assertThat(records).hasSize(60 * 3);
    ConsumerRecord<String, byte[]> first = records.stream()
        .filter(r -> header(r, "ce_streamversion").equals("1")).findFirst().orElseThrow();
    RecordedEvent original = writeStore.readStream(first.key(), 1).events().getFirst();
    assertThat(header(first, "ce_id")).isEqualTo(original.eventId().toString());
    assertThat(header(first, "ce_type")).isEqualTo("Placed");
    assertThat(header(first, "ce_subject")).isEqualTo(original.streamId());
    assertThat(header(first, "ce_source")).isEqualTo(SOURCE.toString());
    assertThat(header(first, "ce_specversion")).isEqualTo("1.0");
    assertThat(header(first, "ce_logposition")).isEqualTo(Long.toString(original.position()));
    assertThat(header(first, "ce_actor")).isEqualTo("alice");
    assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo(original.data());
    // a stream's records are in one partition, in version order
    Map<String, Integer> partitionOf = new HashMap<>();
    Map<String, Long> lastVersion = new HashMap<>();
    for (var r : records) {
      assertThat(partitionOf.computeIfAbsent(r.key(), k -> r.partition())).isEqualTo(r.partition());
      long version = Long.parseLong(header(r, "ce_streamversion"));
      assertThat(version).isEqualTo(lastVersion.getOrDefault(r.key(), 0L) + 1);
      lastVersion.put(r.key(), version);
    }
  }

  @Test
  void aRelayThatPublishesAgainAfterACrashChangesNothingDownstream() throws Exception {
    appendOrders(0, 30);
    var relay = relay();
    replica(replicaStore, "replica");
    awaitReplicated(replicaStore);
    relay.close();
    // the crash: records acknowledged, the checkpoint lost; the relay publishes the whole log again
    try (Connection c = writeDb.getConnection(); Statement s = c.createStatement()) {
      s.executeUpdate("DELETE FROM consumer_checkpoints");
    }
    appendOrders(30, 40);
    relay();
    awaitReplicated(replicaStore);
    await(() -> rawRecords(prefix + "order").size() == (30 + 40) * 3, Duration.ofSeconds(30));
    assertSameStreams(replicaStore, 40);
    assertThat(replicaStore.head()).isEqualTo(writeStore.head());
  }

  @Test
  void aRelayDyingMidBatchLosesNothingAndDoublesNothing() throws Exception {
    appendOrders(0, 40);
    // the 70th send of the run fails after 69 records went out: the batch (50 events) is published
    // again from its checkpoint, as after a crash between some acknowledgements and the checkpoint
    AtomicInteger sends = new AtomicInteger();
    @SuppressWarnings("unchecked")
    Producer<String, CloudEvent> dying = (Producer<String, CloudEvent>) Proxy.newProxyInstance(
        getClass().getClassLoader(), new Class<?>[] {Producer.class}, (proxy, method, args) -> {
          if (method.getName().equals("send") && sends.incrementAndGet() == 70) {
            throw new IllegalStateException("the relay died here");
          }
          try {
            return method.invoke(producer, args);
          } catch (java.lang.reflect.InvocationTargetException e) {
            throw e.getCause();
          }
        });
    relay(dying);
    replica(replicaStore, "replica");
    awaitReplicated(replicaStore);
    assertSameStreams(replicaStore, 40);
    assertThat(sends.get()).isGreaterThan(40 * 4); // some were sent twice, none applied twice
  }

  @Test
  void theBrokerAwayWhileEventsGoOnLosesAndRepeatsNothing() throws Exception {
    appendOrders(0, 10);
    relay();
    replica(replicaStore, "replica");
    awaitReplicated(replicaStore);
    broker.stop(Duration.ofSeconds(20));
    try {
      appendOrders(10, 30);
      Thread.sleep(3_000);
      assertThat(replicaStore.head()).isEqualTo(10 * 4); // nothing new arrives while it is away
    } finally {
      broker.start(Duration.ofSeconds(90));
    }
    awaitReplicated(replicaStore);
    assertSameStreams(replicaStore, 30);
  }

  @Test
  void aReplicaBuiltFromOffsetZeroHoldsTheSameLog() throws Exception {
    appendOrders(0, 25);
    relay();
    replica(replicaStore, "replica");
    awaitReplicated(replicaStore);
    try (var secondDb = pool(TestPostgres.createDatabase())) {
      OrdoMigrations.migrateLog(secondDb);
      try (var second = new PostgresEventStore(secondDb, TYPES)) {
        var replay = replica(second, "replay");
        awaitReplicated(second);
        assertSameStreams(second, 25);
        replay.close();
      }
    }
  }

  private ConsumerRunner<Publisher, LogPosition> relay() {
    return relay(producer);
  }

  private ConsumerRunner<Publisher, LogPosition> relay(Producer<String, CloudEvent> producer) {
    var publisher = new Publisher(producer, admin, new EventRecords(prefix), SOURCE, 3, (short) 1);
    var target = new KafkaRelay<>("relay", LogPosition.START, publisher, new PostgresCheckpoints(writeDb),
        DatabaseErrors::isTransient);
    var runner = new ConsumerRunner<>(Source.log(writeStore), target, new RelayProjection("relay", type -> true), 50, 3).start();
    running.add(runner);
    return runner;
  }

  private ConsumerRunner<LogReplica.Appends, KafkaPosition> replica(PostgresEventStore store, String name) {
    var source = new KafkaSource(Map.of("bootstrap.servers", broker.bootstrapServers()),
        topic -> topic.startsWith(prefix));
    var target = new LogReplica<>(store, name, KafkaPosition.START, KafkaPosition::encode, KafkaPosition::decode);
    running.add(source);
    var runner = new ConsumerRunner<>(source, target, target.projection(), 40, 3).start();
    running.add(runner);
    return runner;
  }

  /** Orders {@code from..to-1}: three events each, and a courier stream per five orders moved by them. */
  private void appendOrders(int from, int to) {
    var metadata = new EventMetadata("corr", null, "alice", null);
    for (int i = from; i < to; i++) {
      String order = "order-" + i;
      writeStore.append(order, "order", ExpectedVersion.noStream(),
          List.of(event("Placed", "{\"n\":" + i + "}", metadata), event("Moved", "{\"step\":1}", metadata)));
      writeStore.append(order, "order", ExpectedVersion.exactly(2), List.of(event("Moved", "{\"step\":2}", metadata)));
      writeStore.append("courier-" + i % 5, "courier", ExpectedVersion.any(),
          List.of(event("Moved", "{\"order\":" + i + "}", metadata)));
    }
  }

  private static NewEvent event(String type, String data, EventMetadata metadata) {
    return new NewEvent(TimeOrderedUuid.next(), type, 1, data, metadata);
  }

  private void awaitReplicated(PostgresEventStore replica) throws InterruptedException {
    await(() -> replica.head() >= writeStore.head() && sameCount(replica), Duration.ofSeconds(60));
  }

  private boolean sameCount(PostgresEventStore replica) {
    return replica.readLog(LogPosition.START, 100_000).events().size()
        == writeStore.readLog(LogPosition.START, 100_000).events().size();
  }

  /** Every stream of the written log, in the replica, event for event. */
  private void assertSameStreams(PostgresEventStore replica, int orders) {
    List<String> streams = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      streams.add("order-" + i);
    }
    for (int i = 0; i < Math.min(orders, 5); i++) {
      streams.add("courier-" + i);
    }
    for (String stream : streams) {
      List<RecordedEvent> written = writeStore.readStream(stream, 1).events();
      List<RecordedEvent> copied = replica.readStream(stream, 1).events();
      assertThat(copied).hasSameSizeAs(written);
      for (int v = 0; v < written.size(); v++) {
        RecordedEvent w = written.get(v);
        RecordedEvent c = copied.get(v);
        assertThat(c.eventId()).isEqualTo(w.eventId());
        assertThat(c.version()).isEqualTo(w.version());
        assertThat(c.type()).isEqualTo(w.type());
        assertThat(c.streamType()).isEqualTo(w.streamType());
        assertThat(c.data()).isEqualTo(w.data());
        assertThat(c.metadata()).isEqualTo(w.metadata());
        assertThat(c.occurredAt()).isEqualTo(w.occurredAt());
      }
    }
    assertThat(replica.readLog(LogPosition.START, 100_000).events()).hasSize(orders * 3 + orders);
  }

  private List<ConsumerRecord<String, byte[]>> rawRecords(String topic) {
    Map<String, Object> settings = Map.of("bootstrap.servers", broker.bootstrapServers(),
        "key.deserializer", org.apache.kafka.common.serialization.StringDeserializer.class,
        "value.deserializer", ByteArrayDeserializer.class);
    try (var consumer = new KafkaConsumer<String, byte[]>(settings)) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(p -> new TopicPartition(topic, p.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }

  private static String header(ConsumerRecord<String, byte[]> record, String name) {
    var header = record.headers().lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + timeout);
      }
      Thread.sleep(50);
    }
  }

  private static HikariDataSource pool(String url) {
    var config = new HikariConfig();
    config.setJdbcUrl(url);
    config.setUsername("postgres");
    config.setMaximumPoolSize(8);
    return new HikariDataSource(config);
  }
}
