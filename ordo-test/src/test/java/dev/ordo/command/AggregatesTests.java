package dev.ordo.command;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ordo.codec.EventCodec;
import dev.ordo.eventstore.ExpectedVersion;
import dev.ordo.test.InMemoryEventStore;
import dev.ordo.test.InMemorySnapshotStore;
import dev.ordo.snapshot.Snapshot;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class AggregatesTests {

  sealed interface CounterCommand permits Add {}

  record Add(int amount) implements CounterCommand {}

  sealed interface CounterEvent permits Added {}

  record Added(int amount) implements CounterEvent {}

  record Counter(int total, int adds) {}

  static final class CounterDecider implements Decider<CounterCommand, Counter, CounterEvent> {
    @Override
    public Counter initialState() {
      return new Counter(0, 0);
    }

    @Override
    public List<CounterEvent> decide(CounterCommand command, Counter state) {
      return switch (command) {
        case Add a when state.total() + a.amount() > 100 -> throw CommandException.rule("over-100", "too much");
        case Add a when a.amount() == 0 -> List.of();
        case Add a -> List.of(new Added(a.amount()));
      };
    }

    @Override
    public Counter evolve(Counter state, CounterEvent event) {
      return switch (event) {
        case Added a -> new Counter(state.total() + a.amount(), state.adds() + 1);
      };
    }
  }

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final AggregateType<CounterCommand, Counter, CounterEvent> COUNTER = new AggregateType<>("counter",
      new CounterDecider(), EventCodec.builder(CounterEvent.class, JSON).event(Added.class, "Added", 1).build(),
      Counter.class, 1);

  private final InMemoryEventStore store = new InMemoryEventStore(COUNTER.codec().types());
  private final InMemorySnapshotStore snapshots = new InMemorySnapshotStore();

  private Aggregates<CounterCommand, Counter, CounterEvent> aggregates(int snapshotEvery) {
    return new Aggregates<>(COUNTER, store, snapshots, JSON, new Aggregates.Settings(snapshotEvery, 100, 5));
  }

  private static CommandEnvelope<CounterCommand> add(int amount) {
    return CommandEnvelope.of(new Add(amount), "c-1", CommandMetadata.newCommand("tester"));
  }

  @Test
  void decidesOnTheFoldedStateAndAppendsWithItsVersion() {
    var counters = aggregates(0);
    assertThat(counters.handle(add(5)).version()).isEqualTo(1);
    assertThat(counters.handle(add(7)).version()).isEqualTo(2);
    assertThat(counters.load("c-1").state()).isEqualTo(new Counter(12, 2));
    assertThat(store.readStream("c-1", 1).events().getFirst().metadata().actor()).isEqualTo("tester");
    assertThatThrownBy(() -> counters.handle(add(90))).isInstanceOf(CommandException.RuleBroken.class);
    var unchanged = counters.handle(add(0));
    assertThat(unchanged.appended()).isFalse();
    assertThat(unchanged.version()).isEqualTo(2);
  }

  @Test
  void aCachedStateMovedOnByAnotherWriterIsNeverTrusted() {
    var first = aggregates(0);
    var second = aggregates(0);
    first.handle(add(50));
    second.handle(add(40));
    // first still caches total 50 at version 1; the log says 90 at version 2
    assertThatThrownBy(() -> first.handle(add(20))).isInstanceOfSatisfying(CommandException.RuleBroken.class,
        e -> assertThat(e.rule()).isEqualTo("over-100"));
    assertThat(first.handle(add(10)).version()).isEqualTo(3);
    assertThat(first.load("c-1").state().total()).isEqualTo(100);
  }

  @Test
  void ifMatchIsAPreconditionNotARetry() {
    var counters = aggregates(0);
    counters.handle(add(1));
    var stale = new CommandEnvelope<CounterCommand>(new Add(1), "c-1", ExpectedVersion.exactly(0),
        CommandMetadata.newCommand(null), null);
    assertThatThrownBy(() -> counters.handle(stale)).isInstanceOfSatisfying(CommandException.PreconditionFailed.class, e -> {
      assertThat(e.expected()).isZero();
      assertThat(e.actual()).isEqualTo(1);
    });
  }

  @Test
  void loadsFromTheLatestSnapshotAndReplaysWhenItsSchemaChanged() throws Exception {
    var counters = aggregates(5);
    for (int i = 0; i < 12; i++) {
      counters.handle(add(1));
    }
    Thread.sleep(200); // snapshots are written in the background
    assertThat(snapshots.load("c-1", 1)).hasValueSatisfying(s -> assertThat(s.version()).isEqualTo(10));

    // a snapshot claiming more than the log holds shows it was used: total 1000 at version 10
    snapshots.save(new Snapshot("c-1", 11, 1, "{\"total\":1000,\"adds\":11}"));
    assertThat(aggregates(5).load("c-1").state()).isEqualTo(new Counter(1001, 12));

    // a snapshot of another state schema is ignored: the stream is replayed from the start
    snapshots.save(new Snapshot("c-1", 12, 2, "{\"sum\":5}"));
    assertThat(aggregates(5).load("c-1").state()).isEqualTo(new Counter(12, 12));
  }

  @Test
  void aCreatingCommandSkipsTheReadButNotTheRules() {
    var counters = aggregates(0);
    var create = new CommandEnvelope<CounterCommand>(new Add(60), "c-1", ExpectedVersion.noStream(),
        CommandMetadata.newCommand(null), null);
    assertThat(counters.handle(create).version()).isEqualTo(1);
    // the stream exists now: the append conflicts, the state is read, and the rule sees 60 + 60
    var again = new CommandEnvelope<CounterCommand>(new Add(60), "c-1", ExpectedVersion.noStream(),
        CommandMetadata.newCommand(null), null);
    assertThatThrownBy(() -> aggregates(0).handle(again)).isInstanceOf(CommandException.RuleBroken.class);
  }

  @Test
  void foldsTheStateAsItWasAtAVersion() {
    var counters = aggregates(0);
    counters.handle(add(3));
    counters.handle(add(4));
    assertThat(counters.loadAtVersion("c-1", 1).state()).isEqualTo(new Counter(3, 1));
    assertThat(counters.loadAtVersion("c-1", 1).version()).isEqualTo(1);
  }
}
