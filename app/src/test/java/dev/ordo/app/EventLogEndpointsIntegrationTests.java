package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.EventMetadata;
import dev.ordo.eventstore.EventStore;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.test.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import tools.jackson.databind.JsonNode;

class EventLogEndpointsIntegrationTests {

  @Configuration(proxyBeanMethods = false)
  static class NoteTypes {
    @Bean
    EventTypes noteTypes() {
      return EventTypes.builder().type("Noted", 2).upcaster("Noted", 1, d -> d.put("tag", "none")).build();
    }
  }

  private static RunningApp app;
  private static EventStore store;

  @BeforeAll
  static void start() {
    app = RunningApp.start(NoteTypes.class, "ordo.db.url=" + TestPostgres.createDatabase());
    store = app.bean(EventStore.class);
  }

  @AfterAll
  static void stop() {
    app.close();
  }

  @Test
  void servesTheGlobalLogInPagesThatResumeFromNext() {
    List<AppendResult> appended = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      appended.add(store.append("page-" + i, "note", ExpectedVersion.noStream(),
          List.of(NewEvent.of("Noted", 2, "{\"n\":" + i + ",\"tag\":\"t\"}"))));
    }
    long start = appended.getFirst().position() - 1;
    var first = app.get("/api/v1/events?after=" + start + "&limit=3");
    assertThat(first.status()).isEqualTo(200);
    JsonNode page = first.json();
    assertThat(page.get("events")).hasSize(3);
    long next = page.get("next").asLong();
    assertThat(next).isEqualTo(appended.get(2).position());

    JsonNode rest = app.get("/api/v1/events?after=" + next + "&limit=100").json();
    assertThat(rest.get("events")).extracting(e -> e.get("data").get("n").asInt()).containsExactly(3, 4);
  }

  @Test
  void servesOneStreamWithEveryEventFieldOfTheContract() {
    var metadata = new EventMetadata("req-1", "cmd-0", "user-42", "cmd-1");
    store.append("stream-a", "note", ExpectedVersion.noStream(), List.of(
        NewEvent.of("Noted", 1, "{\"text\":\"old\"}").withMetadata(metadata),
        NewEvent.of("Noted", 2, "{\"text\":\"new\",\"tag\":\"x\"}")));

    var response = app.get("/api/v1/streams/stream-a");
    assertThat(response.status()).isEqualTo(200);
    JsonNode stream = response.json();
    assertThat(stream.get("streamId").asString()).isEqualTo("stream-a");
    assertThat(stream.get("version").asLong()).isEqualTo(2);
    JsonNode event = stream.get("events").get(0);
    assertThat(event.propertyNames()).containsExactlyInAnyOrder("position", "eventId", "streamId", "streamType",
        "version", "type", "schemaVersion", "data", "metadata", "occurredAt");
    assertThat(event.get("streamType").asString()).isEqualTo("note");
    assertThat(event.get("schemaVersion").asInt()).as("lifted on read").isEqualTo(2);
    assertThat(event.get("data").get("tag").asString()).isEqualTo("none");
    assertThat(event.get("metadata").get("actor").asString()).isEqualTo("user-42");
    assertThat(event.get("metadata").get("correlationId").asString()).isEqualTo("req-1");
    assertThat(event.get("occurredAt").asString()).endsWith("Z");

    JsonNode fromTwo = app.get("/api/v1/streams/stream-a?fromVersion=2").json();
    assertThat(fromTwo.get("events")).hasSize(1);
    assertThat(fromTwo.get("version").asLong()).isEqualTo(2);
  }

  @Test
  void anUnknownStreamIs404ProblemDetails() {
    var response = app.get("/api/v1/streams/no-such-stream");
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.header("content-type")).startsWith("application/problem+json");
    assertThat(response.json().get("type").asString()).endsWith("/not-found");
  }

  @Test
  void malformedQueryParametersAre400ProblemDetailsNamingTheField() {
    for (String query : List.of("/api/v1/events?after=-1", "/api/v1/events?after=abc", "/api/v1/events?limit=0",
        "/api/v1/events?limit=1001", "/api/v1/events?limit=x", "/api/v1/events?after=999999999",
        "/api/v1/streams/stream-a?fromVersion=0", "/api/v1/streams/stream-a?fromVersion=one")) {
      var response = app.get(query);
      assertThat(response.status()).as(query).isEqualTo(400);
      assertThat(response.header("content-type")).as(query).startsWith("application/problem+json");
      JsonNode problem = response.json();
      assertThat(problem.get("type").asString()).endsWith("/invalid-input");
      assertThat(problem.get("title").asString()).isNotBlank();
      assertThat(problem.get("detail").asString()).isNotBlank();
      String field = query.substring(query.indexOf('?') + 1, query.indexOf('='));
      assertThat(problem.get("errors").get(0).get("field").asString()).as(query).isEqualTo(field);
      assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    }
  }

  @Test
  void anUnknownRouteIsAProblemToo() {
    var response = app.get("/api/v1/nothing-here"); // deny by default: no rule allows it
    assertThat(response.status()).isEqualTo(403);
    assertThat(response.json().get("type").asString()).endsWith("/forbidden");
    assertThat(app.send("GET", "/api/v1/streams/some/thing", null).json().get("type").asString())
        .endsWith("/not-found"); // allowed, but nothing answers
  }

  @Test
  void anEventTypeThisBuildDoesNotKnowIsAnErrorNamingTypeAndPosition() throws Exception {
    try (Connection connection = app.bean(DataSource.class).getConnection();
        Statement insert = connection.createStatement()) {
      insert.execute("""
          INSERT INTO events (stream_id, stream_version, stream_type, event_id, event_type, schema_version, data, metadata)
          VALUES ('alien-1', 1, 'alien', gen_random_uuid(), 'FromTheFuture', 1, '{}', '{}')
          """);
    }
    var response = app.get("/api/v1/streams/alien-1");
    assertThat(response.status()).isEqualTo(500);
    JsonNode problem = response.json();
    assertThat(problem.get("eventType").asString()).isEqualTo("FromTheFuture");
    assertThat(problem.get("detail").asString()).contains("FromTheFuture").contains("position");
    assertThat(problem.get("position").asLong()).isPositive();
    assertThat(response.body()).doesNotContain("\tat ");
  }

  @Test
  void healthShowsTheEventStore() {
    var response = app.get("/actuator/health");
    assertThat(response.status()).isEqualTo(200);
    assertThat(response.json().get("components").get("eventStore").get("status").asString()).isEqualTo("UP");
  }
}
