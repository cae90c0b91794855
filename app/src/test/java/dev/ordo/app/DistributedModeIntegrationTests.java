package dev.ordo.app;

import static dev.ordo.app.OrderingFlowIntegrationTests.await;
import static dev.ordo.app.OrderingFlowIntegrationTests.newProduct;
import static dev.ordo.app.OrderingFlowIntegrationTests.orderBody;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.kafka.broker.KafkaBroker;
import dev.ordo.kafka.events.EventRecords;
import dev.ordo.kafka.relay.Publisher;
import dev.ordo.test.TestPostgres;
import io.cloudevents.CloudEvent;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The same jar in three roles over a real broker (issue "Distributed mode", deliverables 1–3): a
 * catalog write service, an ordering write service and a read-model service, each with its own
 * database, talking through Kafka only. An order is priced from the catalog's events, reserved by
 * the catalog's process, and read back from the read-model service with the token of the command
 * that placed it.
 */
class DistributedModeIntegrationTests {

  private static KafkaBroker broker;
  private static RunningApp catalog;
  private static RunningApp ordering;
  private static RunningApp reads;
  private static final List<AutoCloseable> started = new ArrayList<>();

  @BeforeAll
  static void start() throws Exception {
    broker = new KafkaBroker(Files.createTempDirectory("ordo-broker"), System.getProperty("java.class.path"), 0, 3)
        .start(Duration.ofSeconds(90));
    String kafka = "ordo.kafka.bootstrap-servers=" + broker.bootstrapServers();
    catalog = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(), kafka,
        "ordo.service.name=catalog", "ordo.commands.aggregates=product,store,category", "ordo.kafka.follow=order");
    started.add(catalog);
    String orderingDatabase = TestPostgres.createDatabase();
    ordering = RunningApp.start(null, "ordo.db.url=" + orderingDatabase, kafka,
        "ordo.service.name=ordering", "ordo.commands.aggregates=order,dispatch,delivery,customer",
        "ordo.kafka.follow=product");
    started.add(ordering);
    reads = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(), kafka,
        "ordo.service.name=read-model", "ordo.commands.aggregates=none", "ordo.kafka.follow=*",
        "ordo.processes.enabled=false", "ordo.personal-data.db.url=" + orderingDatabase);
    started.add(reads);
  }

  @AfterAll
  static void stop() throws Exception {
    for (AutoCloseable app : started.reversed()) {
      app.close();
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void aServiceServesOnlyTheCommandsOfTheAggregatesItOwns() {
    // not a route here (405 where a query shares the path): the gateway sends it to its owner
    assertThat(ordering.send("POST", "/api/v1/stores", "{\"name\":\"Nope\"}").status()).isIn(403, 404, 405);
    assertThat(ordering.send("POST", "/api/v1/stores/x/rename", "{\"name\":\"Nope\"}").status()).isIn(403, 404, 405);
    assertThat(catalog.send("POST", "/api/v1/orders", orderBody("u", false, "p", 1)).status()).isIn(403, 404, 405);
    assertThat(catalog.send("POST", "/api/v1/dispatches/x/accept", null).status()).isIn(403, 404, 405);
    assertThat(reads.send("POST", "/api/v1/stores", "{\"name\":\"Nope\"}").status()).isIn(403, 404, 405);
    assertThat(ordering.get("/api/v1/events?after=0&limit=1000").json().get("events").findValuesAsString("type"))
        .doesNotContain("StoreRegistered");
    assertThat(catalog.send("POST", "/api/v1/stores", "{\"name\":\"Yes\"}").status()).isEqualTo(201);
  }

  @Test
  void anOrderIsPricedReservedAndReadAcrossServicesThroughKafka() {
    String store = catalog.send("POST", "/api/v1/stores", "{\"name\":\"Kafka Mart\"}").createdId();
    String category = catalog.send("POST", "/api/v1/categories", "{\"name\":\"가전\"}").createdId();
    String product = newProduct(catalog, store, category, "무선 이어폰", 129_000, 5);
    await("the product in the ordering service's log", () -> ordering.get("/api/v1/streams/" + product).status() == 200);

    String trace = "5bf92f3577b34da6a3ce929d0e0e4736";
    var placed = ordering.send("POST", "/api/v1/orders", orderBody("kim", false, product, 2),
        "traceparent", "00-" + trace + "-00f067aa0ba902b7-01");
    String order = placed.createdId();
    String token = placed.header("Ordo-Token");
    assertThat(token).isEqualTo(order + "@1");

    // read your write on another service: the token waits until the event is there and applied
    var read = reads.send("GET", "/api/v1/orders/" + order, null, "Ordo-Min-Position", token);
    assertThat(read.status()).as(read.body()).isEqualTo(200);
    assertThat(read.header("Ordo-Consistent")).isEqualTo("true");
    assertThat(read.json().get("totalAmount").asLong()).isEqualTo(258_000);
    // the address came through Kafka sealed; the read-model service opens it with the order service's keys
    assertThat(read.json().get("shippingAddress").get("recipient").asString()).isEqualTo("김철수");

    // the catalog reserves (its process follows the order topic), the ordering service confirms
    await("the order reserved, seen by the read-model service",
        () -> "RESERVED".equals(reads.get("/api/v1/orders/" + order).json().path("status").asString()));
    JsonNode detail = reads.get("/api/v1/products/" + product).json();
    assertThat(detail.get("orderCount").asLong()).isEqualTo(1);

    // every service holds the order's stream as the ordering service wrote it, each event once
    JsonNode written = ordering.get("/api/v1/streams/" + order).json();
    await("the read-model service's copy complete",
        () -> reads.get("/api/v1/streams/" + order).json().path("version").asLong() == written.get("version").asLong());
    JsonNode copied = reads.get("/api/v1/streams/" + order).json();
    assertThat(copied.get("events").size()).isEqualTo(written.get("events").size());
    for (int i = 0; i < written.get("events").size(); i++) {
      assertThat(copied.get("events").get(i).get("eventId")).isEqualTo(written.get("events").get(i).get("eventId"));
      assertThat(copied.get("events").get(i).get("data")).isEqualTo(written.get("events").get(i).get("data"));
      assertThat(copied.get("events").get(i).get("metadata")).isEqualTo(written.get("events").get(i).get("metadata"));
    }
    // the request's trace came along: the read-model service applies the order in that trace
    assertThat(copied.get("events").get(0).get("metadata").get("traceparent").asString()).startsWith("00-" + trace + "-");
    // what Kafka carried is what the copy holds: no recipient, phone or address in the clear
    assertThat(copied.toString()).contains("ordo:pd:").doesNotContain("김철수").doesNotContain("010-1234-5678")
        .doesNotContain("테헤란로");

    // forgotten in the order service: the read-model service's copy stops opening, its order shows no address
    var forgotten = ordering.send("DELETE", "/api/v1/customers/kim/personal-data", null);
    assertThat(forgotten.status()).as(forgotten.body()).isEqualTo(200);
    await("the forgetting reached the read-model service", () -> "forgotten".equals(
        reads.get("/api/v1/orders/" + order).json().path("shippingAddress").path("recipient").asString()));
  }

  /** Seed 000 §9.2 and seed 003 phase 4: the broker away for 30 s while the catalog takes commands. */
  @Test
  void theBrokerAwayForThirtySecondsLosesNothingAndRepeatsNothing() throws Exception {
    String store = catalog.send("POST", "/api/v1/stores", "{\"name\":\"Outage Mart\"}").createdId();
    String category = catalog.send("POST", "/api/v1/categories", "{\"name\":\"주방\"}").createdId();
    List<String> products = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      products.add(newProduct(catalog, store, category, "냄비 " + i, 10_000, 100));
    }
    broker.stop(Duration.ofSeconds(20));
    long stoppedAt = System.nanoTime();
    try {
      // commands go on: a write service needs its own database only
      for (int round = 1; round <= 10; round++) {
        for (String product : products) {
          var answer = catalog.send("POST", "/api/v1/products/" + product + "/stock-adjustments",
              "{\"delta\":-1,\"reason\":\"MANUAL_ADJUSTMENT\"}");
          assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        }
        Thread.sleep(2_500);
      }
      Thread.sleep(Math.max(0, Duration.ofSeconds(30).toMillis() - (System.nanoTime() - stoppedAt) / 1_000_000));
    } finally {
      broker.start(Duration.ofSeconds(90));
    }
    for (String product : products) {
      await("the product's every adjustment at the read-model service", () ->
          reads.get("/api/v1/products/" + product).json().path("stockQuantity").asLong() == 90);
      JsonNode written = catalog.get("/api/v1/streams/" + product).json();
      JsonNode copied = reads.get("/api/v1/streams/" + product).json();
      assertThat(copied.get("version").asLong()).isEqualTo(written.get("version").asLong()).isEqualTo(11);
      assertThat(copied.get("events").findValuesAsString("eventId"))
          .containsExactlyElementsOf(written.get("events").findValuesAsString("eventId"));
    }
  }

  /** A read-model service started later, on an empty database, reads every topic from offset 0. */
  @Test
  void aReadModelServiceReplayedFromOffsetZeroAnswersTheSame() {
    String store = catalog.send("POST", "/api/v1/stores", "{\"name\":\"Replay Mart\"}").createdId();
    String category = catalog.send("POST", "/api/v1/categories", "{\"name\":\"문구\"}").createdId();
    String product = newProduct(catalog, store, category, "만년필", 45_000, 7);
    catalog.send("PUT", "/api/v1/products/" + product + "/price", "{\"price\":50000,\"reason\":\"cost\"}");
    var renamed = catalog.send("POST", "/api/v1/stores/" + store + "/rename", "{\"name\":\"Replay Mart 2\"}");
    await("the first read-model service up to date", () -> reads.send("GET", "/api/v1/products/" + product, null,
        "Ordo-Min-Position", renamed.header("Ordo-Token")).json().path("storeName").asString().equals("Replay Mart 2"));
    try (RunningApp replay = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.kafka.bootstrap-servers=" + broker.bootstrapServers(), "ordo.service.name=replay",
        "ordo.commands.aggregates=none", "ordo.kafka.follow=*", "ordo.processes.enabled=false")) {
      JsonNode expected = reads.get("/api/v1/products/" + product).json();
      List<String> fields = List.of("name", "price", "originalPrice", "storeName", "categoryPath", "stockQuantity",
          "status", "version", "orderCount");
      // topics arrive in no order among themselves: wait for all of them, then compare
      await("the replayed read model equal to the first", () -> {
        var fresh = replay.get("/api/v1/products/" + product);
        return fresh.status() == 200 && fields.stream().allMatch(f -> expected.get(f).equals(fresh.json().get(f)));
      });
      assertThat(replay.get("/api/v1/stores/" + store).json().get("name").asString()).isEqualTo("Replay Mart 2");
    }
  }

  /**
   * Seed 003 §4: a read-model service whose read database is down answers the critical queries
   * from the write service that owns them, behind a circuit breaker, and counts it.
   */
  @Test
  void aReadModelServiceWithoutItsReadDatabaseAsksTheWriteService(@TempDir Path pgData) throws Exception {
    EmbeddedPostgres readDb = EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).start();
    String orderingUrl = ordering.uri("").toString();
    try (RunningApp fallback = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.read.db.url=" + readDb.getJdbcUrl("postgres", "postgres"),
        "ordo.kafka.bootstrap-servers=" + broker.bootstrapServers(), "ordo.service.name=fallback-reads",
        "ordo.commands.aggregates=none", "ordo.kafka.follow=*", "ordo.processes.enabled=false",
        "ordo.fallback.services.order=" + orderingUrl, "ordo.fallback.services.delivery=" + orderingUrl,
        "ordo.fallback.services.dispatch=http://127.0.0.1:9")) { // nobody listens there
      String store = catalog.send("POST", "/api/v1/stores", "{\"name\":\"Fallback Mart\"}").createdId();
      String category = catalog.send("POST", "/api/v1/categories", "{\"name\":\"공구\"}").createdId();
      String product = newProduct(catalog, store, category, "드릴", 89_000, 3);
      await("the product in the ordering service's log", () -> ordering.get("/api/v1/streams/" + product).status() == 200);
      String order = ordering.send("POST", "/api/v1/orders", orderBody("lee", true, product, 1)).createdId();
      await("the order reserved, at the read-model service",
          () -> "RESERVED".equals(fallback.get("/api/v1/orders/" + order).json().path("status").asString()));
      assertThat(fallback.get("/api/v1/orders/" + order).header("Ordo-Source")).isNull();

      readDb.close();

      var answer = fallback.get("/api/v1/orders/" + order);
      assertThat(answer.status()).as(answer.body()).isEqualTo(200);
      assertThat(answer.header("Ordo-Source")).isEqualTo("write-service");
      assertThat(answer.json().get("status").asString()).isEqualTo("RESERVED");
      assertThat(answer.header("ETag")).isNotBlank();
      assertThat(fallback.get("/api/v1/deliveries/" + dev.ordo.ordering.Ids.delivery(order)).status())
          .as("the write service's own answer passed on").isEqualTo(404);

      // a write service that cannot answer: 503, and after a few failures the breaker opens
      for (int i = 0; i < 6; i++) {
        var down = fallback.get("/api/v1/dispatches/" + dev.ordo.ordering.Ids.dispatch(order));
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.header("Retry-After")).isNotBlank();
      }
      String metrics = fallback.get("/actuator/prometheus").body();
      assertThat(metrics).contains("ordo_fallback_requests_total{aggregate=\"order\",outcome=\"answered\"} 1.0");
      assertThat(metrics).containsPattern("ordo_fallback_requests_total\\{aggregate=\"dispatch\",outcome=\"rejected\"} [1-9]");
      assertThat(metrics).containsPattern(
          "resilience4j_circuitbreaker_state\\{[^}]*name=\"fallback-dispatch\"[^}]*state=\"open\"[^}]*} 1.0");
    }
  }

  /**
   * Dead letters as with the local log: a record the replica cannot take (its stream would skip a
   * version) stops it; the letter is listed, skipped over HTTP, and the replica goes on.
   */
  @Test
  void aRecordTheReplicaCannotTakeIsParkedAndCanBeSkipped() throws Exception {
    // topics of their own (prefix poison.), so the record stops this follower only
    try (RunningApp follower = RunningApp.start(null, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.kafka.bootstrap-servers=" + broker.bootstrapServers(), "ordo.service.name=poisoned",
        "ordo.commands.aggregates=none", "ordo.kafka.topic-prefix=poison.", "ordo.kafka.follow=*",
        "ordo.processes.enabled=false");
        var producer = new KafkaProducer<String, CloudEvent>(
            Publisher.producerSettings(broker.bootstrapServers(), "poison-test"));
        var admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      var publisher = new Publisher(producer, admin, new EventRecords("poison."), URI.create("/ordo/poison-test"), 1,
          (short) 1);
      String fine = UUID.randomUUID().toString();
      String gap = UUID.randomUUID().toString();
      publisher.send(storeEvent(1, fine, 1, "StoreRegistered", "{\"storeId\":\"" + fine + "\",\"name\":\"Fine\"}"));
      publisher.send(storeEvent(2, gap, 3, "StoreRenamed",
          "{\"storeId\":\"" + gap + "\",\"oldName\":\"A\",\"newName\":\"B\"}"));
      publisher.send(storeEvent(3, fine, 2, "StoreRenamed",
          "{\"storeId\":\"" + fine + "\",\"oldName\":\"Fine\",\"newName\":\"Fine 2\"}"));
      producer.flush();

      await("the replica halted at the record", () ->
          "HALTED".equals(follower.get("/api/v1/projections/kafka-replica").json().path("state").asString()));
      assertThat(follower.get("/actuator/health").status()).isEqualTo(503);
      JsonNode letters = follower.get("/api/v1/projections/kafka-replica/dead-letters").json().get("deadLetters");
      assertThat(letters.size()).isEqualTo(1);
      JsonNode letter = letters.get(0);
      assertThat(letter.get("streamId").asString()).isEqualTo(gap);
      assertThat(letter.get("blocking").asBoolean()).isTrue();
      assertThat(letter.get("error").asString()).contains("skip to version 3");
      assertThat(follower.get("/api/v1/streams/" + fine).json().path("version").asLong()).isEqualTo(1);

      var skipped = follower.send("POST", "/api/v1/projections/kafka-replica/dead-letters/"
          + letter.get("id").asLong() + "/skip", null);
      assertThat(skipped.status()).as(skipped.body()).isEqualTo(200);
      assertThat(skipped.json().get("state").asString()).isEqualTo("SKIPPED");
      await("the replica going on past the letter",
          () -> follower.get("/api/v1/streams/" + fine).json().path("version").asLong() == 2);
      assertThat(follower.get("/api/v1/streams/" + gap).status()).isEqualTo(404);
      assertThat(follower.get("/api/v1/stores/" + fine).json().path("name").asString()).isEqualTo("Fine 2");
    }
  }

  private static RecordedEvent storeEvent(long position, String store, long version, String type, String data) {
    return new RecordedEvent(new LogPosition(1, position), UUID.randomUUID(), store, "store", version, type, 1, data,
        EventMetadata.NONE, Instant.now());
  }

  @Test
  void theRelayIsListedWithTheProcesses() {
    JsonNode relay = null;
    for (JsonNode p : catalog.get("/api/v1/projections").json().get("projections")) {
      if (p.get("name").asString().equals("kafka-relay")) {
        relay = p;
      }
    }
    assertThat(relay).isNotNull();
    assertThat(relay.get("kind").asString()).isEqualTo("relay");
    assertThat(relay.get("state").asString()).isEqualTo("RUNNING");

    catalog.send("POST", "/api/v1/stores", "{\"name\":\"Listed Mart\"}").createdId();
    await("a record taken by the read-model service",
        () -> reads.get("/api/v1/projections/kafka-replica").json().path("position").asLong() > 0);
    JsonNode replica = reads.get("/api/v1/projections/kafka-replica").json();
    assertThat(replica.get("kind").asString()).isEqualTo("replica");
    assertThat(replica.get("state").asString()).isEqualTo("RUNNING");
    assertThat(replica.get("deadLetters").asLong()).isZero();
    assertThat(reads.get("/actuator/health").json().get("components").get("projections").get("details")
        .get("kafka-replica").get("status").asString()).isEqualTo("UP");
    assertThat(reads.get("/actuator/prometheus").body()).contains("ordo_process_lag_events{process=\"kafka-replica\"}");
  }
}
