package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.NewEvent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The default: PostgreSQL embedded, its data under the data directory, kept across restarts. */
class EmbeddedDatabaseIntegrationTests {

  @TempDir
  Path dataDir;

  @Test
  void eventsSurviveARestartOfTheApp() {
    String dir = "ordo.data.dir=" + dataDir;
    try (RunningApp app = RunningApp.start(NoteTypes.class, dir)) {
      app.bean(EventStore.class).append("kept", "note", ExpectedVersion.noStream(),
          List.of(NewEvent.of("Noted", 1, "{\"n\":1}"), NewEvent.of("Noted", 1, "{\"n\":2}")));
      assertThat(app.get("/api/v1/streams/kept").status()).isEqualTo(200);
    }
    assertThat(Files.exists(dataDir.resolve("postgres/PG_VERSION"))).isTrue();

    try (RunningApp again = RunningApp.start(NoteTypes.class, dir)) {
      var stream = again.get("/api/v1/streams/kept");
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.json().get("version").asLong()).isEqualTo(2);
      assertThat(again.get("/api/v1/events").json().get("events")).hasSize(2);
    }
  }
}
