package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.EventStoreException;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A stopped database answers 503 and DOWN; once it is back, the app recovers without a restart. */
class DatabaseOutageIntegrationTests {

  @TempDir
  Path pgData;

  private EmbeddedPostgres startPostgres(int port) throws Exception {
    return EmbeddedPostgres.builder().setDataDirectory(pgData).setCleanDataDirectory(false).setPort(port).start();
  }

  @Test
  void answers503WhileTheDatabaseIsDownAndRecoversWhenItIsBack() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    EmbeddedPostgres postgres = startPostgres(port);
    String url = postgres.getJdbcUrl("postgres", "postgres");
    try (RunningApp app = RunningApp.start(NoteTypes.class, "ordo.db.url=" + url)) {
      EventStore store = app.bean(EventStore.class);
      store.append("outage", "note", ExpectedVersion.noStream(), List.of(NewEvent.of("Noted", 1, "{}")));
      assertThat(app.get("/api/v1/streams/outage").status()).isEqualTo(200);

      postgres.close();

      long start = System.nanoTime();
      var events = app.get("/api/v1/events");
      assertThat(Duration.ofNanos(System.nanoTime() - start)).as("answers, does not hang").isLessThan(Duration.ofSeconds(10));
      assertThat(events.status()).isEqualTo(503);
      assertThat(events.header("retry-after")).isNotBlank();
      assertThat(events.header("content-type")).startsWith("application/problem+json");
      assertThat(events.body()).doesNotContain("\tat ");
      assertThat(app.get("/api/v1/streams/outage").status()).isEqualTo(503);
      var health = app.get("/actuator/health");
      assertThat(health.status()).isEqualTo(503);
      assertThat(health.json().get("components").get("eventStore").get("status").asString()).isEqualTo("DOWN");
      var command = app.send("POST", "/api/v1/stores", "{\"name\":\"During the outage\"}");
      assertThat(command.status()).isEqualTo(503);
      assertThat(command.header("retry-after")).isNotBlank();
      assertThat(command.header("content-type")).startsWith("application/problem+json");
      try {
        store.append("outage", "note", ExpectedVersion.exactly(1), List.of(NewEvent.of("Noted", 1, "{}")));
        throw new AssertionError("an append while the database is down must fail");
      } catch (EventStoreException.Unavailable expected) {
        // and nothing half-written: checked below
      }

      postgres = startPostgres(port);

      var back = app.get("/api/v1/streams/outage");
      for (int i = 0; i < 50 && back.status() != 200; i++) {
        Thread.sleep(200);
        back = app.get("/api/v1/streams/outage");
      }
      assertThat(back.status()).isEqualTo(200);
      assertThat(back.json().get("version").asLong()).isEqualTo(1);
      // the projections' checks may still meet a connection of the old server once
      var healthy = app.get("/actuator/health");
      for (int i = 0; i < 50 && healthy.status() != 200; i++) {
        Thread.sleep(200);
        healthy = app.get("/actuator/health");
      }
      assertThat(healthy.status()).as(healthy.body()).isEqualTo(200);
      assertThat(store.append("outage", "note", ExpectedVersion.exactly(1), List.of(NewEvent.of("Noted", 1, "{}")))
          .version()).isEqualTo(2);
    } finally {
      postgres.close();
    }
  }
}
