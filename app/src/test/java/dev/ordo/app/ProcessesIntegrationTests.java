package dev.ordo.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.catalog.store.StoreCommand;
import dev.ordo.command.CommandBus;
import dev.ordo.consumer.ProcessTarget;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.spring.process.ProcessProjection;
import dev.ordo.spring.process.Processes;
import dev.ordo.test.TestPostgres;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A process bean in the running app: it sends its command once, is listed and judged beside the
 * read models, and a restart does not send the command again.
 */
class ProcessesIntegrationTests {

  private static final String PROCESS = "store_naming";

  /**
   * A process that names every new store a branch by renaming it; a store registered as
   * "Nameless" gets a blank name, which the bus refuses every time. Passed to {@link RunningApp#start}
   * as a source, like {@link NoteTypes}.
   */
  static class StoreNaming {

    /** The process's renames that reached the catalog's handler in this context. */
    record Renames(AtomicInteger count) {}

    @Bean
    ProcessProjection storeNaming() {
      var json = JsonMapper.builder().build();
      return new ProcessProjection() {
        @Override
        public String name() {
          return PROCESS;
        }

        @Override
        public int version() {
          return 1;
        }

        @Override
        public Set<String> eventTypes() {
          return Set.of("StoreRegistered");
        }

        @Override
        public void apply(RecordedEvent event, ProcessTarget.Commands commands) {
          String name = json.readTree(event.data()).get("name").asString();
          String renamed = name.equals("Nameless") ? " " : name + " 본점";
          commands.send(new StoreCommand.RenameStore(event.streamId(), renamed), event.streamId(), event);
        }
      };
    }

    @Bean
    Renames renames(CommandBus bus) {
      var renames = new Renames(new AtomicInteger());
      bus.intercept((command, next) -> {
        if (command.command() instanceof StoreCommand.RenameStore
            && ("process:" + PROCESS).equals(command.metadata().actor())) {
          renames.count().incrementAndGet();
        }
        return next.proceed(command);
      });
      return renames;
    }
  }

  private static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!condition.getAsBoolean()) {
      assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  private static JsonNode events(RunningApp app, String stream) {
    return app.get("/api/v1/streams/" + stream).json().get("events");
  }

  private static JsonNode process(RunningApp app) {
    return app.get("/api/v1/projections/" + PROCESS).json();
  }

  private static int renames(RunningApp app) {
    return app.bean(StoreNaming.Renames.class).count().get();
  }

  @Test
  void aProcessSendsItsCommandOnceIsListedAndDoesNotSendItAgainAfterARestart() throws Exception {
    String database = TestPostgres.createDatabase();
    String store;
    try (RunningApp app = RunningApp.start(StoreNaming.class, "ordo.db.url=" + database)) {
      store = app.send("POST", "/api/v1/stores", "{\"name\":\"Ordo Mart\"}").createdId();
      await("the process to rename the store", () -> events(app, store).size() == 2);
      JsonNode registered = events(app, store).get(0);
      JsonNode renamed = events(app, store).get(1);
      assertThat(renamed.get("type").asString()).isEqualTo("StoreRenamed");
      assertThat(renamed.get("data").get("newName").asString()).isEqualTo("Ordo Mart 본점");
      assertThat(renamed.get("metadata").get("actor").asString()).isEqualTo("process:" + PROCESS);
      assertThat(renamed.get("metadata").get("causationId").asString())
          .isEqualTo(registered.get("eventId").asString());
      assertThat(renames(app)).isEqualTo(1);

      await("the process to pass the rename", () -> process(app).get("lagEvents").asLong() == 0);
      JsonNode listed = null;
      for (JsonNode projection : app.get("/api/v1/projections").json().get("projections")) {
        if (projection.get("name").asString().equals(PROCESS)) {
          listed = projection;
        } else if (projection.get("kind").asString().equals("read-model")) {
          assertThat(projection.has("active")).isTrue();
        } else {
          assertThat(projection.get("kind").asString()).isIn("process", "search");
          assertThat(projection.has("active")).as("a process has no generations").isFalse();
        }
      }
      assertThat(listed).as("the process is listed").isNotNull();
      assertThat(listed.get("kind").asString()).isEqualTo("process");
      assertThat(listed.get("state").asString()).isEqualTo("RUNNING");
      assertThat(listed.get("position").asLong()).isEqualTo(renamed.get("position").asLong());
      assertThat(listed.get("lagEvents").asLong()).isZero();
      assertThat(listed.get("deadLetters").asLong()).isZero();
      assertThat(app.get("/actuator/health").json().get("components").get("projections").get("details")
          .get(PROCESS).get("status").asString()).isEqualTo("UP");
      assertThat(app.get("/actuator/prometheus").body()).contains("ordo_process_lag_events{process=\"" + PROCESS);
    }

    try (RunningApp again = RunningApp.start(StoreNaming.class, "ordo.db.url=" + database)) {
      // a store registered after the restart is renamed: the process has gone past the first one
      String later = again.send("POST", "/api/v1/stores", "{\"name\":\"Later Mart\"}").createdId();
      await("the process to rename the later store", () -> events(again, later).size() == 2);
      await("the process to pass the rename", () -> process(again).get("lagEvents").asLong() == 0);
      assertThat(renames(again)).as("only the later store's rename was sent").isEqualTo(1);
      assertThat(events(again, store)).hasSize(2);
    }
  }

  @Test
  void aProcessStoppedAtADeadLetterIsHaltedAndTakesHealthDown() throws Exception {
    try (RunningApp app = RunningApp.start(StoreNaming.class, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.processes.max-attempts=2")) {
      String store = app.send("POST", "/api/v1/stores", "{\"name\":\"Nameless\"}").createdId();
      await("the process to halt", () -> process(app).get("state").asString().equals("HALTED"));
      JsonNode halted = process(app);
      assertThat(halted.get("kind").asString()).isEqualTo("process");
      assertThat(halted.get("deadLetters").asLong()).isEqualTo(1);
      assertThat(halted.get("lagEvents").asLong()).as("stopped before the store's registration").isPositive();
      var health = app.get("/actuator/health");
      assertThat(health.status()).isEqualTo(503);
      JsonNode projections = health.json().get("components").get("projections");
      assertThat(projections.get("status").asString()).isEqualTo("DOWN");
      assertThat(projections.get("details").get(PROCESS).get("status").asString()).isEqualTo("DOWN");
      assertThat(events(app, store)).as("no blank rename").hasSize(1);
      assertThat(renames(app)).isZero();

      // retried, it fails again and is parked again; skipped, the process goes on past it
      JsonNode letters = app.get("/api/v1/projections/" + PROCESS + "/dead-letters").json().get("deadLetters");
      assertThat(letters).hasSize(1);
      long id = letters.get(0).get("id").asLong();
      assertThat(letters.get(0).get("state").asString()).isEqualTo("PARKED");
      assertThat(letters.get(0).get("eventType").asString()).isEqualTo("StoreRegistered");
      int attempts = letters.get(0).get("attempts").asInt();
      var retried = app.send("POST", "/api/v1/projections/" + PROCESS + "/dead-letters/" + id + "/retry", null);
      assertThat(retried.status()).as(retried.body()).isEqualTo(200);
      await("parked again", () -> app.get("/api/v1/projections/" + PROCESS + "/dead-letters").json()
          .get("deadLetters").get(0).get("attempts").asInt() > attempts);
      await("halted again", () -> process(app).get("state").asString().equals("HALTED"));
      var skipped = app.send("POST", "/api/v1/projections/" + PROCESS + "/dead-letters/" + id + "/skip", null);
      assertThat(skipped.status()).as(skipped.body()).isEqualTo(200);
      assertThat(skipped.json().get("state").asString()).isEqualTo("SKIPPED");
      String later = app.send("POST", "/api/v1/stores", "{\"name\":\"Later Mart\"}").createdId();
      await("the process to go on past it", () -> events(app, later).size() == 2);
      assertThat(process(app).get("state").asString()).isEqualTo("RUNNING");
      assertThat(events(app, store)).as("the skipped one stays unrenamed").hasSize(1);
      assertThat(app.send("POST", "/api/v1/projections/" + PROCESS + "/dead-letters/" + id + "/skip", null).status())
          .as("resolved already").isEqualTo(404);
      assertThat(app.get("/actuator/health").status()).isEqualTo(200);
    }
  }

  @Test
  void processesSwitchedOffAreNotRunHere() {
    try (RunningApp app = RunningApp.start(StoreNaming.class, "ordo.db.url=" + TestPostgres.createDatabase(),
        "ordo.processes.enabled=false")) {
      // the search indexes are this instance's own: they run whoever runs the processes
      Processes processes = app.bean(Processes.class);
      assertThat(processes.names()).allMatch(name -> processes.kind(name).orElseThrow().equals("search"));
      assertThat(app.get("/api/v1/projections/" + PROCESS).status()).isEqualTo(404);
      assertThat(app.get("/api/v1/projections").json().get("projections").findValuesAsString("kind"))
          .isNotEmpty().containsOnly("read-model", "search");
    }
  }
}
