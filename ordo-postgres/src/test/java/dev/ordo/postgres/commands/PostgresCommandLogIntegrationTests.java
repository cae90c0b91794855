package dev.ordo.postgres.commands;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ordo.command.Caller;
import dev.ordo.command.CommandMetadata;
import dev.ordo.command.CommandRecord;
import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.AppendResult;
import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.TimeOrderedUuid;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.log.PostgresEventStore;
import dev.ordo.test.TestPostgres;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The command log on a real PostgreSQL: each state a command can be in, read back as its typed record. */
class PostgresCommandLogIntegrationTests {

  private static final String TYPE = "dev.example.RenameThing";

  private DataSource dataSource;
  private PostgresCommandLog log;

  @BeforeEach
  void database() {
    dataSource = TestPostgres.newDatabase();
    OrdoMigrations.migrateLog(dataSource);
    log = new PostgresCommandLog(dataSource);
  }

  @Test
  void aCommandNeverRecordedIsNotFound() {
    assertThat(log.find(UUID.randomUUID())).isEmpty();
    assertThat(log.findByKey("never-used")).isEmpty();
  }

  @Test
  void aDeferredCommandIsPendingWithAllItNeedsToRunLater() {
    UUID id = TimeOrderedUuid.next();
    var metadata = new CommandMetadata(id, "req-1", "cause-1", new Caller("alice", Set.of("seller"), Set.of("s-1")));
    // the payload is kept as jsonb: the same JSON comes back, in jsonb's spelling
    var accepted = new CommandRecord.Pending(id, TYPE, "key-1", "fp-1", "thing-1", "{\"name\": \"x\"}", metadata, 3L);

    assertThat(log.accept(accepted)).isTrue();

    assertThat(log.find(id)).contains(accepted);
    assertThat(log.findByKey("key-1")).contains(accepted);
    assertThat(log.deferred()).containsExactly(accepted);
    assertThat(log.actor(id)).contains("alice");
  }

  @Test
  void aCommandRunAtOnceHoldsOnlyItsKeyAndIsNotDeferred() {
    var running = CommandRecord.Pending.running(TimeOrderedUuid.next(), TYPE, "key-run", "fp");

    assertThat(log.accept(running)).isTrue();

    assertThat(log.find(running.commandId())).contains(running);
    assertThat(((CommandRecord.Pending) log.find(running.commandId()).orElseThrow()).deferred()).isFalse();
    assertThat(log.deferred()).isEmpty();
  }

  @Test
  void aKeyHeldByOneCommandIsNotGivenToAnother() {
    var first = CommandRecord.Pending.running(TimeOrderedUuid.next(), TYPE, "shared", "fp-a");
    var second = CommandRecord.Pending.running(TimeOrderedUuid.next(), TYPE, "shared", "fp-b");

    assertThat(log.accept(first)).isTrue();
    assertThat(log.accept(second)).isFalse();

    assertThat(log.findByKey("shared").orElseThrow().commandId()).isEqualTo(first.commandId());
    assertThat(log.find(second.commandId())).isEmpty();
  }

  @Test
  void commandsWithoutKeysNeverCollide() {
    assertThat(log.accept(CommandRecord.Pending.running(TimeOrderedUuid.next(), TYPE, null, null))).isTrue();
    assertThat(log.accept(CommandRecord.Pending.running(TimeOrderedUuid.next(), TYPE, null, null))).isTrue();
  }

  @Test
  void anAcceptedCommandThatCompletesIsSucceededWithItsResult() {
    UUID id = TimeOrderedUuid.next();
    log.accept(CommandRecord.Pending.running(id, TYPE, "key-done", "fp"));
    var succeeded = new CommandRecord.Succeeded(id, TYPE, "key-done", "fp", "thing-1", 4, 17, false);

    log.complete(succeeded);

    assertThat(log.find(id)).contains(succeeded);
    assertThat(log.findByKey("key-done")).contains(succeeded);
  }

  @Test
  void aCommandNeverAcceptedCanBeRecordedAsDoneDirectly() {
    var created = new CommandRecord.Succeeded(TimeOrderedUuid.next(), TYPE, null, null, "thing-2", 1, 9, true);

    log.complete(created);

    assertThat(log.find(created.commandId())).contains(created);
  }

  @Test
  void aFailedCommandKeepsItsProblemAndCannotFailTwice() {
    UUID id = TimeOrderedUuid.next();
    log.accept(CommandRecord.Pending.running(id, TYPE, "key-fail", "fp"));
    String problem = "{\"type\":\"https://ordo.dev/problems/rule-broken\",\"status\":422,\"rule\":\"no\"}";

    log.fail(id, problem);
    log.fail(id, "{\"status\":500}");

    assertThat(log.find(id)).contains(new CommandRecord.Failed(id, TYPE, "key-fail", "fp", problem));
  }

  @Test
  void aReleasedCommandFreesItsKeyButADoneOneIsNeverReleased() {
    var released = CommandRecord.Pending.running(TimeOrderedUuid.next(), TYPE, "key-free", "fp");
    log.accept(released);
    log.release(released.commandId());
    assertThat(log.find(released.commandId())).isEmpty();
    assertThat(log.accept(CommandRecord.Pending.running(TimeOrderedUuid.next(), TYPE, "key-free", "fp"))).isTrue();

    var done = new CommandRecord.Succeeded(TimeOrderedUuid.next(), TYPE, null, null, "thing", 1, 1, true);
    log.complete(done);
    log.release(done.commandId());
    assertThat(log.find(done.commandId())).contains(done);
  }

  @Test
  void anAppendRecordsItsCommandInItsOwnTransactionWithTheAppendsVersionAndPosition() {
    var store = new PostgresEventStore(dataSource, EventTypes.builder().type("ThingHappened", 1).build());
    try {
      UUID id = TimeOrderedUuid.next();
      log.accept(new CommandRecord.Pending(id, TYPE, "key-append", "fp", "thing-9", "{}",
          new CommandMetadata(id, "c", null, null), null));

      AppendResult appended = store.append(new AppendRequest("thing-9", "thing", ExpectedVersion.noStream(),
          List.of(NewEvent.of("ThingHappened", 1, "{}"), NewEvent.of("ThingHappened", 1, "{}")), Set.of(), Set.of(),
          new AppendRequest.CommandCompletion(id, "key-append", "fp", TYPE, true, "alice")));

      assertThat(log.find(id)).contains(new CommandRecord.Succeeded(id, TYPE, "key-append", "fp", "thing-9",
          appended.version(), appended.position(), true));
      assertThat(appended.version()).isEqualTo(2);
      assertThat(log.deferred()).isEmpty();
    } finally {
      store.close();
    }
  }

  @Test
  void anAppendThatConflictsRecordsNothing() {
    var store = new PostgresEventStore(dataSource, EventTypes.builder().type("ThingHappened", 1).build());
    try {
      store.append(AppendRequest.of("thing-c", "thing", ExpectedVersion.noStream(),
          List.of(NewEvent.of("ThingHappened", 1, "{}"))));
      UUID id = TimeOrderedUuid.next();
      try {
        store.append(new AppendRequest("thing-c", "thing", ExpectedVersion.noStream(),
            List.of(NewEvent.of("ThingHappened", 1, "{}")), Set.of(), Set.of(),
            new AppendRequest.CommandCompletion(id, null, null, TYPE, true, null)));
      } catch (RuntimeException expected) {
        // the stream exists
      }
      assertThat(log.find(id)).isEmpty();
    } finally {
      store.close();
    }
  }

  @Test
  void recordsPastTheirRetentionAreRemovedButPendingOnesStay() throws SQLException {
    var done = new CommandRecord.Succeeded(TimeOrderedUuid.next(), TYPE, "old-done", "fp", "thing", 1, 1, false);
    log.complete(done);
    UUID failed = TimeOrderedUuid.next();
    log.accept(CommandRecord.Pending.running(failed, TYPE, "old-failed", "fp"));
    log.fail(failed, "{\"status\":422}");
    var deferred = new CommandRecord.Pending(TimeOrderedUuid.next(), TYPE, "old-pending", "fp", "thing", "{}",
        new CommandMetadata(UUID.randomUUID(), "c", null, null), null);
    log.accept(deferred);
    var fresh = new CommandRecord.Succeeded(TimeOrderedUuid.next(), TYPE, "fresh", "fp", "thing", 2, 2, false);
    execute("UPDATE commands SET expires_at = now() - interval '1 second'");
    log.complete(fresh);

    assertThat(log.removeExpired()).isEqualTo(2);

    assertThat(log.find(done.commandId())).isEmpty();
    assertThat(log.find(failed)).isEmpty();
    assertThat(log.findByKey("old-done")).isEmpty();
    assertThat(log.find(deferred.commandId())).isPresent();
    assertThat(log.find(fresh.commandId())).contains(fresh);
  }

  @Test
  void onlyOldClaimsOfCommandsRunAtOnceAreAbandoned() throws SQLException {
    var old = CommandRecord.Pending.running(TimeOrderedUuid.next(), TYPE, "old-claim", "fp");
    var deferred = new CommandRecord.Pending(TimeOrderedUuid.next(), TYPE, "old-deferred", "fp", "thing", "{}",
        new CommandMetadata(UUID.randomUUID(), "c", null, null), null);
    log.accept(old);
    log.accept(deferred);
    execute("UPDATE commands SET created_at = now() - interval '2 minutes'");
    var recent = CommandRecord.Pending.running(TimeOrderedUuid.next(), TYPE, "recent-claim", "fp");
    log.accept(recent);

    assertThat(log.removeAbandonedClaims(Duration.ofMinutes(1))).isEqualTo(1);

    assertThat(log.find(old.commandId())).isEmpty();
    assertThat(log.find(deferred.commandId())).isPresent();
    assertThat(log.find(recent.commandId())).isPresent();
  }

  @Test
  void aDeferredCommandsMetadataIsReadBackForItsOwnId() throws SQLException {
    // a row as an earlier version wrote it: correlation and actor only
    UUID id = TimeOrderedUuid.next();
    execute("""
        INSERT INTO commands (command_id, command_type, status, aggregate_id, payload, metadata)
        VALUES ('%s', '%s', 'PENDING', 'thing', '{"a":1}', '{"correlationId":"c-1","actor":"bob"}')
        """.formatted(id, TYPE));

    var pending = (CommandRecord.Pending) log.find(id).orElseThrow();

    assertThat(pending.metadata()).isEqualTo(new CommandMetadata(id, "c-1", null, new Caller("bob", Set.of(), Set.of())));
    assertThat(pending.payload()).isEqualTo("{\"a\": 1}");
    assertThat(pending.deferred()).isTrue();
  }

  @Test
  void answersKeptAsHttpBeforeTheLogKeptOutcomesAreReadAsOutcomes() throws SQLException {
    dataSource = TestPostgres.newDatabase();
    Flyway.configure().dataSource(dataSource).baselineOnMigrate(true).baselineVersion("0")
        .locations("classpath:db/ordo/log").table("ordo_log_schema_history").target("2").load().migrate();
    UUID created = TimeOrderedUuid.next();
    UUID changed = TimeOrderedUuid.next();
    UUID refused = TimeOrderedUuid.next();
    String problem = "{\"type\":\"https://ordo.dev/problems/rule-broken\",\"status\":422}";
    execute("""
        INSERT INTO commands (command_id, idempotency_key, fingerprint, command_type, status, aggregate_id,
                              status_code, result, location, problem)
        VALUES ('%s', 'k1', 'fp', '%s', 'SUCCEEDED', 't-1', 201, '{"id":"t-1","version":1,"position":5}', '/t/t-1', NULL),
               ('%s', NULL, NULL, '%s', 'SUCCEEDED', 't-1', 200, '{"id":"t-1","version":2,"position":8}', NULL, NULL),
               ('%s', 'k3', 'fp', '%s', 'FAILED', NULL, 422, NULL, NULL, '%s')
        """.formatted(created, TYPE, changed, TYPE, refused, TYPE, problem));

    OrdoMigrations.migrateLog(dataSource);
    log = new PostgresCommandLog(dataSource);

    assertThat(log.find(created)).contains(new CommandRecord.Succeeded(created, TYPE, "k1", "fp", "t-1", 1, 5, true));
    assertThat(log.find(changed)).contains(new CommandRecord.Succeeded(changed, TYPE, null, null, "t-1", 2, 8, false));
    assertThat(log.find(refused)).contains(new CommandRecord.Failed(refused, TYPE, "k3", "fp", problem));
  }

  /** A payload may hold personal data: it is kept only while the command waits to run. */
  @Test
  void aDeferredCommandsPayloadIsGoneOnceItSucceededOrFailed() throws SQLException {
    var store = new PostgresEventStore(dataSource, EventTypes.builder().type("ThingHappened", 1).build());
    try {
      UUID appended = TimeOrderedUuid.next();
      UUID completed = TimeOrderedUuid.next();
      UUID failed = TimeOrderedUuid.next();
      for (UUID id : List.of(appended, completed, failed)) {
        log.accept(new CommandRecord.Pending(id, TYPE, "key-" + id, "fp", "thing-" + id, "{\"name\": \"Zelda\"}",
            new CommandMetadata(id, "c", null, null), null));
      }
      assertThat(payloads()).isEqualTo(3);

      store.append(new AppendRequest("thing-a", "thing", ExpectedVersion.noStream(),
          List.of(NewEvent.of("ThingHappened", 1, "{}")), Set.of(), Set.of(),
          new AppendRequest.CommandCompletion(appended, "key-" + appended, "fp", TYPE, true, null)));
      log.complete(new CommandRecord.Succeeded(completed, TYPE, "key-" + completed, "fp", "thing-b", 1, 2, true));
      log.fail(failed, "{\"status\":422}");

      assertThat(payloads()).isZero();
    } finally {
      store.close();
    }
  }

  private long payloads() throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
        var rs = statement.executeQuery("SELECT count(*) FROM commands WHERE payload IS NOT NULL")) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }
}
