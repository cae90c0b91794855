package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.test.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** A command accepted with 202 is completed after a restart, never forgotten. */
class AcceptedCommandsIntegrationTests {

  @Test
  void aCommandAcceptedBeforeTheAppStoppedRunsWhenItStartsAgain() throws Exception {
    String database = "ordo.db.url=" + TestPostgres.createDatabase();
    String store;
    UUID commandId = UUID.randomUUID();
    try (RunningApp first = RunningApp.start(null, database)) {
      var created = first.send("POST", "/api/v1/stores", "{\"name\":\"Before\"}");
      store = created.json().get("id").asString();
      // what an accepted command leaves when its process dies before running it
      try (Connection connection = first.bean(DataSource.class).getConnection();
          Statement insert = connection.createStatement()) {
        insert.execute("""
            INSERT INTO commands (command_id, command_type, status, aggregate_id, payload, metadata)
            VALUES ('%s', 'dev.ordo.catalog.store.StoreCommand$RenameStore', 'PENDING', '%s',
                    '{"storeId":"%s","name":"After"}', '{"correlationId":"c-1","actor":"bob","roles":["seller"],"groups":["%s"]}')
            """.formatted(commandId, store, store, store));
      }
    }

    try (RunningApp second = RunningApp.start(null, database)) {
      JsonNode status = null;
      for (int i = 0; i < 100; i++) {
        status = second.get("/api/v1/commands/" + commandId).json();
        if (!status.get("status").asString().equals("PENDING")) {
          break;
        }
        Thread.sleep(50);
      }
      assertThat(status.get("status").asString()).isEqualTo("SUCCEEDED");
      JsonNode events = second.get("/api/v1/streams/" + store).json().get("events");
      assertThat(events).hasSize(2);
      assertThat(events.get(1).get("type").asString()).isEqualTo("StoreRenamed");
      assertThat(events.get(1).get("metadata").get("actor").asString()).isEqualTo("bob");
      assertThat(events.get(1).get("metadata").get("commandId").asString()).isEqualTo(commandId.toString());
    }
  }
}
