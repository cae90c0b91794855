package dev.ordo.postgres.checkpoints;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.ordo.command.CommandBus;
import dev.ordo.command.CommandRecord;
import dev.ordo.command.CommandResult;
import dev.ordo.command.CommandException;
import dev.ordo.consumer.Checkpoints;
import dev.ordo.consumer.ConsumerRunner;
import dev.ordo.consumer.Source;
import dev.ordo.consumer.ProcessTarget;
import dev.ordo.consumer.Projection;
import dev.ordo.consumer.Target;
import dev.ordo.eventstore.AppendRequest;
import dev.ordo.eventstore.EventTypes;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.eventstore.LogPage;
import dev.ordo.eventstore.LogPosition;
import dev.ordo.eventstore.NewEvent;
import dev.ordo.eventstore.RecordedEvent;
import dev.ordo.postgres.DatabaseErrors;
import dev.ordo.postgres.OrdoMigrations;
import dev.ordo.postgres.commands.PostgresCommandLog;
import dev.ordo.postgres.log.PostgresEventStore;
import dev.ordo.postgres.log.PostgresEventStoreContractTests;
import dev.ordo.test.TestPostgres;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A process turns events into commands with deterministic ids: a crash between its commands and
 * its checkpoint, or a replay from the start, never sends a command twice to effect.
 */
class ProcessIntegrationTests {

  private static final EventTypes TYPES = EventTypes.builder().type("Ordered", 1).type("Credited", 1).build();
  private static final int ORDERS = 40;

  /** Credit an account once per order; order 13 is refused by the domain. */
  record Credit(String account, int order) {}

  private HikariDataSource database;
  private PostgresEventStore store;
  private PostgresCommandLog commandLog;
  private PostgresCheckpoints checkpoints;
  private final CommandBus bus = new CommandBus();
  private final AtomicInteger handled = new AtomicInteger();

  /** For every order, one credit to its account. */
  private final Projection<ProcessTarget.Commands> crediting = new Projection<>() {
    @Override
    public String name() {
      return "crediting";
    }

    @Override
    public int version() {
      return 1;
    }

    @Override
    public Set<String> eventTypes() {
      return Set.of("Ordered");
    }

    @Override
    public void apply(RecordedEvent event, ProcessTarget.Commands commands) {
      int order = Integer.parseInt(event.streamId().substring("order-".length()));
      commands.send(new Credit("account-" + order % 3, order), "account-" + order % 3, event);
    }
  };

  @BeforeEach
  void setUp() {
    database = PostgresEventStoreContractTests.pool(TestPostgres.createDatabase(), 10);
    OrdoMigrations.migrateLog(database);
    store = new PostgresEventStore(database, TYPES);
    commandLog = new PostgresCommandLog(database);
    checkpoints = new PostgresCheckpoints(database);
    bus.register(Credit.class, command -> {
      handled.incrementAndGet();
      if (command.command().order() == 13) {
        throw CommandException.rule("unlucky-order", "order 13 is not credited");
      }
      var result = store.append(new AppendRequest(command.aggregateId(), "account", ExpectedVersion.any(),
          List.of(NewEvent.of("Credited", 1, "{\"order\":" + command.command().order() + "}")), Set.of(), Set.of(),
          command.completion()));
      return new CommandResult(command.aggregateId(), result.version(), result.position(), true);
    });
    for (int i = 1; i <= ORDERS; i++) {
      store.append("order-" + i, "order", ExpectedVersion.noStream(), List.of(NewEvent.of("Ordered", 1, "{}")));
    }
  }

  @AfterEach
  void tearDown() {
    store.close();
    database.close();
  }

  private ConsumerRunner<ProcessTarget.Commands, LogPosition> run(Checkpoints<LogPosition> checkpoints) {
    var target = new ProcessTarget<>("crediting", LogPosition.START, bus, commandLog, checkpoints,
        DatabaseErrors::isTransient);
    return new ConsumerRunner<>(Source.log(store), target, crediting, 7, 3).start();
  }

  @Test
  void aCrashBetweenCommandsAndCheckpointAndAReplayFromTheStartSendEachCommandOnce() throws Exception {
    // the checkpoint fails to move twice: the batch's commands ran, the runner tries the batch again
    AtomicInteger failures = new AtomicInteger(2);
    Checkpoints<LogPosition> crashing = new Checkpoints<>() {
      @Override
      public Optional<LogPosition> load(String consumer) {
        return checkpoints.load(consumer);
      }

      @Override
      public void save(String consumer, Optional<LogPosition> from, LogPosition to) {
        if (failures.getAndDecrement() > 0) {
          throw new IllegalStateException("crashed before the checkpoint moved");
        }
        checkpoints.save(consumer, from, to);
      }

      @Override
      public Optional<Target.Lease> lead(String consumer) {
        return checkpoints.lead(consumer);
      }

      @Override
      public void park(String consumer, RecordedEvent event, LogPosition position, String error, int attempts,
          boolean blocking) {
        checkpoints.park(consumer, event, position, error, attempts, blocking);
      }

      @Override
      public boolean blocked(String consumer) {
        return checkpoints.blocked(consumer);
      }
    };
    try (var runner = run(crashing)) {
      awaitCheckpoint(lastOrder());
    }
    assertThat(failures.get()).as("the checkpoint failed to move").isNegative();
    assertThat(credited()).as("one credit per order but the refused one").hasSize(ORDERS - 1).doesNotHaveDuplicates();
    int handledOnce = handled.get();
    assertThat(handledOnce).isEqualTo(ORDERS);

    // a replay from the start: every command is found done (or refused) and none is dispatched
    try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
      s.execute("DELETE FROM consumer_checkpoints");
    }
    try (var runner = run(checkpoints)) {
      awaitCheckpoint(lastOrder());
    }
    assertThat(handled.get()).as("no command dispatched again").isEqualTo(handledOnce);
    assertThat(credited()).hasSize(ORDERS - 1).doesNotHaveDuplicates();
    RecordedEvent order13 = orders().get(12);
    UUID refused = UUID.nameUUIDFromBytes(("crediting/" + order13.eventId() + "/0").getBytes());
    assertThat(commandLog.find(refused)).get().isInstanceOf(CommandRecord.Failed.class);
  }

  @Test
  void aLeaseHeldElsewhereKeepsASecondRunnerWaiting() throws Exception {
    try (var first = run(checkpoints)) {
      awaitCheckpoint(lastOrder());
      try (var second = run(checkpoints)) {
        Thread.sleep(700);
        assertThat(first.leading()).isTrue();
        assertThat(second.leading()).isFalse();
      }
    }
    assertThat(credited()).hasSize(ORDERS - 1).doesNotHaveDuplicates();
  }

  private List<RecordedEvent> orders() {
    List<RecordedEvent> orders = new ArrayList<>();
    LogPosition after = LogPosition.START;
    for (LogPage page; !(page = store.readLog(after, 500)).events().isEmpty(); after = page.next(after)) {
      page.events().stream().filter(e -> e.type().equals("Ordered")).forEach(orders::add);
    }
    return orders;
  }

  private LogPosition lastOrder() {
    return orders().getLast().logPosition();
  }

  /** The order numbers credited, in log order. */
  private List<Integer> credited() {
    List<Integer> credited = new ArrayList<>();
    LogPosition after = LogPosition.START;
    for (LogPage page; !(page = store.readLog(after, 500)).events().isEmpty(); after = page.next(after)) {
      page.events().stream().filter(e -> e.type().equals("Credited"))
          .forEach(e -> credited.add(Integer.parseInt(e.data().replaceAll("\\D", ""))));
    }
    return credited;
  }

  private void awaitCheckpoint(LogPosition at) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (checkpoints.load("crediting").map(p -> p.compareTo(at) < 0).orElse(true)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the process did not reach " + at + ", at " + checkpoints.load("crediting"));
      }
      Thread.sleep(10);
    }
  }
}
