package dev.ordo.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.Subscription;
import dev.ordo.eventstore.UniqueKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * What every event store must do (the Ordo TCK). A store's test class extends this and says how
 * to open its store over a log of its own for each test.
 */
public abstract class EventStoreContract {

  /** The types every test writes: {@code Noted} (v1), and {@code Renamed}, now at schema v3. */
  protected static final EventTypes TYPES = EventTypes.builder()
      .type("Noted", 1)
      .type("Renamed", 3)
      // v1 {"name"} -> v2 {"name", "reason"}: the reason was added with a default
      .upcaster("Renamed", 1, data -> data.put("reason", "unknown"))
      // v2 {"name", "reason"} -> v3 {"newName", "reason"}: the field was renamed
      .upcaster("Renamed", 2, data -> {
        data.set("newName", data.remove("name"));
        return data;
      })
      .build();

  /**
   * Opens a store over this test's log, which starts empty for every test; each call returns a
   * store over the same log, reading with the given types.
   */
  protected abstract EventStore openStore(EventTypes types);

  /**
   * Begins an append of one event in a transaction that stays open until the handle commits it,
   * for stores with transactions that can interleave. Empty when the store has none.
   */
  protected Optional<OpenAppend> beginOpenAppend(String streamId, NewEvent event) {
    return Optional.empty();
  }

  /** An append whose transaction is still open. */
  public interface OpenAppend {
    void commit();
  }

  protected EventStore store() {
    return openStore(TYPES);
  }

  protected static NewEvent noted(String text) {
    return NewEvent.of("Noted", 1, "{\"text\":\"" + text + "\"}");
  }

  // --- appending and reading streams ---------------------------------------------------------

  @Test
  void appendsAndReadsAStreamInVersionOrder() {
    EventStore store = store();
    var metadata = new EventMetadata("corr-1", "cause-1", "user-7", UUID.randomUUID().toString());
    AppendResult first = store.append("s-1", "note", ExpectedVersion.noStream(),
        List.of(noted("a").withMetadata(metadata), noted("b")));
    AppendResult second = store.append("s-1", "note", ExpectedVersion.exactly(2), List.of(noted("c")));

    assertThat(first.version()).isEqualTo(2);
    assertThat(second.version()).isEqualTo(3);
    assertThat(second.position()).isGreaterThan(first.position());
    var stream = store.readStream("s-1", 1);
    assertThat(stream.version()).isEqualTo(3);
    assertThat(stream.events()).extracting(RecordedEvent::version).containsExactly(1L, 2L, 3L);
    assertThat(stream.events()).extracting(e -> json(e.data()))
        .containsExactly(json("{\"text\": \"a\"}"), json("{\"text\": \"b\"}"), json("{\"text\": \"c\"}"));
    RecordedEvent a = stream.events().getFirst();
    assertThat(a.metadata()).isEqualTo(metadata);
    assertThat(a.streamType()).isEqualTo("note");
    assertThat(a.type()).isEqualTo("Noted");
    assertThat(a.occurredAt()).isNotNull();
    assertThat(store.readStream("s-1", 3).events()).extracting(RecordedEvent::version).containsExactly(3L);
    assertThat(store.readStream("s-1", 9).events()).isEmpty();
    assertThat(store.readStream("s-1", 9).version()).isEqualTo(3);
  }

  @Test
  void keepsATraceAnImportMarkAndAnOriginalTime() {
    EventStore store = store();
    var traced = new EventMetadata("corr-2", null, "ops", null)
        .withTraceParent("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01");
    var imported = new EventMetadata(null, null, "import", null).withImportedFrom("p_product/42");
    Instant original = Instant.parse("2019-03-04T05:06:07.123456Z");
    store.append("s-t", "note", ExpectedVersion.noStream(),
        List.of(noted("a").withMetadata(traced), noted("b").withMetadata(imported).withOccurredAt(original)));

    var events = store.readStream("s-t", 1).events();
    assertThat(events.get(0).metadata()).isEqualTo(traced);
    assertThat(events.get(1).metadata()).isEqualTo(imported);
    assertThat(events.get(1).occurredAt()).isEqualTo(original);
    assertThat(events.get(0).occurredAt()).isAfter(original);
    assertThat(store.readLog(LogPosition.START, 10).events()).extracting(RecordedEvent::metadata)
        .containsExactly(traced, imported);
  }

  @Test
  void anUnknownStreamHasVersionZeroAndNoEvents() {
    var stream = store().readStream("nobody", 1);
    assertThat(stream.exists()).isFalse();
    assertThat(stream.version()).isZero();
    assertThat(stream.events()).isEmpty();
  }

  @Test
  void aWrongExpectedVersionIsATypedConflictAndWritesNothing() {
    EventStore store = store();
    store.append("s-2", "note", ExpectedVersion.any(), List.of(noted("a"), noted("b")));

    var conflict = catchThrowable(() -> store.append("s-2", "note", ExpectedVersion.exactly(1), List.of(noted("x"))));
    assertThat(conflict).isInstanceOfSatisfying(EventStoreException.WrongExpectedVersion.class, e -> {
      assertThat(e.streamId()).isEqualTo("s-2");
      assertThat(e.expected()).isEqualTo(ExpectedVersion.exactly(1));
      assertThat(e.actual()).isEqualTo(2);
    });
    assertThatThrownBy(() -> store.append("s-2", "note", ExpectedVersion.noStream(), List.of(noted("x"))))
        .isInstanceOfSatisfying(EventStoreException.WrongExpectedVersion.class, e -> assertThat(e.actual()).isEqualTo(2));
    assertThatThrownBy(() -> store.append("s-3", "note", ExpectedVersion.exactly(4), List.of(noted("x"))))
        .isInstanceOfSatisfying(EventStoreException.WrongExpectedVersion.class, e -> assertThat(e.actual()).isZero());

    assertThat(store.readStream("s-2", 1).version()).isEqualTo(2);
    assertThat(store.readStream("s-3", 1).exists()).isFalse();
    assertThat(readWholeLog(store)).hasSize(2);
  }

  @Test
  void refusesWhatNoReaderCouldReadBack() {
    EventStore store = store();
    assertThatThrownBy(() -> store.append("s-4", "note", ExpectedVersion.any(), List.of(NewEvent.of("Nobody", 1, "{}"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Nobody");
    assertThatThrownBy(() -> store.append("s-4", "note", ExpectedVersion.any(), List.of(NewEvent.of("Noted", 2, "{}"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("schema version 2");
    assertThatThrownBy(() -> store.append("s-4", "note", ExpectedVersion.any(), List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(readWholeLog(store)).isEmpty();
  }

  // --- concurrency --------------------------------------------------------------------------

  @Test
  void concurrentWritersOnOneStreamExactlyOneWinsEachVersion() throws Exception {
    EventStore store = store();
    int writers = 16;
    int rounds = 20;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    try {
      var barrier = new CyclicBarrier(writers);
      for (int round = 0; round < rounds; round++) {
        long expected = round;
        List<Future<Object>> outcomes = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          String text = "r" + round + "w" + w;
          outcomes.add(pool.submit(() -> {
            barrier.await();
            try {
              return store.append("contended", "note", ExpectedVersion.exactly(expected), List.of(noted(text)));
            } catch (EventStoreException.WrongExpectedVersion e) {
              return e;
            }
          }));
        }
        List<Object> results = new ArrayList<>();
        for (Future<Object> outcome : outcomes) {
          results.add(outcome.get());
        }
        assertThat(results).filteredOn(AppendResult.class::isInstance).hasSize(1)
            .first().extracting(r -> ((AppendResult) r).version()).isEqualTo(expected + 1);
        assertThat(results).filteredOn(EventStoreException.WrongExpectedVersion.class::isInstance).hasSize(writers - 1)
            .allSatisfy(r -> {
              var conflict = (EventStoreException.WrongExpectedVersion) r;
              assertThat(conflict.expected()).isEqualTo(ExpectedVersion.exactly(expected));
              assertThat(conflict.actual()).isEqualTo(expected + 1);
            });
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(store.readStream("contended", 1).events()).extracting(RecordedEvent::version)
        .containsExactlyElementsOf(IntStream.rangeClosed(1, rounds).mapToObj(i -> (long) i).toList());
  }

  @Test
  void thirtyTwoWritersOnAThousandStreamsLoseAndDuplicateNothing() throws Exception {
    EventStore store = store();
    int writers = 32;
    int appendsPerWriter = 60;
    int streams = 1_000;
    List<RecordedEvent> tailed = new CopyOnWriteArrayList<>();
    Set<UUID> written = ConcurrentHashMap.newKeySet();
    try (Subscription tail = store.subscribe("contract-tail", LogPosition.START, 100, tailed::addAll)) {
      ExecutorService pool = Executors.newFixedThreadPool(writers);
      try {
        List<Callable<Void>> work = new ArrayList<>();
        for (int w = 0; w < writers; w++) {
          work.add(() -> {
            var random = ThreadLocalRandom.current();
            for (int i = 0; i < appendsPerWriter; i++) {
              String stream = "bulk-" + random.nextInt(streams);
              List<NewEvent> events = IntStream.range(0, 1 + random.nextInt(3)).mapToObj(n -> noted("x")).toList();
              if (random.nextBoolean()) {
                store.append(stream, "note", ExpectedVersion.any(), events);
              } else {
                appendWithRetry(store, stream, events);
              }
              events.forEach(e -> written.add(e.eventId()));
            }
            return null;
          });
        }
        for (Future<Void> done : pool.invokeAll(work)) {
          done.get();
        }
      } finally {
        pool.shutdownNow();
      }
      await(() -> tailed.size() >= written.size(), Duration.ofSeconds(30));
    }

    List<RecordedEvent> log = readWholeLog(store);
    assertThat(log).extracting(RecordedEvent::eventId).doesNotHaveDuplicates()
        .containsExactlyInAnyOrderElementsOf(written);
    assertThat(tailed).extracting(RecordedEvent::eventId).as("the tail, in log order")
        .containsExactlyElementsOf(log.stream().map(RecordedEvent::eventId).toList());
    Map<String, List<Long>> versions = new HashMap<>();
    log.forEach(e -> versions.computeIfAbsent(e.streamId(), s -> new ArrayList<>()).add(e.version()));
    versions.forEach((stream, seen) -> {
      Collections.sort(seen);
      assertThat(seen).as(stream).containsExactlyElementsOf(
          IntStream.rangeClosed(1, seen.size()).mapToObj(i -> (long) i).toList());
      assertThat(store.readStream(stream, 1).version()).isEqualTo(seen.size());
    });
  }

  private static void appendWithRetry(EventStore store, String stream, List<NewEvent> events) {
    while (true) {
      long version = store.readStream(stream, Long.MAX_VALUE).version();
      try {
        store.append(stream, "note", ExpectedVersion.exactly(version), events);
        return;
      } catch (EventStoreException.WrongExpectedVersion e) {
        // another writer got there first: read the head again
      }
    }
  }

  // --- the log and its tail -----------------------------------------------------------------

  @Test
  void readsTheLogInBatchesAfterAPosition() {
    EventStore store = store();
    for (int i = 0; i < 25; i++) {
      store.append("log-" + (i % 3), "note", ExpectedVersion.any(), List.of(noted("e" + i)));
    }
    List<RecordedEvent> all = readWholeLog(store);
    assertThat(all).hasSize(25);
    assertThat(all).extracting(e -> json(e.data()))
        .containsExactlyElementsOf(IntStream.range(0, 25).mapToObj(i -> json("{\"text\": \"e" + i + "\"}")).toList());
    LogPage page = store.readLog(all.get(9).logPosition(), 10);
    assertThat(page.events()).containsExactlyElementsOf(all.subList(10, 20));
    assertThat(store.locate(all.get(9).position())).contains(all.get(9).logPosition());
    assertThat(store.locate(all.getLast().position() + 1000)).isEmpty();
  }

  @Test
  void aTailDeliversEverythingOnceInLogOrderAndWakesWithinMilliseconds() throws Exception {
    EventStore store = store();
    store.append("t-1", "note", ExpectedVersion.any(), List.of(noted("before")));
    List<RecordedEvent> tailed = new CopyOnWriteArrayList<>();
    try (Subscription tail = store.subscribe("wake", LogPosition.START, 10, tailed::addAll)) {
      await(() -> tailed.size() == 1, Duration.ofSeconds(5));
      long start = System.nanoTime();
      store.append("t-1", "note", ExpectedVersion.any(), List.of(noted("after")));
      await(() -> tailed.size() == 2, Duration.ofSeconds(5));
      long wokeMillis = (System.nanoTime() - start) / 1_000_000;
      // Far below the poll interval: the commit itself woke the tail.
      assertThat(wokeMillis).isLessThan(250);
    }
    assertThat(tailed).extracting(e -> json(e.data())).containsExactly(json("{\"text\": \"before\"}"), json("{\"text\": \"after\"}"));
  }

  @Test
  void aFailingConsumerGetsTheSameBatchAgainAndNothingIsSkipped() throws Exception {
    EventStore store = store();
    List<RecordedEvent> tailed = new CopyOnWriteArrayList<>();
    var failures = new int[] {2};
    try (Subscription tail = store.subscribe("flaky", LogPosition.START, 100, batch -> {
      if (failures[0]-- > 0) {
        throw new IllegalStateException("consumer down");
      }
      tailed.addAll(batch);
    })) {
      store.append("f-1", "note", ExpectedVersion.any(), List.of(noted("a"), noted("b")));
      await(() -> tailed.size() == 2, Duration.ofSeconds(10));
    }
    assertThat(tailed).extracting(RecordedEvent::version).containsExactly(1L, 2L);
  }

  @Test
  void aTailNeverSkipsALateCommit() throws Exception {
    EventStore store = store();
    store.append("late-1", "note", ExpectedVersion.any(), List.of(noted("first")));
    List<RecordedEvent> tailed = new CopyOnWriteArrayList<>();
    try (Subscription tail = store.subscribe("late", LogPosition.START, 10, tailed::addAll)) {
      await(() -> tailed.size() == 1, Duration.ofSeconds(5));

      NewEvent late = noted("late");
      Optional<OpenAppend> open = beginOpenAppend("late-2", late);
      assumeTrue(open.isPresent(), "this store has no interleaving transactions");
      store.append("late-3", "note", ExpectedVersion.any(), List.of(noted("second")));
      store.append("late-3", "note", ExpectedVersion.any(), List.of(noted("third")));

      Thread.sleep(300);
      assertThat(tailed).as("later commits wait for the open transaction").hasSize(1);

      open.get().commit();
      await(() -> tailed.size() == 4, Duration.ofSeconds(5));
      Thread.sleep(100);
      assertThat(tailed).extracting(e -> json(e.data())).containsExactly(
          json("{\"text\": \"first\"}"), json("{\"text\": \"late\"}"), json("{\"text\": \"second\"}"), json("{\"text\": \"third\"}"));
      assertThat(tailed.get(1).eventId()).isEqualTo(late.eventId());
    }
    assertThat(tailed).containsExactlyElementsOf(readWholeLog(store));
  }

  // --- schema evolution ---------------------------------------------------------------------

  @Test
  void storedOldSchemaVersionsAreLiftedStepByStepBeforeAnyReaderSeesThem() {
    EventStore store = store();
    store.append("r-1", "note", ExpectedVersion.any(), List.of(
        NewEvent.of("Renamed", 1, "{\"name\":\"first\"}"),
        NewEvent.of("Renamed", 2, "{\"name\":\"second\",\"reason\":\"typo\"}"),
        NewEvent.of("Renamed", 3, "{\"newName\":\"third\",\"reason\":\"rebrand\"}")));

    List<RecordedEvent> fromStream = store.readStream("r-1", 1).events();
    List<RecordedEvent> fromLog = readWholeLog(store);
    for (List<RecordedEvent> read : List.of(fromStream, fromLog)) {
      assertThat(read).extracting(RecordedEvent::schemaVersion).containsOnly(3);
      assertThat(read).extracting(e -> json(e.data())).containsExactly(
          json("{\"reason\":\"unknown\",\"newName\":\"first\"}"),
          json("{\"reason\":\"typo\",\"newName\":\"second\"}"),
          json("{\"reason\": \"rebrand\", \"newName\": \"third\"}"));
    }
  }

  @Test
  void anEventTypeTheRegistryDoesNotKnowIsAnErrorNamingTypeAndPosition() {
    EventStore writer = openStore(EventTypes.builder().include(TYPES).type("Surprise", 1).build());
    writer.append("u-1", "note", ExpectedVersion.any(), List.of(noted("fine")));
    AppendResult surprise = writer.append("u-1", "note", ExpectedVersion.any(), List.of(NewEvent.of("Surprise", 1, "{}")));

    EventStore reader = store();
    assertThatThrownBy(() -> readWholeLog(reader))
        .isInstanceOfSatisfying(EventStoreException.UnknownType.class, e -> {
          assertThat(e.type()).isEqualTo("Surprise");
          assertThat(e.position()).isEqualTo(surprise.position());
        })
        .hasMessageContaining("Surprise").hasMessageContaining("position " + surprise.position());
    assertThatThrownBy(() -> reader.readStream("u-1", 1)).isInstanceOf(EventStoreException.UnknownType.class);
  }

  // --- idempotency --------------------------------------------------------------------------

  @Test
  void reAppendingStoredEventIdsReturnsTheOriginalResultAndWritesNothing() {
    EventStore store = store();
    List<NewEvent> events = List.of(noted("a"), noted("b"));
    AppendResult original = store.append("i-1", "note", ExpectedVersion.noStream(), events);
    store.append("i-1", "note", ExpectedVersion.exactly(2), List.of(noted("c")));

    assertThat(store.append("i-1", "note", ExpectedVersion.noStream(), events)).isEqualTo(original);
    assertThat(store.append("i-1", "note", ExpectedVersion.any(), events)).isEqualTo(original);
    assertThatThrownBy(() -> store.append("i-1", "note", ExpectedVersion.any(), List.of(events.get(0), noted("d"))))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(store.readStream("i-1", 1).version()).isEqualTo(3);
    assertThat(readWholeLog(store)).hasSize(3);
  }

  @Test
  void concurrentDuplicateAppendsAreStoredOnce() throws Exception {
    EventStore store = store();
    List<NewEvent> events = List.of(noted("once"), noted("only"));
    int writers = 8;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    Set<AppendResult> results = new HashSet<>();
    try {
      var barrier = new CyclicBarrier(writers);
      List<Future<AppendResult>> outcomes = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        outcomes.add(pool.submit(() -> {
          barrier.await();
          return store.append("dup-1", "note", ExpectedVersion.any(), events);
        }));
      }
      for (Future<AppendResult> outcome : outcomes) {
        results.add(outcome.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(results).hasSize(1);
    assertThat(readWholeLog(store)).extracting(RecordedEvent::eventId)
        .containsExactly(events.get(0).eventId(), events.get(1).eventId());
  }

  // --- unique keys --------------------------------------------------------------------------

  @Test
  void aUniqueKeyIsHeldByOneStreamAtATimeAndATakenKeyWritesNothing() {
    EventStore store = store();
    var name = new UniqueKey("product-name:store-1", "galaxy s25");
    store.append(new AppendRequest("k-1", "product", ExpectedVersion.noStream(), List.of(noted("a")),
        Set.of(name), Set.of(), null));

    assertThatThrownBy(() -> store.append(new AppendRequest("k-2", "product", ExpectedVersion.noStream(),
        List.of(noted("b")), Set.of(name), Set.of(), null)))
        .isInstanceOfSatisfying(EventStoreException.UniqueKeyTaken.class, e -> assertThat(e.key()).isEqualTo(name));
    assertThat(store.readStream("k-2", 1).exists()).isFalse();

    // the holder may claim it again; once released, another stream may take it
    store.append(new AppendRequest("k-1", "product", ExpectedVersion.exactly(1), List.of(noted("c")),
        Set.of(name), Set.of(), null));
    var renamed = new UniqueKey("product-name:store-1", "galaxy s26");
    store.append(new AppendRequest("k-1", "product", ExpectedVersion.exactly(2), List.of(noted("d")),
        Set.of(renamed), Set.of(name), null));
    store.append(new AppendRequest("k-2", "product", ExpectedVersion.noStream(), List.of(noted("e")),
        Set.of(name), Set.of(), null));
    assertThat(readWholeLog(store)).hasSize(4);
  }

  @Test
  void concurrentClaimsOfOneKeyLetExactlyOneStreamWin() throws Exception {
    EventStore store = store();
    var key = new UniqueKey("sku", "SKU-1");
    int writers = 12;
    ExecutorService pool = Executors.newFixedThreadPool(writers);
    List<Object> outcomes = new ArrayList<>();
    try {
      var barrier = new CyclicBarrier(writers);
      List<Future<Object>> futures = new ArrayList<>();
      for (int w = 0; w < writers; w++) {
        String stream = "claim-" + w;
        futures.add(pool.submit(() -> {
          barrier.await();
          try {
            return store.append(new AppendRequest(stream, "product", ExpectedVersion.noStream(), List.of(noted("x")),
                Set.of(key), Set.of(), null));
          } catch (EventStoreException.UniqueKeyTaken e) {
            return e;
          }
        }));
      }
      for (Future<Object> future : futures) {
        outcomes.add(future.get());
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(outcomes).filteredOn(AppendResult.class::isInstance).hasSize(1);
    assertThat(outcomes).filteredOn(EventStoreException.UniqueKeyTaken.class::isInstance).hasSize(writers - 1);
    assertThat(readWholeLog(store)).hasSize(1);
  }

  // --- helpers ------------------------------------------------------------------------------

  private static final JsonMapper JSON = JsonMapper.builder().build();

  /** JSON as a tree, so comparisons ignore whitespace and key order. */
  protected static JsonNode json(String text) {
    return JSON.readTree(text);
  }

  protected static List<RecordedEvent> readWholeLog(EventStore store) {
    List<RecordedEvent> all = new ArrayList<>();
    LogPosition after = LogPosition.START;
    while (true) {
      LogPage page = store.readLog(after, 7);
      if (page.events().isEmpty() && page.pending()) {
        // a transaction elsewhere (autovacuum's analyze, say) holds the horizon back for a moment
        Thread.onSpinWait();
        continue;
      }
      if (page.events().isEmpty()) {
        return all;
      }
      all.addAll(page.events());
      after = page.next(after);
    }
  }

  protected static void await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("condition not met within " + timeout);
      }
      Thread.sleep(2);
    }
  }
}
