package dev.ordo.postgres.log;

import dev.ordo.postgres.OrdoMigrations;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.eventstore.EventStoreException;
import dev.ordo.test.TestPostgres;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Two stores on one database, as two app instances would be: each only knows the stream heads it
 * wrote itself, and must never trust them past what the database says.
 */
class TwoProcessesIntegrationTests {

  private static final EventTypes TYPES = EventTypes.builder().type("Noted", 1).build();

  private HikariDataSource dataSource;
  private PostgresEventStore first;
  private PostgresEventStore second;

  @BeforeEach
  void twoStores() {
    dataSource = PostgresEventStoreContractTests.pool(TestPostgres.createDatabase(), 40);
    OrdoMigrations.migrateLog(dataSource);
    first = new PostgresEventStore(dataSource, TYPES);
    second = new PostgresEventStore(dataSource, TYPES);
  }

  @AfterEach
  void close() {
    first.close();
    second.close();
    dataSource.close();
  }

  private static List<NewEvent> one() {
    return List.of(NewEvent.of("Noted", 1, "{}"));
  }

  @Test
  void aHeadTheOtherProcessMovedIsReadAgainNotTrusted() {
    first.append("shared", "note", ExpectedVersion.noStream(), one());
    second.append("shared", "note", ExpectedVersion.exactly(1), one());

    // first still remembers version 1; the database says 2
    assertThat(first.append("shared", "note", ExpectedVersion.exactly(2), one()).version()).isEqualTo(3);
    second.append("shared", "note", ExpectedVersion.any(), one());
    assertThat(first.append("shared", "note", ExpectedVersion.any(), one()).version()).isEqualTo(5);
    assertThatThrownBy(() -> second.append("shared", "note", ExpectedVersion.exactly(4), one()))
        .isInstanceOfSatisfying(EventStoreException.WrongExpectedVersion.class, e -> assertThat(e.actual()).isEqualTo(5));
    assertThat(first.readStream("shared", 1).events()).extracting(RecordedEvent::version)
        .containsExactly(1L, 2L, 3L, 4L, 5L);
  }

  @Test
  void aRetryThroughTheOtherProcessIsAnsweredWithTheOriginalResult() {
    List<NewEvent> events = one();
    var original = first.append("retried", "note", ExpectedVersion.noStream(), events);
    first.append("retried", "note", ExpectedVersion.exactly(1), one());

    assertThat(second.append("retried", "note", ExpectedVersion.noStream(), events)).isEqualTo(original);
    assertThat(first.append("retried", "note", ExpectedVersion.noStream(), events)).isEqualTo(original);
    assertThat(second.readStream("retried", 1).version()).isEqualTo(2);
  }

  @Test
  void concurrentWritersInBothProcessesKeepEveryStreamContiguous() throws Exception {
    List<EventStore> stores = List.of(first, second);
    ExecutorService pool = Executors.newFixedThreadPool(16);
    try {
      List<Callable<Integer>> work = new ArrayList<>();
      for (int w = 0; w < 16; w++) {
        EventStore store = stores.get(w % 2);
        work.add(() -> {
          int appended = 0;
          var random = ThreadLocalRandom.current();
          for (int i = 0; i < 100; i++) {
            String stream = "hot-" + random.nextInt(10);
            if (random.nextBoolean()) {
              store.append(stream, "note", ExpectedVersion.any(), one());
              appended++;
            } else {
              long version = store.readStream(stream, Long.MAX_VALUE).version();
              try {
                store.append(stream, "note", ExpectedVersion.exactly(version), one());
                appended++;
              } catch (EventStoreException.WrongExpectedVersion e) {
                // lost the race: fine, counted as not appended
              }
            }
          }
          return appended;
        });
      }
      int appended = 0;
      for (Future<Integer> done : pool.invokeAll(work)) {
        appended += done.get();
      }
      int total = 0;
      for (int s = 0; s < 10; s++) {
        List<RecordedEvent> events = first.readStream("hot-" + s, 1).events();
        for (int v = 0; v < events.size(); v++) {
          assertThat(events.get(v).version()).isEqualTo(v + 1L);
        }
        total += events.size();
      }
      assertThat(total).isEqualTo(appended);
      int inLog = 0;
      LogPosition after = LogPosition.START;
      for (LogPage page; !(page = second.readLog(after, 500)).events().isEmpty() || page.pending(); ) {
        inLog += page.events().size();
        after = page.next(after);
      }
      assertThat(inLog).isEqualTo(appended);
    } finally {
      pool.shutdownNow();
    }
  }
}
